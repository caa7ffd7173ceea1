"""Hypothesis over the HTML forms people fill in: registration, a programme session, a fair project, a pledge
and a memorandum.

Each example starts from a valid submission and replaces a few fields with generated input: long strings,
Kazakh and mixed scripts, control characters, HTML and <script> tags, SQL fragments, negative and huge
amounts, dates before, inside, after and far beyond the forum, and dates that do not exist. Whatever is sent:

- the answer is never a 5xx: a redirect on success, or the form again (4xx) saying what is wrong;
- nothing HTML-ish that was sent comes back unescaped, neither on the answer nor on the page a success
  redirects to;
- a refused submission writes nothing (no delegate, user, organization, session, person, project, pledge,
  memorandum or party left behind); an accepted one writes one.
"""
import re
from datetime import date, timedelta

import sqlalchemy as sa
from hypothesis import example, given, settings
from hypothesis import strategies as st

from app.extensions import db
from app.fair import services as fair
from app.models import (Delegate, FairProject, Memorandum, Organization, Party, Person, Pledge, PledgeStatus,
                        Session, SessionPerson, User)
from tests.factories import PASSWORD, memorandum_input, region
from tests.fuzz.conftest import FUZZ
from tests.memoranda.page_helpers import form_data as memorandum_form_data

EXAMPLES = 30  # generated examples per form, after the explicit ones

# ---------------------------------------------------------------- what goes in

MARKERS = ("<script>alert('asar')</script>", "<img src=x onerror=alert(1)>", '"><svg onload=alert(1)>')
NASTY = (*MARKERS, "'; DROP TABLE delegates; --", "' OR '1'='1", "Robert'); DELETE FROM forums;--",
         "әғқңөұүһі ӘҒҚҢӨҰҮҺІ", "Сәуле Smith Αθηνά 中文 العربية", "\u202eтұрақты\u202c", "\x01\x02\x1b[31m\x7f\x9f",
         "line\r\nbreak\ttab", "   ", "", "{{ 7*7 }}", "%(x)s %s %n", "😀👍🏽", "ә" * 5000, "<b>" * 3000)
TEXT = st.one_of(
    st.sampled_from(NASTY),
    st.text(st.characters(exclude_categories=("Cs",), exclude_characters="\x00"), max_size=80),
    st.text(alphabet="әғқңөұүһіӘҒҚҢӨҰҮҺІabcАБВ<>&\"'/ ;-", max_size=40),
)
AMOUNT = st.one_of(
    st.integers(-10**20, 10**20).map(str),
    st.sampled_from(("", "0", "-1", "1", "2 000 000", "2 000 000 ₸", "2,000,000", "1.5", "1e6", "1e309",
                     "999999999999999999999999999999", "1000000000000", "1000000000001", "١٢٣", "２０００", "NaN",
                     "∞", "-0", "+5", " 7 ")),
    TEXT,
)
BAD_DATES = ("", "9999-12-31", "0001-01-01", "2030-02-30", "2030-13-01", "15.12.2026", "99999-01-01",
             "1970-01-01", "завтра")
EMAIL = st.one_of(
    st.from_regex(r"[a-z]{1,12}[0-9]{0,4}@(example|мысал)\.kz", fullmatch=True),
    st.sampled_from(("not-an-email", "a@b", "ә@ә.kz", "<script>@x.kz", "x@" + "a" * 300 + ".kz", "",
                     "test@example.kz' OR 1=1")),
    TEXT,
)


def bool_field():
    return st.sampled_from(("y", "", "on", "false", "0", "<script>"))


def choice(*values):
    return st.one_of(st.sampled_from(values), TEXT)


def overrides(**fields):
    """Some of these fields, each with its own generated value (the rest keep the valid submission's)."""
    return st.fixed_dictionaries({}, optional=fields)


# ---------------------------------------------------------------- what comes out

def _pages(client, response):
    pages = [response.get_data(as_text=True)]
    if response.status_code in (301, 302, 303):
        follow = client.get(response.headers["Location"])
        assert follow.status_code < 500, follow.get_data(as_text=True)[:500]
        pages.append(follow.get_data(as_text=True))
    return pages


