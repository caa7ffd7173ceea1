"""The dashboard's figures (`forum_stats`): every number checked against a count written here, in plain SQL.

One scene holds a bit of everything a forum has (delegates of every kind and state, arrivals at the door,
limited and open sessions, fair projects in several states with pledges, memoranda at every step), plus a
second forum whose data must never leak in.
"""
from datetime import date, datetime, timedelta, timezone

import pytest
import sqlalchemy as sa

from app.dashboard.services import forum_stats
from app.extensions import db
from app.fair import services as fair
from app.memoranda import services as memoranda
from app.models import (CheckIn, DelegateStatus, Enrollment, EnrollmentStatus, MemorandumLevel, MemorandumStatus,
                        Participation, Sector, SessionStatus)
from app.schedule import services as schedule
from tests.factories import (at, make_delegate, make_fair_delegate, make_forum, make_memorandum, make_organization,
                             make_organizer, make_pledge, make_project, make_session, region, sign_as)

UTC = timezone.utc
DAY = date(2026, 12, 15)


def utc(hh, mm, ss=0, us=0):
    return datetime(2026, 12, 15, hh, mm, ss, us, tzinfo=UTC)


def sql(text: str, **params):
    """One figure, counted straight from the tables (enums are stored by name)."""
    return db.session.execute(sa.text(text), params).scalar()


def rows(text: str, **params):
    return db.session.execute(sa.text(text), params).all()


def delegate(forum, *, sector="ngo", region_code=None, participation="in_person", status="confirmed",
             organization=None, checked_in_at=None, method="scan"):
    """A delegate registered through the service, then given the state the scene needs."""
    person = make_delegate(forum, sector=sector)
    person.region_id = region(region_code).id if region_code else None
    person.participation = Participation(participation)
    person.organization = organization
    if checked_in_at is not None:
        # The arrival first: a delegate may be cancelled after coming in (the door still saw them).
        db.session.add(CheckIn(delegate=person, forum_id=forum.id, checked_in_at=checked_in_at, method=method))
    person.status = DelegateStatus(status)
    db.session.commit()
    return person


# The arrivals of the scene: (hour, minute, second, microsecond, method). Two share 05:00–05:15, nobody comes
# in 05:15–05:30 (a zero bucket), one arrival is of a delegate cancelled afterwards.
ARRIVALS = {
    "first": (5, 2, 0, 0, "scan"),
    "same_quarter": (5, 14, 59, 500_000, "scan"),
    "after_gap": (5, 40, 0, 0, "manual"),
    "cancelled_later": (5, 44, 0, 0, "api"),
    "last": (6, 1, 30, 0, "api"),
}


