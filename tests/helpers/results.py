"""A forum after the event, made through the services (so the audit log is written as in real life):
delegates of several sectors and regions, check-ins, a limited session with a waitlist, fair projects with
confirmed money and in-kind support and a pending pledge, a signed memorandum and a draft one.
Used by the final report, exports and audit log tests."""
from dataclasses import dataclass, field
from datetime import datetime, timezone

from app.checkin import services as checkin
from app.extensions import db
from app.models import Sector
from app.schedule import services as schedule
from tests.factories import (make_delegate, make_fair_delegate, make_memorandum, make_organization, make_pledge,
                             make_project, make_session, region, sign_as)

KAZAKH_NGO = "Атырау облыстық саңыраулар қоғамы"
KAZAKH_BUSINESS = "ЖШС «Шаһар Құрылыс»"
KAZAKH_PROJECT = "Саңырау жастарды жұмыспен қамту"
KAZAKH_SESSION = "Шеберлік сыныбы: әлеуметтік кәсіпкерлік"
KAZAKH_DELEGATE = "Әбдіқалықова Гүлшара"
IN_KIND = "Кеңсе жиһазы"
# Check-ins: 09:12 on the first day and 23:30 on the first day on the forum's clock (UTC+5), the next at 00:10.
DAY1_MORNING = datetime(2026, 12, 15, 4, 12, tzinfo=timezone.utc)
DAY1_LATE = datetime(2026, 12, 15, 18, 30, tzinfo=timezone.utc)
DAY2_EARLY = datetime(2026, 12, 15, 19, 10, tzinfo=timezone.utc)


@dataclass
class World:
    forum: object
    organizer: object
    ngo: object = None
    business: object = None
    delegates: list = field(default_factory=list)
    session: object = None
    projects: list = field(default_factory=list)
    memorandum: object = None
    draft: object = None


def build_world(forum, organizer) -> World:
    world = World(forum=forum, organizer=organizer)
    ngo_org = make_organization(KAZAKH_NGO, sector=Sector.ngo)
    business_org = make_organization(KAZAKH_BUSINESS, sector=Sector.business)
    world.ngo = make_fair_delegate(forum, sector="ngo", organization=ngo_org, full_name=KAZAKH_DELEGATE)
    world.business = make_fair_delegate(forum, sector="business", organization=business_org,
                                        full_name="Дмитрий Петров")
    world.ngo.region = region("KZ-23")
    world.business.region = region("KZ-47")
    state = make_delegate(forum, sector="state", full_name="Серік Шәріпов")
    state.region = region("KZ-23")
    evil = make_delegate(forum, sector="ngo", full_name='=HYPERLINK("http://evil.example","click")')
    pending = make_delegate(forum, sector="media", full_name="Күтуші Журналист", confirmed=False)
    db.session.commit()
    world.delegates = [world.ngo, world.business, state, evil, pending]

    checkin.check_in_delegate(world.ngo, organizer, method="scan", now=DAY1_MORNING)
    checkin.check_in_delegate(world.business, organizer, method="manual", now=DAY1_LATE)
    checkin.check_in_delegate(state, organizer, method="scan", now=DAY2_EARLY)

    world.session = make_session(forum, title=KAZAKH_SESSION, capacity=2, kind="master_class", actor=organizer)
    make_session(forum, title="Пленарлық сессия", start=(12, 0), actor=organizer)
    for delegate in (world.ngo, world.business, state):
        schedule.enroll(world.session, delegate)

    backed = make_project(forum, world.ngo, title=KAZAKH_PROJECT, budget=2_000_000)
    other = make_project(forum, world.ngo, title="Ауыл әйелдеріне кілем тоқу", budget=1_500_000, region_code="KZ-61")
    make_project(forum, world.ngo, title="Әлі қаралмаған жоба", status="submitted")
    make_pledge(backed, world.business, amount=1_250_000, confirm=True)
    make_pledge(backed, world.business, amount=None, in_kind=IN_KIND, in_kind_value=300_000, confirm=True)
    make_pledge(other, world.business, amount=700_000)  # pending: not counted as support
    world.projects = [backed, other]

    world.memorandum = make_memorandum(forum, organizer, open_it=True)
    for party in world.memorandum.parties:
        sign_as(world.memorandum, party)
    world.draft = make_memorandum(forum, organizer, parties=3)
    return world