def _htmlish(value: str) -> bool:
    return bool(re.search(r"<[A-Za-z/!]", value)) and len(value.strip()) >= 6


def assert_answer(client, response, sent: dict, *, created: bool | None = None):
    """No 5xx; a redirect or the form again; nothing HTML-ish sent comes back unescaped."""
    assert response.status_code < 500, response.get_data(as_text=True)[:2000]
    assert response.status_code in (200, 302, 303, 400, 403, 409, 413, 422), response.status_code
    for page in _pages(client, response):
        for marker in MARKERS:
            assert marker not in page, f"{marker!r} came back unescaped"
        for name, value in sent.items():
            values = value if isinstance(value, list) else [value]
            for item in values:
                if isinstance(item, str) and _htmlish(item):
                    assert item not in page, f"{name}={item!r} came back unescaped"


def counts(*models) -> dict:
    db.session.expire_all()
    return {model.__name__: db.session.scalar(sa.select(sa.func.count()).select_from(model)) for model in models}


def assert_nothing_half_written(response, before: dict, after: dict, main: str):
    """Refused: not one row more anywhere. Accepted (a redirect): at most one more of the main kind."""
    if response.status_code in (302, 303):
        assert 0 <= after[main] - before[main] <= 1, (before, after)
    else:
        assert after == before, f"a refused submission ({response.status_code}) wrote rows: {before} → {after}"


def logged_in(fuzz_app, user):
    client = fuzz_app.test_client()
    response = client.post("/auth/login", data={"email": user.email, "password": PASSWORD})
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    return client


# ---------------------------------------------------------------- registration (anyone)

def registration_form(**changes) -> dict:
    data = {"full_name": "Әлия Нұрланқызы", "email": "aliya@example.kz", "phone": "+7 701 123 45 67",
            "organization_name": "Қазақ саңыраулар қоғамы", "organization_bin": "", "position": "Төраға",
            "sector": "ngo", "region_id": str(region("KZ-23").id), "participation": "in_person", "language": "kk",
            "accessibility_needs": "", "consent": "y"}
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


REGISTRATION_FIELDS = overrides(
    full_name=TEXT, email=EMAIL, phone=st.one_of(TEXT, st.just("+7 (701) 123-45-67")), organization_name=TEXT,
    organization_bin=st.one_of(TEXT, st.sampled_from(("061040003334", "123456789012", "0" * 12, "1" * 13))),
    position=TEXT, sector=choice("ngo", "business", "state", "international", "media", "academia"),
    region_id=st.one_of(AMOUNT, st.just("2147483648")), participation=choice("in_person", "online"),
    language=choice("kk", "ru", "en"), accessibility_needs=TEXT, consent=bool_field(),
)


def test_registration_form(fuzz_app, world):
    path = f"/forums/{world.ids['slug']}/register"
    emails = iter(range(10**6))

    @settings(FUZZ, max_examples=EXAMPLES)
    @given(changes=REGISTRATION_FIELDS)
    @example(changes={})
    @example(changes={"full_name": MARKERS[0], "position": MARKERS[1], "organization_name": MARKERS[2],
                      "accessibility_needs": "Ым тілі <b>аудармашы</b>"})
    @example(changes={"full_name": "ә" * 201})
    @example(changes={"region_id": "99999999999999999999"})
    @example(changes={"organization_bin": "061040003334", "organization_name": "Жаңа ҚБ <i>"})
    @example(changes={"consent": None})
    @example(changes={"full_name": "\x01\x02\x1b", "email": "ctl\x07@example.kz"})
    def fuzz(changes):
        client = fuzz_app.test_client()  # a new visitor each time (no "already registered here" cookie)
        data = registration_form(**{"email": f"reg{next(emails)}@example.kz", **changes})
        before = counts(Delegate, User, Organization)
        response = client.post(path, data=data)
        assert_answer(client, response, data)
        assert_nothing_half_written(response, before, counts(Delegate, User, Organization), "Delegate")

    fuzz()


