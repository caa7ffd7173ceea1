"""Test data, made the way the app makes it (through the services where they exist)."""
import itertools
from datetime import date, datetime, timedelta, timezone

import sqlalchemy as sa

from app.auth import services as accounts
from app.extensions import db
from app.models import Forum, ForumRole, ForumStatus, GlobalRole, Hall, Organization, Region, Sector

PASSWORD = "correct-horse-7"
_seq = itertools.count(1)


def make_user(email=None, *, role=GlobalRole.delegate, full_name="Test User", password=PASSWORD,
              language="en", **kwargs):
    n = next(_seq)
    user = accounts.create_user(email or f"user{n}@example.kz", password, full_name,
                                role=role, language=language)
    for key, value in kwargs.items():
        setattr(user, key, value)
    db.session.commit()
    return user


def region(code="KZ-23") -> Region:
    return db.session.scalar(sa.select(Region).where(Region.code == code))


def make_forum(*, slug=None, status=ForumStatus.published, organizer=None, halls=1, **kwargs):
    n = next(_seq)
    start = kwargs.pop("starts_on", date.today() + timedelta(days=30))
    forum = Forum(
        slug=slug or f"forum-{n}",
        title_kk=kwargs.pop("title_kk", f"Форум {n} (kk)"),
        title_ru=kwargs.pop("title_ru", f"Форум {n}"),
        title_en=kwargs.pop("title_en", f"Forum {n}"),
        city=kwargs.pop("city", "Атырау"),
        starts_on=start,
        ends_on=kwargs.pop("ends_on", start + timedelta(days=1)),
        status=status,
        registration_opens_at=kwargs.pop("registration_opens_at", datetime.now(timezone.utc) - timedelta(days=1)),
        registration_closes_at=kwargs.pop("registration_closes_at", None),
        **kwargs,
    )
    db.session.add(forum)
    for i in range(halls):
        db.session.add(Hall(forum=forum, name=f"Hall {i + 1}", capacity=100, position=i))
    db.session.flush()
    if organizer is not None:
        accounts.grant_forum_role(organizer, forum, ForumRole.organizer, commit=False)
    db.session.commit()
    return forum


def make_organizer(forum=None, **kwargs):
    user = make_user(role=GlobalRole.organizer, full_name=kwargs.pop("full_name", "Organizer"), **kwargs)
    if forum is not None:
        accounts.grant_forum_role(user, forum, ForumRole.organizer)
    return user


def make_organization(name="ОФ «Болашақ»", sector=Sector.ngo, **kwargs):
    org = Organization(name=name, sector=sector, **kwargs)
    db.session.add(org)
    db.session.commit()
    return org


def at(forum, day_index: int, hh: int, mm: int = 0):
    """A wall-clock time on the forum's n-th day, in its time zone (aware)."""
    from datetime import time as _time

    return datetime.combine(forum.starts_on + timedelta(days=day_index), _time(hh, mm), tzinfo=forum.tzinfo)


def make_session(forum, *, day=0, start=(10, 0), minutes=90, hall=None, kind="panel", status="published",
                 capacity=None, cast=None, title="Session", actor=None):
    from app.schedule import services as schedule

    starts = at(forum, day, *start)
    data = schedule.SessionInput(
        kind=kind, starts_at=starts, ends_at=starts + timedelta(minutes=minutes),
        hall_id=(hall or forum.halls[0]).id if hall is not False else None,
        title_ru=title, title_kk=title, capacity=capacity, status=status, cast=cast)
    return schedule.save_session(forum, data, actor)


def make_delegate(forum, *, email=None, sector="ngo", full_name="Delegate", confirmed=True):
    from app.models import ConfirmationMode, DelegateStatus
    from app.registration import services as registration

    n = next(_seq)
    delegate, _ = registration.register(forum, registration.RegistrationInput(
        full_name=full_name, email=email or f"delegate{n}@example.kz", sector=sector, consent=True))
    if not confirmed and delegate.status == DelegateStatus.confirmed:
        delegate.status = DelegateStatus.pending
        db.session.commit()
    return delegate


# ---------------------------------------------------------------- the ideas fair


def make_fair_delegate(forum, *, sector="ngo", organization=None, email=None, full_name=None):
    """A confirmed delegate with an organization of their sector and a password (so tests can log in)."""
    n = next(_seq)
    delegate = make_delegate(forum, email=email or f"{sector}{n}@example.kz", sector=sector,
                             full_name=full_name or f"{sector.upper()} Delegate {n}")
    if organization is None:
        names = {"ngo": f"ОФ «Жастар қолдауы {n}»", "business": f"ТОО «Газсервис {n}»", "state": f"Акимат {n}"}
        organization = make_organization(names.get(sector, f"Org {n}"), sector=Sector(sector))
    delegate.organization = organization
    delegate.user.set_password(PASSWORD)
    db.session.commit()
    return delegate