@pytest.fixture
def scene(app):
    forum = make_forum(slug="asar-atyrau", halls=2, starts_on=DAY, ends_on=DAY + timedelta(days=1))
    organizer = make_organizer(forum)
    ngo_a = make_organization("ОФ «Саңырау жастар»", Sector.ngo)
    ngo_b = make_organization("ОФ «Жасыл қала»", Sector.ngo)
    biz = make_organization("ТОО «Атырау Мұнай»", Sector.business)
    media = make_organization("«Атырау» телеарнасы", Sector.media)

    def arrival(key):
        hh, mm, ss, us, method = ARRIVALS[key]
        return {"checked_in_at": utc(hh, mm, ss, us), "method": method}

    people = [
        delegate(forum, sector="ngo", region_code="KZ-23", organization=ngo_a, **arrival("first")),
        delegate(forum, sector="ngo", region_code="KZ-23", organization=ngo_a, **arrival("same_quarter")),
        delegate(forum, sector="business", region_code="KZ-75", participation="online", organization=biz,
                 **arrival("after_gap")),
        delegate(forum, sector="state", region_code=None),
        delegate(forum, sector="academia", participation="online", **arrival("last")),
        delegate(forum, sector="ngo", region_code="KZ-71", status="pending", organization=ngo_b),
        delegate(forum, sector="media", region_code="KZ-23", participation="online", status="declined",
                 organization=media),
        delegate(forum, sector="business", region_code="KZ-75", status="cancelled", organization=biz,
                 **arrival("cancelled_later")),
        delegate(forum, sector="international", region_code="KZ-71", status="pending"),
    ]

    # The programme: a master class with 3 seats (3 in, 1 waiting), a seminar without a hall, an open plenary;
    # a draft and a cancelled session (with seats taken) that must not count among the published ones.
    master = make_session(forum, kind="master_class", capacity=3, start=(11, 0), title="Әлеуметтік кәсіпкерлік")
    seminar = make_session(forum, kind="seminar", capacity=10, start=(14, 0), hall=False, title="Азаматтық бюджет")
    make_session(forum, kind="plenary", start=(9, 0), hall=forum.halls[1], title="Пленарлық отырыс")
    draft = make_session(forum, kind="seminar", capacity=5, start=(16, 0), status="draft", title="Жоба")
    dropped = make_session(forum, kind="round_table", capacity=5, start=(18, 0), title="Дөңгелек үстел")
    confirmed = [p for p in people if p.status == DelegateStatus.confirmed]
    for person in confirmed[:4]:                   # 3 seats, then the waitlist
        schedule.enroll(master, person)
    schedule.enroll(seminar, confirmed[0])
    schedule.enroll(dropped, confirmed[1])
    db.session.add(Enrollment(session_id=draft.id, delegate_id=confirmed[2].id, status=EnrollmentStatus.enrolled))
    dropped.status = SessionStatus.cancelled
    db.session.commit()

    # The fair: one NGO, two businesses; projects in six states, pledges confirmed, pending, declined, withdrawn.
    ngo = make_fair_delegate(forum, sector="ngo")
    business_1 = make_fair_delegate(forum, sector="business")
    business_2 = make_fair_delegate(forum, sector="business")
    make_project(forum, ngo, status="submitted", budget=900_000, title="Жаңа жоба")
    make_project(forum, ngo, status="returned", budget=800_000, title="Қайтарылған жоба")
    make_project(forum, ngo, status="rejected", budget=700_000, title="Қабылданбаған жоба")
    supported = make_project(forum, ngo, status="approved", budget=3_000_000, title="Саңырау жастар")
    make_pledge(supported, business_1, amount=1_000_000, in_kind="Ноутбуктер", in_kind_value=200_000, confirm=True)
    make_pledge(supported, business_2, amount=500_000)
    funded = make_project(forum, ngo, status="presented", budget=1_000_000, booth="A1", title="Инклюзия")
    make_pledge(funded, business_2, amount=1_000_000, confirm=True)
    presented = make_project(forum, ngo, status="presented", budget=2_500_000, booth="A2", title="Экология")
    fair.decline_pledge(make_pledge(presented, business_1, amount=300_000), ngo.user)
    fair.withdraw_pledge(make_pledge(presented, business_2, amount=200_000), business_2.user)
    make_pledge(presented, business_1, amount=100_000)
    make_pledge(presented, business_2, amount=None, in_kind="Зал", in_kind_value=50_000)  # pending, no money

    # Memoranda at every step: draft, open, signed (national), published, cancelled.
    make_memorandum(forum, organizer)
    make_memorandum(forum, organizer, open_it=True)
    signed = make_memorandum(forum, organizer, parties=3, open_it=True, level="national")
    for party in signed.parties:
        sign_as(signed, party)
    published = make_memorandum(forum, organizer, parties=2, open_it=True)
    for party in published.parties:
        sign_as(published, party)
    memoranda.publish(published, organizer)
    memoranda.cancel(make_memorandum(forum, organizer, parties=4, open_it=True), organizer, "Қайта жазылады")

    _other_forum()
    db.session.expire_all()
    return forum