# ---------------------------------------------------------------- a programme session (organizer)

def _local(day: date, hh: int, mm: int) -> str:
    return f"{day:%Y-%m-%d}T{hh:02d}:{mm:02d}"


def session_times(forum):
    days = (forum.starts_on - timedelta(days=1), forum.starts_on, forum.ends_on, forum.ends_on + timedelta(days=1),
            forum.starts_on + timedelta(days=3650))
    return st.one_of(
        st.builds(_local, st.sampled_from(days), st.integers(0, 23), st.sampled_from((0, 15, 30, 59))),
        st.sampled_from(tuple(f"{value}T10:00" for value in BAD_DATES) + ("10:00", "2030-09-16 10:00",
                                                                            f"{forum.starts_on}T24:00", "")),
        TEXT,
    )


def session_form(forum, **changes) -> dict:
    day = forum.starts_on
    data = {"kind": "master_class", "title_kk": "Әлеуметтік кәсіпкерлік", "title_ru": "Социальное предпринимательство",
            "title_en": "", "topic": "Social business", "hall_id": str(forum.halls[0].id),
            "starts_at": _local(day, 15, 0), "ends_at": _local(day, 16, 30), "languages": ["kk", "ru"],
            "capacity": "30", "status": "published", "stream_url": "", "description_kk": "", "description_ru": "",
            "cast-0-role": "speaker", "cast-0-full_name": "Серік Шәріпов", "cast-0-position": "Директор",
            "cast-0-organization": "Атамекен"}
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def test_session_form(fuzz_app, world):
    forum = world.forum
    client = logged_in(fuzz_app, world.users["organizer"])
    path = f"/forums/{forum.slug}/planner/new"
    times = session_times(forum)
    fields = overrides(
        kind=choice("plenary", "panel", "master_class", "seminar", "round_table", "conference", "ceremony", "other"),
        title_kk=TEXT, title_ru=TEXT, title_en=TEXT, description_kk=TEXT, topic=TEXT, stream_url=TEXT,
        hall_id=st.one_of(AMOUNT, st.just(str(forum.halls[1].id))), starts_at=times, ends_at=times,
        languages=st.lists(choice("kk", "ru", "en"), max_size=4), interpretation=bool_field(), capacity=AMOUNT,
        status=choice("draft", "published", "cancelled"), **{
            "cast-0-role": choice("speaker", "moderator"), "cast-0-full_name": TEXT, "cast-0-position": TEXT,
            "cast-0-organization": TEXT, "cast-0-person_id": AMOUNT, "cast-1-full_name": TEXT,
        })
    start, end = forum.starts_on, forum.ends_on

    @settings(FUZZ, max_examples=EXAMPLES)
    @given(changes=fields)
    @example(changes={})
    @example(changes={"title_kk": MARKERS[0], "title_ru": MARKERS[1], "topic": MARKERS[2],
                      "cast-0-full_name": "<script>alert('asar')</script>", "starts_at": _local(start, 17, 0),
                      "ends_at": _local(start, 18, 0)})
    @example(changes={"starts_at": _local(start - timedelta(days=1), 10, 0),
                      "ends_at": _local(start - timedelta(days=1), 11, 0)})
    @example(changes={"starts_at": _local(end + timedelta(days=1), 10, 0),
                      "ends_at": _local(end + timedelta(days=1), 11, 0)})
    @example(changes={"starts_at": _local(end, 18, 0), "ends_at": _local(end, 17, 0)})
    @example(changes={"starts_at": "9999-12-31T23:59", "ends_at": "9999-12-31T23:59"})
    @example(changes={"starts_at": "0001-01-01T00:00", "ends_at": "0001-01-01T01:00"})
    @example(changes={"starts_at": "2030-02-30T10:00"})
    @example(changes={"capacity": "-5"})
    @example(changes={"capacity": "99999999999999999999"})
    @example(changes={"hall_id": "99999999999999999999"})
    @example(changes={"cast-0-person_id": "99999999999999999999"})
    def fuzz(changes):
        data = session_form(forum, **changes)
        before = counts(Session, Person, SessionPerson)
        response = client.post(path, data=data)
        assert_answer(client, response, data)
        assert_nothing_half_written(response, before, counts(Session, Person, SessionPerson), "Session")

    fuzz()