def make_project(forum, delegate=None, *, status="approved", budget=2_000_000, category="youth",
                 region_code="KZ-23", title="Жастарды жұмыспен қамту", booth=None):
    """A fair project submitted through the service, then put in the given state."""
    from app.fair import services as fair
    from app.models import ProjectStatus, utcnow

    delegate = delegate or make_fair_delegate(forum, sector="ngo")
    project = fair.submit_project(forum, delegate.user, fair.ProjectInput(
        title_kk=title, title_ru=f"{title} (ru)", summary_kk="Қысқаша", summary_ru="Кратко", category=category,
        region_id=region(region_code).id, budget_kzt=budget, settlement="Атырау", beneficiaries="Жастар",
        beneficiaries_count=40, duration_months=12))
    if status != "submitted":
        project.status = ProjectStatus(status)
        if status not in ("returned", "rejected"):
            project.approved_at = utcnow()
        project.booth = booth
        db.session.commit()
    return project


def make_pledge(project, delegate=None, *, amount=500_000, in_kind=None, in_kind_value=None, confirm=False):
    """A business pledge through the service; `confirm=True` has the NGO confirm it."""
    from app.fair import services as fair

    delegate = delegate or make_fair_delegate(project.forum, sector="business")
    pledge = fair.make_pledge(project, delegate.user, fair.PledgeInput(
        amount_kzt=amount, in_kind=in_kind, in_kind_value_kzt=in_kind_value))
    if confirm:
        fair.confirm_pledge(pledge, project.delegate.user)
    return pledge


MEMORANDUM_PARTIES = [
    # organization, sector, signatory, position
    ("Атырау облыстық саңыраулар қоғамы", "ngo", "Гүлнар Ыбырайқызы", "Төрайым"),
    ("ТОО «АқсайГазСервис»", "business", "Дмитрий Петров", "Директор"),
    ("Атырау облысының әкімдігі", "state", "Серік Шәріпов", "Әкімнің орынбасары"),
    ("Палата предпринимателей «Атамекен»", "business", "Өмірзақ Құрманғалиұлы", "Директор"),
]


def memorandum_input(*, parties=2, ordered=False, **overrides):
    """A bilingual memorandum's form data between the first `parties` of MEMORANDUM_PARTIES."""
    from app.memoranda.services import MemorandumInput, PartyInput

    party_inputs = [PartyInput(organization_name=name, sector=sector, signatory_name=person,
                               signatory_email=f"signatory{i + 1}@example.kz", signatory_position=position,
                               authority="Жарғы негізінде", obligations_kk=f"{name} міндеттемелері.",
                               obligations_ru=f"Обязательства: {name}.", sign_order=i + 1 if ordered else None)
                    for i, (name, sector, person, position) in enumerate(MEMORANDUM_PARTIES[:parties])]
    data = MemorandumInput(
        title_kk="Саңырау жастарды жұмыспен қамту туралы ынтымақтастық меморандумы",
        title_ru="Меморандум о сотрудничестве в трудоустройстве глухой молодёжи",
        preamble_kk="Тараптар әлеуметтік әріптестікті дамыту мақсатында",
        preamble_ru="Стороны, стремясь развивать социальное партнёрство,",
        subject_kk="Саңырау жастарды кәсіби оқыту және жұмысқа орналастыру.",
        subject_ru="Профессиональное обучение и трудоустройство глухой молодёжи.",
        term_kk="Меморандум қол қойылған күннен бастап бір жыл әрекет етеді.",
        term_ru="Меморандум действует один год со дня подписания.",
        final_provisions_kk="Меморандум қазақ және орыс тілдерінде жасалды.",
        final_provisions_ru="Меморандум составлен на казахском и русском языках.",
        level="regional", city="Атырау", dated=date(2026, 12, 15), signing_ordered=ordered,
        parties=party_inputs)
    for name, value in overrides.items():
        setattr(data, name, value)
    return data


def make_memorandum(forum, organizer=None, *, parties=2, ordered=False, open_it=False, emails=None, **overrides):
    """A memorandum drafted through the service (and opened for signing with `open_it`); its signatories get
    accounts with PASSWORD (at `emails`, if given), bound to their parties as if they had opened the invitation."""
    from app.memoranda import services as memoranda

    organizer = organizer or make_organizer(forum)
    data = memorandum_input(parties=parties, ordered=ordered, **overrides)
    for party, email in zip(data.parties, emails or ()):
        party.signatory_email = email
    memorandum = memoranda.create(forum, organizer, data)
    for party in memorandum.parties:
        account = accounts.find_user(party.signatory_email) or make_user(party.signatory_email,
                                                                        full_name=party.signatory_name)
        memoranda.accept_invitation(party, account)
    if open_it:
        memoranda.open_for_signing(memorandum, organizer)
    return memorandum


def sign_as(memorandum, party, **overrides):
    """The party's signatory signs the current version, as the signing form would."""
    from app.memoranda import services as memoranda

    values = {"agree": True, "full_name": party.signatory_name, "password": PASSWORD, "sha256": memorandum.sha256,
              "ip": "127.0.0.1", "user_agent": "pytest"}
    values.update(overrides)
    return memoranda.sign(memorandum, party.user, **values)