def _other_forum():
    """A second forum with data of every kind: none of it may show in the first one's figures."""
    other = make_forum(slug="civic-forum", starts_on=DAY)
    organizer = make_organizer(other)
    outsider = delegate(other, sector="ngo", region_code="KZ-11", organization=make_organization("ОФ «Бөтен»"),
                        checked_in_at=utc(3, 0), method="manual")
    schedule.enroll(make_session(other, capacity=1, kind="master_class"), outsider)
    project = make_project(other, status="approved", budget=5_000_000)
    make_pledge(project, amount=4_000_000, confirm=True)
    memorandum = make_memorandum(other, organizer, open_it=True)
    for party in memorandum.parties:
        sign_as(memorandum, party)


# ---------------------------------------------------------------- delegates


def test_delegate_counts_match_the_table(scene):
    stats = forum_stats(scene)["delegates"]
    f = scene.id
    for status in DelegateStatus:
        assert stats[status.value] == sql(
            "SELECT count(*) FROM delegates WHERE forum_id = :f AND status = :s", f=f, s=status.name), status
    assert stats["registered"] == sql(
        "SELECT count(*) FROM delegates WHERE forum_id = :f AND status NOT IN ('cancelled', 'declined')", f=f)
    assert stats["checked_in"] == sql(
        "SELECT count(*) FROM delegates d JOIN checkins c ON c.delegate_id = d.id "
        "WHERE d.forum_id = :f AND d.status = 'confirmed'", f=f)
    # The scene by hand: 9 + 1 NGO + 2 businesses from the fair; 4 came in and are still confirmed.
    assert (stats["registered"], stats["confirmed"], stats["pending"], stats["declined"], stats["cancelled"],
            stats["checked_in"]) == (10, 8, 2, 1, 1, 4)


def test_delegates_by_sector_list_every_sector_in_order(scene):
    by_sector = forum_stats(scene)["delegates"]["by_sector"]
    assert [row["sector"] for row in by_sector] == [s.value for s in Sector]
    for row in by_sector:
        s = row["sector"]
        assert row["registered"] == sql("SELECT count(*) FROM delegates WHERE forum_id = :f AND sector = :s "
                                        "AND status IN ('pending', 'confirmed')", f=scene.id, s=s)
        assert row["confirmed"] == sql("SELECT count(*) FROM delegates WHERE forum_id = :f AND sector = :s "
                                       "AND status = 'confirmed'", f=scene.id, s=s)
        assert row["checked_in"] == sql("SELECT count(*) FROM delegates d JOIN checkins c ON c.delegate_id = d.id "
                                        "WHERE d.forum_id = :f AND d.sector = :s AND d.status = 'confirmed'",
                                        f=scene.id, s=s)
    media = next(row for row in by_sector if row["sector"] == "media")
    assert media == {"sector": "media", "registered": 0, "confirmed": 0, "checked_in": 0}  # only a declined one


def test_delegates_by_region_known_regions_first_unknown_last(scene):
    by_region = forum_stats(scene)["delegates"]["by_region"]
    expected = {}
    for region_id, code, registered, checked_in in rows(
            "SELECT d.region_id, r.code, count(*), count(c.id) FILTER (WHERE d.status = 'confirmed') "
            "FROM delegates d LEFT JOIN regions r ON r.id = d.region_id LEFT JOIN checkins c ON c.delegate_id = d.id "
            "WHERE d.forum_id = :f AND d.status IN ('pending', 'confirmed') GROUP BY d.region_id, r.code",
            f=scene.id):
        expected[region_id] = {"region_id": region_id, "code": code, "registered": registered,
                               "checked_in": checked_in}
    assert {row["region_id"]: row for row in by_region} == expected
    assert by_region[-1]["region_id"] is None and by_region[-1]["code"] is None
    known = by_region[:-1]
    assert [row["code"] for row in known] == ["KZ-23", "KZ-71", "KZ-75"]  # most delegates first, then by code
    assert all(row["registered"] > 0 for row in by_region)
    assert "KZ-11" not in [row["code"] for row in by_region]             # the other forum's region


