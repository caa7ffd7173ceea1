"""A realistic forum for the fuzzers to hit: real slugs and ids, so generated requests reach past the 404s.

Built through the same factories (and so the same services) as the rest of the suite.
"""
from dataclasses import dataclass, field

from app.auth.services import grant_forum_role, issue_token
from app.extensions import db
from app.memoranda import services as memoranda
from app.models import ForumRole, ForumStatus, GlobalRole
from app.registration.services import badge_token_for
from tests.factories import (make_delegate, make_fair_delegate, make_forum, make_memorandum, make_organizer,
                             make_pledge, make_project, make_session, make_user, sign_as)

SLUG = "asar-fuzz"


@dataclass
class World:
    forum: object
    users: dict = field(default_factory=dict)      # who -> User (no "anonymous")
    ids: dict = field(default_factory=dict)        # path parameter -> a real value
    extra_ids: dict = field(default_factory=dict)  # path parameter -> more real values
    badge_token: str = ""
    signatory_name: str = ""
    memorandum_sha256: str = ""

    def token(self, who: str) -> str | None:
        """A fresh API token for `who` (None for the anonymous caller): a revoked one never leaks into the
        next example."""
        user = self.users.get(who)
        return issue_token(user, "fuzz") if user is not None else None


def build_world() -> World:
    organizer = make_organizer(full_name="Әсел Организатор")
    forum = make_forum(slug=SLUG, organizer=organizer, halls=2, title_kk="АСАР Атырау — фазз",
                       title_ru="АСАР Атырау — фазз", description_kk="Форум «АСАР» — <b>тест</b>")
    make_forum(slug="asar-draft", status=ForumStatus.draft, organizer=organizer)

    checkin = make_user(full_name="Қасиет Тіркеуші", role=GlobalRole.delegate)
    grant_forum_role(checkin, forum, ForumRole.checkin)

    make_session(forum, title="Пленарлық отырыс", kind="plenary", start=(10, 0))
    master_class = make_session(forum, title="Әлеуметтік кәсіпкерлік", kind="master_class", capacity=2,
                                start=(12, 0), hall=forum.halls[1])
    make_session(forum, day=1, title="Дөңгелек үстел", kind="round_table", capacity=30, start=(10, 0))

    ngo = make_fair_delegate(forum, sector="ngo", full_name="Гүлнар Ыбырайқызы")
    business = make_fair_delegate(forum, sector="business", full_name="Дмитрий Петров")
    others = [make_delegate(forum, full_name=f"Делегат {i}", sector=sector)
              for i, sector in enumerate(("state", "ngo", "media"))]
    pending = make_delegate(forum, full_name="Күтуде Делегат", confirmed=False)

    project = make_project(forum, ngo, status="approved", booth="A-1")
    make_project(forum, ngo, status="submitted", title="Инклюзивті спорт")
    pledge = make_pledge(project, business, amount=500_000)
    other_business = make_fair_delegate(forum, sector="business")
    make_pledge(project, other_business, amount=2_000_000, confirm=True)

    # A published (sealed) memorandum and an open one whose first signatory is a token holder.
    published = make_memorandum(forum, organizer, open_it=True)
    for party in published.parties:
        sign_as(published, party)
    memoranda.publish(published, organizer)
    open_memo = make_memorandum(forum, organizer, parties=3, open_it=True)
    db.session.commit()

    world = World(forum=forum, badge_token=badge_token_for(others[0]),
                  signatory_name=open_memo.parties[0].signatory_name, memorandum_sha256=open_memo.sha256)
    world.users = {"organizer": organizer, "checkin": checkin, "ngo": ngo.user, "business": business.user,
                   "signatory": open_memo.parties[0].user}
    world.ids = {
        "slug": SLUG,
        "registration_id": ngo.id,
        "delegate_id": ngo.id,
        "session_id": master_class.id,
        "project_id": project.id,
        "pledge_id": pledge.id,
        "memorandum_id": open_memo.id,
        "public_id": published.public_id,
    }
    world.extra_ids = {
        "registration_id": [business.id, pending.id, others[0].id],
        "delegate_id": [pending.id],
        "memorandum_id": [published.id],
        "public_id": [open_memo.public_id],
        "slug": ["asar-draft"],
    }
    return world
