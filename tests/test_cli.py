"""`flask users …` and `flask demo`."""
import sqlalchemy as sa

from app.demo import DEMO_LOGINS, DEMO_SLUG
from app.models import ApiToken, CheckIn, Delegate, DelegateStatus, Forum, ForumRole, GlobalRole, Hall, Organization, User
from tests.factories import make_forum


def test_users_create_with_role(runner, db):
    result = runner.invoke(args=["users", "create", "Org@Example.kz", "--password", "Str0ng-pass", "--role", "organizer"])
    assert result.exit_code == 0, result.output
    user = db.session.scalar(sa.select(User).where(User.email == "org@example.kz"))
    assert user.role == GlobalRole.organizer and user.check_password("Str0ng-pass")


def test_users_create_for_a_forum_grants_the_forum_role(runner, db):
    forum = make_forum(slug="atyrau")
    result = runner.invoke(args=["users", "create", "desk@example.kz", "--password", "Str0ng-pass",
                                 "--role", "checkin", "--forum", "atyrau"])
    assert result.exit_code == 0, result.output
    user = db.session.scalar(sa.select(User).where(User.email == "desk@example.kz"))
    assert [(fr.forum_id, fr.role) for fr in user.forum_roles] == [(forum.id, ForumRole.checkin)]


def test_users_create_refuses_duplicates_weak_passwords_and_unknown_forums(runner, count):
    assert runner.invoke(args=["users", "create", "a@example.kz", "--password", "Str0ng-pass"]).exit_code == 0
    dup = runner.invoke(args=["users", "create", "A@example.kz", "--password", "Str0ng-pass"])
    assert dup.exit_code != 0 and "already exists" in dup.output
    weak = runner.invoke(args=["users", "create", "b@example.kz", "--password", "123"])
    assert weak.exit_code != 0 and "at least 8" in weak.output
    nowhere = runner.invoke(args=["users", "create", "c@example.kz", "--password", "Str0ng-pass", "--forum", "nope"])
    assert nowhere.exit_code != 0
    assert count(User) == 1


def test_users_token_prints_a_working_token_once(runner, client, db):
    runner.invoke(args=["users", "create", "door@example.kz", "--password", "Str0ng-pass", "--role", "checkin"])
    result = runner.invoke(args=["users", "token", "door@example.kz"])
    raw = result.output.strip()
    assert result.exit_code == 0 and raw.startswith("asar_")
    assert db.session.scalar(sa.select(ApiToken.token_hash)) == ApiToken.hash(raw)
    assert client.get("/api/v1/me", headers={"Authorization": f"Bearer {raw}"}).get_json()["email"] == "door@example.kz"
    revoked = runner.invoke(args=["users", "revoke-tokens", "door@example.kz"])
    assert "Revoked 1" in revoked.output
    assert client.get("/api/v1/me", headers={"Authorization": f"Bearer {raw}"}).status_code == 401


def test_users_token_for_an_unknown_email_fails(runner):
    result = runner.invoke(args=["users", "token", "ghost@example.kz"])
    assert result.exit_code != 0 and "No account" in result.output


def test_demo_loads_once_and_prints_the_logins(runner, count, db):
    first = runner.invoke(args=["demo"])
    assert first.exit_code == 0 and "Demo forum loaded" in first.output
    for _, email, password in DEMO_LOGINS:
        assert email in first.output and password in first.output
    snapshot = {model: count(model) for model in (Forum, Hall, Organization, User, Delegate, CheckIn)}
    second = runner.invoke(args=["demo"])
    assert second.exit_code == 0 and "nothing changed" in second.output
    assert {model: count(model) for model in snapshot} == snapshot

    forum = db.session.scalar(sa.select(Forum).where(Forum.slug == DEMO_SLUG))
    assert forum.city == "Атырау" and forum.is_published and len(forum.days) == 2
    assert len(forum.halls) >= 4
    sectors = {o.sector.value for o in db.session.scalars(sa.select(Organization))}
    assert {"ngo", "business", "state"} <= sectors
    organizer = db.session.scalar(sa.select(User).where(User.email == "organizer@asar.demo"))
    assert organizer.has_forum_role(forum, ForumRole.organizer)

    # 300 delegates, plus the ideas fair's NGO and business delegates (tests/fair/test_demo_fair.py).
    assert count(Delegate, Delegate.status == DelegateStatus.confirmed, Delegate.email.like("delegate%")) == 300
    delegate_sectors = set(db.session.scalars(sa.select(Delegate.sector).distinct()))
    assert len(delegate_sectors) >= 4
    assert len(set(db.session.scalars(sa.select(Delegate.region_id).distinct()))) >= 5
    assert 50 < count(CheckIn) < 300


def test_demo_if_empty_leaves_a_real_database_alone(runner, count):
    make_forum(slug="real-forum")
    result = runner.invoke(args=["demo", "--if-empty"])
    assert "not loaded" in result.output
    assert count(Forum) == 1


def test_demo_logins_work(runner, browser):
    runner.invoke(args=["demo"])
    for _, email, password in DEMO_LOGINS:
        assert browser.login(email, password).status_code == 302
        browser.logout()


def test_demo_programme_keeps_every_scheduling_rule(runner, db):
    from app.models import Enrollment, EnrollmentStatus, Session, SessionKind
    from app.schedule import services as schedule

    runner.invoke(args=["demo"])
    forum = db.session.scalar(sa.select(Forum).where(Forum.slug == DEMO_SLUG))
    sessions = schedule.programme(forum)
    assert {s.kind for s in sessions} >= {SessionKind.plenary, SessionKind.panel, SessionKind.master_class,
                                          SessionKind.seminar, SessionKind.conference, SessionKind.round_table,
                                          SessionKind.ceremony}
    assert sum(1 for s in sessions if s.kind == SessionKind.master_class) == 3
    assert {s.starts_at.astimezone(forum.tzinfo).date() for s in sessions} == set(forum.days)
    for session in sessions:
        data = schedule._input_from(session, session.starts_at, session.ends_at)
        data.status = session.status.value
        assert schedule.check_rules(forum, data, session) == [], session.title
    for session in db.session.scalars(sa.select(Session).where(Session.capacity.is_not(None))):
        enrolled = db.session.scalar(sa.select(sa.func.count()).select_from(Enrollment).where(
            Enrollment.session_id == session.id, Enrollment.status == EnrollmentStatus.enrolled))
        assert enrolled <= session.capacity