def test_delegates_by_format(scene):
    by_format = forum_stats(scene)["delegates"]["by_format"]
    assert [row["participation"] for row in by_format] == ["in_person", "online"]
    for row in by_format:
        assert row["registered"] == sql("SELECT count(*) FROM delegates WHERE forum_id = :f AND participation = :p "
                                        "AND status IN ('pending', 'confirmed')", f=scene.id, p=row["participation"])
        assert row["checked_in"] == sql(
            "SELECT count(*) FROM delegates d JOIN checkins c ON c.delegate_id = d.id WHERE d.forum_id = :f "
            "AND d.participation = :p AND d.status = 'confirmed'", f=scene.id, p=row["participation"])
    assert sum(row["registered"] for row in by_format) == forum_stats(scene)["delegates"]["registered"]


def test_organizations_are_counted_once_each(scene):
    organizations = forum_stats(scene)["delegates"]["organizations"]
    expected = dict(rows("SELECT o.sector, count(DISTINCT o.id) FROM organizations o "
                         "JOIN delegates d ON d.organization_id = o.id WHERE d.forum_id = :f "
                         "AND d.status IN ('pending', 'confirmed') GROUP BY o.sector", f=scene.id))
    assert organizations["by_sector"] == {s.value: expected.get(s.value, 0) for s in Sector}
    assert organizations["total"] == sql(
        "SELECT count(DISTINCT d.organization_id) FROM delegates d WHERE d.forum_id = :f "
        "AND d.status IN ('pending', 'confirmed')", f=scene.id)
    # ngo_a (two delegates), ngo_b, biz, the fair's NGO and two businesses; media's delegate was declined.
    assert organizations["total"] == 6 and organizations["by_sector"]["media"] == 0


# ---------------------------------------------------------------- check-ins


def test_checkins_per_quarter_hour_with_zeros(scene):
    checkins = forum_stats(scene)["checkins"]
    assert checkins["total"] == sql("SELECT count(*) FROM checkins WHERE forum_id = :f", f=scene.id) == 5
    assert checkins["first_at"] == "2026-12-15T05:02:00+00:00"
    assert checkins["last_at"] == "2026-12-15T06:01:30+00:00"
    assert checkins["per_15_minutes"] == [
        {"start": "2026-12-15T05:00:00+00:00", "count": 2},   # 05:02 and 05:14:59.5
        {"start": "2026-12-15T05:15:00+00:00", "count": 0},   # nobody came
        {"start": "2026-12-15T05:30:00+00:00", "count": 2},   # 05:40 and 05:44 (since cancelled: the door saw them)
        {"start": "2026-12-15T05:45:00+00:00", "count": 0},
        {"start": "2026-12-15T06:00:00+00:00", "count": 1},
    ]
    assert sum(b["count"] for b in checkins["per_15_minutes"]) == checkins["total"]
    assert checkins["by_method"] == {
        method: sql("SELECT count(*) FROM checkins WHERE forum_id = :f AND method = :m", f=scene.id, m=method)
        for method in ("scan", "manual", "api")}
    assert checkins["by_method"] == {"scan": 2, "manual": 1, "api": 2}


def test_buckets_are_aligned_to_utc_quarters_whatever_the_forum_time_zone(app):
    forum = make_forum(timezone="Asia/Kolkata")  # UTC+5:30: its quarters fall on UTC quarters too, by definition
    for minute in (29, 30, 31):
        delegate(forum, checked_in_at=utc(10, minute, 59), method="scan")
    buckets = forum_stats(forum)["checkins"]["per_15_minutes"]
    assert buckets == [{"start": "2026-12-15T10:15:00+00:00", "count": 1},
                       {"start": "2026-12-15T10:30:00+00:00", "count": 2}]