# ---------------------------------------------------------------- a fair project (NGO delegate)

def project_form(**changes) -> dict:
    data = {"title_kk": "Саңырау жастарды жұмыспен қамту", "title_ru": "Трудоустройство глухой молодёжи",
            "summary_kk": "Ым тілі курстары", "summary_ru": "Курсы жестового языка", "description": "Толық сипаттама",
            "category": "inclusion", "region_id": str(region("KZ-23").id), "settlement": "Атырау",
            "beneficiaries": "Саңырау жастар", "beneficiaries_count": "1 200", "budget_kzt": "2 000 000",
            "budget_breakdown": "Жалақы, жабдық", "duration_months": "12", "contact_name": "Әлия Қасымова",
            "contact_phone": "+7 701 123 45 67", "contact_email": "aliya@example.kz"}
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


PROJECT_FIELDS = overrides(
    title_kk=TEXT, title_ru=TEXT, summary_kk=TEXT, summary_ru=TEXT, description=TEXT,
    category=choice("inclusion", "youth", "ecology", "education", "health"), region_id=AMOUNT, settlement=TEXT,
    beneficiaries=TEXT, beneficiaries_count=AMOUNT, budget_kzt=AMOUNT, budget_breakdown=TEXT, duration_months=AMOUNT,
    contact_name=TEXT, contact_phone=TEXT, contact_email=EMAIL,
)


def test_project_form(fuzz_app, world):
    client = logged_in(fuzz_app, world.users["ngo"])
    path = f"/forums/{world.ids['slug']}/fair/projects/new"

    @settings(FUZZ, max_examples=EXAMPLES)
    @given(changes=PROJECT_FIELDS)
    @example(changes={})
    @example(changes={"title_kk": MARKERS[0], "summary_kk": MARKERS[1], "description": MARKERS[2],
                      "beneficiaries": "<b>жастар</b> <script>alert('asar')</script>"})
    @example(changes={"budget_kzt": "-2000000"})
    @example(changes={"budget_kzt": "0"})
    @example(changes={"budget_kzt": "99999999999999999999999"})
    @example(changes={"budget_kzt": "1e309"})
    @example(changes={"beneficiaries_count": "99999999999999999999"})
    @example(changes={"duration_months": "99999999999999999999"})
    @example(changes={"region_id": "99999999999999999999"})
    @example(changes={"title_kk": "ә" * 5000, "title_ru": ""})
    def fuzz(changes):
        data = project_form(**changes)
        before = counts(FairProject)
        response = client.post(path, data=data)
        assert_answer(client, response, data)
        assert_nothing_half_written(response, before, counts(FairProject), "FairProject")

    fuzz()


# ---------------------------------------------------------------- a pledge (business delegate)

PLEDGE_FIELDS = overrides(amount_kzt=AMOUNT, in_kind=TEXT, in_kind_value_kzt=AMOUNT, comment=TEXT)