# ---------------------------------------------------------------- sessions


def test_sessions_published_with_their_seats(scene):
    sessions = forum_stats(scene)["sessions"]
    f = scene.id
    assert sessions["total"] == sql("SELECT count(*) FROM sessions WHERE forum_id = :f", f=f) == 5
    assert sessions["published"] == sql(
        "SELECT count(*) FROM sessions WHERE forum_id = :f AND status = 'published'", f=f) == 3
    assert sessions["cancelled"] == sql(
        "SELECT count(*) FROM sessions WHERE forum_id = :f AND status = 'cancelled'", f=f) == 1
    for status in ("enrolled", "waitlisted"):
        assert sessions[status] == sql(
            "SELECT count(*) FROM enrollments e JOIN sessions s ON s.id = e.session_id "
            "WHERE s.forum_id = :f AND s.status = 'published' AND e.status = :st", f=f, st=status)
    assert (sessions["enrolled"], sessions["waitlisted"]) == (4, 1)

    expected = rows("SELECT s.id, s.title_kk, s.title_ru, s.kind, h.name, s.capacity FROM sessions s "
                    "LEFT JOIN halls h ON h.id = s.hall_id WHERE s.forum_id = :f AND s.status = 'published' "
                    "ORDER BY s.starts_at", f=f)
    items = sessions["items"]
    assert [(i["id"], i["title_kk"], i["title_ru"], i["kind"], i["hall"], i["capacity"]) for i in items] == \
        [tuple(row) for row in expected]
    for item in items:
        enrolled = sql("SELECT count(*) FROM enrollments WHERE session_id = :s AND status = 'enrolled'", s=item["id"])
        waitlisted = sql("SELECT count(*) FROM enrollments WHERE session_id = :s AND status = 'waitlisted'",
                         s=item["id"])
        assert (item["enrolled"], item["waitlisted"]) == (enrolled, waitlisted)
        assert item["fill_percent"] == (enrolled * 100 // item["capacity"] if item["capacity"] else None)
        assert datetime.fromisoformat(item["starts_at"]).utcoffset() == timedelta(0)
    plenary, master, seminar = items
    assert plenary["kind"] == "plenary" and plenary["capacity"] is None and plenary["fill_percent"] is None
    assert plenary["hall"] == "Hall 2"
    assert plenary["starts_at"] == at(scene, 0, 9).astimezone(UTC).isoformat()  # 09:00 at the forum, in UTC
    assert (master["enrolled"], master["waitlisted"], master["fill_percent"]) == (3, 1, 100)
    assert (seminar["hall"], seminar["enrolled"], seminar["fill_percent"]) == (None, 1, 10)


# ---------------------------------------------------------------- the fair


def test_fair_figures_match_the_pledges(scene):
    stats = forum_stats(scene)["fair"]
    f = scene.id
    public = "('approved', 'presented', 'supported', 'funded', 'memorandum_signed')"
    assert stats["projects_total"] == sql("SELECT count(*) FROM fair_projects WHERE forum_id = :f", f=f) == 6
    assert stats["by_status"] == {status: sql(
        "SELECT count(*) FROM fair_projects WHERE forum_id = :f AND status = :s", f=f, s=status)
        for status in ("submitted", "returned", "rejected", "approved", "presented", "supported", "funded",
                       "memorandum_signed")}
    assert stats["public"] == sql(f"SELECT count(*) FROM fair_projects WHERE forum_id = :f AND status IN {public}",
                                  f=f) == 3
    assert stats["budget_kzt"] == sql(
        f"SELECT sum(budget_kzt) FROM fair_projects WHERE forum_id = :f AND status IN {public}", f=f) == 6_500_000
    # Money from the pledges themselves, not from the projects' kept totals.
    confirmed = sql("SELECT coalesce(sum(amount_kzt), 0) FROM pledges WHERE forum_id = :f AND status = 'confirmed'",
                    f=f)
    pending = sql("SELECT coalesce(sum(amount_kzt), 0) FROM pledges WHERE forum_id = :f AND status = 'pending'", f=f)
    in_kind = sql("SELECT coalesce(sum(in_kind_value_kzt), 0) FROM pledges WHERE forum_id = :f "
                  "AND status = 'confirmed'", f=f)
    assert (stats["confirmed_kzt"], stats["pending_kzt"], stats["confirmed_in_kind_kzt"]) == (confirmed, pending,
                                                                                              in_kind)
    assert (confirmed, pending, in_kind) == (2_000_000, 600_000, 200_000)
    assert stats["pledged_kzt"] == confirmed + pending
    assert stats["supported"] == sql(
        "SELECT count(DISTINCT project_id) FROM pledges WHERE forum_id = :f AND status = 'confirmed'", f=f) == 2
    assert stats["funded"] == sql(
        "SELECT count(*) FROM fair_projects p WHERE p.forum_id = :f AND p.budget_kzt <= (SELECT "
        "coalesce(sum(coalesce(amount_kzt, 0) + coalesce(in_kind_value_kzt, 0)), 0) FROM pledges "
        "WHERE project_id = p.id AND status = 'confirmed')", f=f) == 1
    assert stats["by_status"]["funded"] == 1 and stats["by_status"]["supported"] == 1


def test_top_backers_by_confirmed_support(scene):
    backers = forum_stats(scene)["fair"]["top_backers"]
    expected = rows("SELECT o.name, o.sector, coalesce(sum(p.amount_kzt), 0), "
                    "coalesce(sum(p.in_kind_value_kzt), 0), count(DISTINCT p.project_id) "
                    "FROM pledges p JOIN organizations o ON o.id = p.organization_id "
                    "WHERE p.forum_id = :f AND p.status = 'confirmed' GROUP BY o.id, o.name, o.sector",
                    f=scene.id)
    expected = sorted(({"organization": n, "sector": s, "confirmed_kzt": m, "in_kind_kzt": k, "projects": c}
                       for n, s, m, k, c in expected), key=lambda b: -(b["confirmed_kzt"] + b["in_kind_kzt"]))
    assert backers == expected
    assert [(b["confirmed_kzt"], b["in_kind_kzt"], b["projects"]) for b in backers] == [(1_000_000, 200_000, 1),
                                                                                        (1_000_000, 0, 1)]
    assert all(b["sector"] == "business" for b in backers)


def test_top_backers_stop_at_ten(app):
    forum = make_forum()
    project = make_project(forum, budget=100_000_000)
    for i in range(12):
        make_pledge(project, amount=(i + 1) * 10_000, confirm=True)
    backers = forum_stats(forum)["fair"]["top_backers"]
    assert [b["confirmed_kzt"] for b in backers] == [(i + 1) * 10_000 for i in range(11, 1, -1)]


# ---------------------------------------------------------------- memoranda


def test_memoranda_by_status_level_and_parties(scene):
    stats = forum_stats(scene)["memoranda"]
    f = scene.id
    assert stats["by_status"] == {status.value: sql(
        "SELECT count(*) FROM memoranda WHERE forum_id = :f AND status = :s", f=f, s=status.name)
        for status in MemorandumStatus}
    assert stats["by_status"] == {"draft": 1, "open": 1, "signed": 1, "published": 1, "cancelled": 1}
    assert stats["total"] == sql("SELECT count(*) FROM memoranda WHERE forum_id = :f", f=f) == 5
    assert stats["signed_total"] == sql(
        "SELECT count(*) FROM memoranda WHERE forum_id = :f AND status IN ('signed', 'published')", f=f) == 2
    assert stats["by_level"] == {level.value: sql(
        "SELECT count(*) FROM memoranda WHERE forum_id = :f AND status IN ('signed', 'published') AND level = :l",
        f=f, l=level.name) for level in MemorandumLevel}
    assert stats["by_level"] == {"regional": 1, "national": 1}
    assert stats["parties"] == sql(
        "SELECT count(DISTINCT p.organization_id) FROM memorandum_parties p JOIN memoranda m "
        "ON m.id = p.memorandum_id WHERE m.forum_id = :f AND m.status IN ('signed', 'published')", f=f) == 3


# ---------------------------------------------------------------- the whole


def test_the_forum_header_and_the_time_of_the_figures(scene):
    now = datetime(2026, 12, 15, 10, 30, 15, 123456, tzinfo=timezone(timedelta(hours=5)))
    stats = forum_stats(scene, now=now)
    assert stats["generated_at"] == "2026-12-15T05:30:15+00:00"
    assert stats["forum"] == {"slug": "asar-atyrau", "title_kk": scene.title_kk, "title_ru": scene.title_ru,
                              "starts_on": "2026-12-15", "ends_on": "2026-12-16", "timezone": "Asia/Almaty",
                              "city": "Атырау"}


def test_an_empty_forum_is_all_zeros(app):
    forum = make_forum()
    _other_forum()
    stats = forum_stats(forum)
    delegates = stats["delegates"]
    assert [delegates[k] for k in ("registered", "confirmed", "pending", "declined", "cancelled", "checked_in")] \
        == [0] * 6
    assert delegates["by_sector"] == [{"sector": s.value, "registered": 0, "confirmed": 0, "checked_in": 0}
                                      for s in Sector]
    assert delegates["by_region"] == []
    assert delegates["by_format"] == [{"participation": "in_person", "registered": 0, "checked_in": 0},
                                      {"participation": "online", "registered": 0, "checked_in": 0}]
    assert delegates["organizations"] == {"total": 0, "by_sector": {s.value: 0 for s in Sector}}
    assert stats["checkins"] == {"total": 0, "first_at": None, "last_at": None, "per_15_minutes": [],
                                 "by_method": {"scan": 0, "manual": 0, "api": 0}}
    assert stats["sessions"] == {"total": 0, "published": 0, "cancelled": 0, "enrolled": 0, "waitlisted": 0,
                                 "items": []}
    fair_stats = stats["fair"]
    assert set(fair_stats["by_status"].values()) == {0} and len(fair_stats["by_status"]) == 8
    assert all(fair_stats[k] == 0 for k in ("projects_total", "public", "budget_kzt", "pledged_kzt",
                                            "confirmed_kzt", "confirmed_in_kind_kzt", "pending_kzt", "supported",
                                            "funded"))
    assert fair_stats["top_backers"] == []
    assert stats["memoranda"] == {"total": 0, "by_status": {s.value: 0 for s in MemorandumStatus},
                                  "signed_total": 0, "by_level": {"regional": 0, "national": 0}, "parties": 0}


def test_plain_json_data_only(scene):
    import json

    stats = forum_stats(scene)
    assert json.loads(json.dumps(stats)) == stats  # no model objects, dates or lazy strings inside


class _StatementCounter:
    def __init__(self, engine):
        self.engine, self.count = engine, 0

    def _count(self, *args, **kwargs):
        self.count += 1

    def __enter__(self):
        sa.event.listen(self.engine, "before_cursor_execute", self._count)
        return self

    def __exit__(self, *exc):
        sa.event.remove(self.engine, "before_cursor_execute", self._count)


def test_a_fixed_small_number_of_statements(scene):
    empty = make_forum()
    db.session.expire_all()
    scene_slug, empty_slug = scene.slug, empty.slug
    counts = []
    for forum in (scene, empty):
        _ = (forum.slug, forum.title_kk)          # the forum itself is loaded by the caller
        with _StatementCounter(db.engine) as counter:
            forum_stats(forum)
        counts.append(counter.count)
    assert counts[0] == counts[1] <= 12, (scene_slug, empty_slug, counts)