def test_pledge_form(fuzz_app, world):
    business = world.users["business"]
    client = logged_in(fuzz_app, business)
    project_id = world.ids["project_id"]
    path = f"/forums/{world.ids['slug']}/fair/projects/{project_id}/pledges"

    def withdraw_pending():
        """Each example pledges afresh: a pledge still pending would refuse the next one."""
        for pledge in db.session.scalars(sa.select(Pledge).where(Pledge.project_id == project_id,
                                                                 Pledge.status == PledgeStatus.pending)):
            if pledge.delegate is not None and pledge.delegate.user_id == business.id:
                fair.withdraw_pledge(pledge, business)
        db.session.commit()

    @settings(FUZZ, max_examples=EXAMPLES)
    @given(changes=PLEDGE_FIELDS)
    @example(changes={"amount_kzt": "500 000"})
    @example(changes={"amount_kzt": "1", "comment": MARKERS[0], "in_kind": MARKERS[1]})
    @example(changes={"amount_kzt": "-500"})
    @example(changes={"amount_kzt": "0"})
    @example(changes={"amount_kzt": "1000000000000"})
    @example(changes={"amount_kzt": "1000000000001"})
    @example(changes={"amount_kzt": "99999999999999999999999"})
    @example(changes={"amount_kzt": "1e309"})
    @example(changes={"in_kind": "Ноутбуктер <i>10 дана</i>", "in_kind_value_kzt": "300 000"})
    @example(changes={"in_kind": "Жабдық", "in_kind_value_kzt": "-1"})
    @example(changes={})
    def fuzz(changes):
        withdraw_pending()
        data = {"amount_kzt": "", "in_kind": "", "in_kind_value_kzt": "", "comment": "", **changes}
        before = counts(Pledge)
        response = client.post(path, data=data)
        assert_answer(client, response, data)
        assert_nothing_half_written(response, before, counts(Pledge), "Pledge")

    fuzz()


# ---------------------------------------------------------------- a memorandum (organizer)

def memorandum_form(**changes) -> dict:
    data = memorandum_form_data(memorandum_input(region_id=region("KZ-23").id), slots=3)
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def test_memorandum_form(fuzz_app, world):
    client = logged_in(fuzz_app, world.users["organizer"])
    path = f"/forums/{world.ids['slug']}/memoranda/new"
    party = {f"parties-{i}-{name}": TEXT for i in (0, 1, 2)
             for name in ("organization_name", "signatory_name", "signatory_position", "authority", "obligations_kk")}
    party.update({f"parties-{i}-signatory_email": EMAIL for i in (0, 1, 2)})
    party.update({f"parties-{i}-sign_order": AMOUNT for i in (0, 1)})
    party.update({f"parties-{i}-bin": st.one_of(TEXT, st.just("061040003334")) for i in (0, 1)})
    party.update({f"parties-{i}-sector": choice("ngo", "business", "state") for i in (0, 1)})
    fields = overrides(
        title_kk=TEXT, title_ru=TEXT, preamble_kk=TEXT, subject_ru=TEXT, term_kk=TEXT, final_provisions_ru=TEXT,
        level=choice("regional", "national"), region_id=AMOUNT, city=TEXT,
        dated=st.one_of(st.sampled_from(BAD_DATES), st.dates().map(date.isoformat), TEXT),
        project_id=st.one_of(AMOUNT, st.just(str(world.ids["project_id"]))), signing_ordered=bool_field(), **party,
    )

    @settings(FUZZ, max_examples=EXAMPLES)
    @given(changes=fields)
    @example(changes={})
    @example(changes={"title_kk": MARKERS[0], "preamble_kk": MARKERS[1], "city": MARKERS[2],
                      "parties-0-organization_name": "ҚҚ <b>Үміт</b>", "parties-1-obligations_kk": MARKERS[0]})
    @example(changes={"dated": "9999-12-31"})
    @example(changes={"dated": "0001-01-01"})
    @example(changes={"dated": "2026-02-30"})
    @example(changes={"region_id": "99999999999999999999"})
    @example(changes={"project_id": "99999999999999999999"})
    @example(changes={"parties-0-sign_order": "99999999999999999999", "signing_ordered": "y"})
    @example(changes={"parties-0-sign_order": "-1", "signing_ordered": "y"})
    @example(changes={"parties-1-organization_name": "", "parties-1-signatory_name": "",
                      "parties-1-signatory_email": "", "parties-1-signatory_position": ""})
    def fuzz(changes):
        data = memorandum_form(**changes)
        before = counts(Memorandum, Party, Organization)
        response = client.post(path, data=data)
        assert_answer(client, response, data)
        assert_nothing_half_written(response, before, counts(Memorandum, Party, Organization), "Memorandum")

    fuzz()
