"""The authorization matrix's machinery: a two-forum world, one login per role, rolled-back requests.

Used by tests/test_authorization_matrix.py only. The world is built once per module on its own app
(see `matrix_app` there); every request of the matrix then runs inside a transaction that is rolled
back afterwards, so a POST that an allowed role gets through (cancel a registration, open a
memorandum, revoke a token …) changes nothing the next row sees.
"""
from __future__ import annotations

import contextlib
from dataclasses import dataclass, field

import sqlalchemy as sa

from app.extensions import db
from app.models import ForumRole, GlobalRole
from tests.factories import PASSWORD

# ---------------------------------------------------------------- roles

# Web roles log in through the login form (a session cookie); on /api/ the same people send a bearer token.
ROLES = (
    "anonymous",       # nobody logged in, no token
    "delegate",        # a confirmed delegate of forum A (state sector: neither NGO nor business)
    "other_delegate",  # a confirmed delegate of forum B only
    "business",        # a confirmed business delegate of forum A, who made a pledge
    "ngo",             # a confirmed NGO delegate of forum A, who owns fair projects
    "signatory",       # the invited (bound) signatory of one party of memorandum A's open memorandum
    "juror",           # a juror of forum A's fair (no registration)
    "checkin",         # check-in staff of forum A (forum role)
    "organizer",       # organizer of forum A
    "other_organizer",  # organizer of forum B only
    "admin",           # global admin
)
# People who appear only in the explicit cases, not as columns of the matrix.
EXTRA_ROLES = (
    "pending_ngo",         # an NGO delegate of A whose registration is not confirmed yet
    "cancelled_business",  # a business delegate of A whose registration was cancelled
)


# ---------------------------------------------------------------- expectation classes


@dataclass(frozen=True)
class Expect:
    name: str
    doc: str

    def check(self, response) -> str | None:
        """None when the response matches, otherwise why not."""
        status = response.status_code
        location = response.headers.get("Location", "")
        redirect = status in (301, 302, 303, 307, 308)
        to_login = redirect and "/auth/login" in location
        to_register = redirect and location.rstrip("/").endswith("/register")
        ok = {
            "ALLOW": status < 500 and status not in (401, 403, 404, 405) and not to_login and not to_register,
            "LOGIN": to_login,
            "REGISTER": to_register,
            "UNAUTHORIZED": status == 401,
            "FORBIDDEN": status == 403,
            "NOT_FOUND": status == 404,
            "DENY": status in (403, 404),
        }[self.name]
        if ok:
            return None
        where = f" -> {location}" if location else ""
        return f"expected {self.name} ({self.doc}), got {status}{where}"

    def __repr__(self) -> str:
        return self.name


ALLOW = Expect("ALLOW", "got past the access check: any status below 500 except 401/403/404/405, a redirect to "
                        "the login page or to a forum's registration page (200, 201, 204, another redirect, 400, "
                        "409, 422 …)")
LOGIN = Expect("LOGIN", "a redirect (30x) to /auth/login: a stranger sent to log in")
REGISTER = Expect("REGISTER", "a redirect (30x) to /forums/<slug>/register: not a delegate here, nothing done")
UNAUTHORIZED = Expect("UNAUTHORIZED", "401: the API without a (valid) bearer token")
FORBIDDEN = Expect("FORBIDDEN", "403: known, but not allowed")
NOT_FOUND = Expect("NOT_FOUND", "404: the object is hidden from this person (or does not exist)")
DENY = Expect("DENY", "403 or 404: either refusal, never a 2xx or 3xx")
CLASSES = {e.name: e for e in (ALLOW, LOGIN, REGISTER, UNAUTHORIZED, FORBIDDEN, NOT_FOUND, DENY)}


def expectations(spec: str) -> dict[str, Expect]:
    """'anonymous=LOGIN organizer,admin=ALLOW *=FORBIDDEN' -> {role: Expect} for every role in ROLES.

    `*` is every role not named; a role list is comma-separated. Unknown roles or classes raise.
    """
    table: dict[str, Expect] = {}
    default = None
    for part in spec.split():
        roles, _, name = part.partition("=")
        expect = CLASSES[name]
        if roles == "*":
            default = expect
            continue
        for role in roles.split(","):
            if role not in ROLES:
                raise KeyError(f"unknown role {role!r} in {spec!r}")
            if role in table:
                raise KeyError(f"role {role!r} twice in {spec!r}")
            table[role] = expect
    missing = [r for r in ROLES if r not in table]
    if missing and default is None:
        raise KeyError(f"{spec!r} names no expectation for {missing} (add *=…)")
    return {role: table.get(role, default) for role in ROLES}


# ---------------------------------------------------------------- the world


@dataclass
class World:
    ids: dict = field(default_factory=dict)      # name -> id / slug / token, filled into URLs
    users: dict = field(default_factory=dict)    # role -> user id (None for anonymous)
    emails: dict = field(default_factory=dict)   # role -> email
    tokens: dict = field(default_factory=dict)   # role -> raw API token
    cookies: dict = field(default_factory=dict)  # role -> session cookie value


def _memorandum(forum, organizer, emails: list[str], *, open_it: bool, parties: int = 2):
    """A memorandum through the service, its parties bound to accounts made for `emails`."""
    from tests.factories import make_memorandum

    return make_memorandum(forum, organizer, parties=parties, open_it=open_it, emails=emails)


def build_world() -> World:
    """Two published forums, A and B, with one object of every kind the URLs name (inside an app context)."""
    from app.auth.services import grant_forum_role, issue_token
    from app.checkin import services as checkin
    from app.fair import services as fair
    from app.memoranda import services as memoranda
    from app.models import ApiToken, CheckIn, DelegateStatus, ForumStatus
    from app.registration.tokens import login_link_token
    from app.schedule import services as schedule
    from tests.factories import (make_fair_delegate, make_forum, make_organizer, make_pledge, make_project,
                                 make_session, make_user)

    w = World()
    admin = make_user("matrix-admin@example.kz", role=GlobalRole.admin, full_name="Admin")
    organizer = make_organizer(email="matrix-org-a@example.kz")
    other_organizer = make_organizer(email="matrix-org-b@example.kz")
    forum_a = make_forum(slug="matrix-a", organizer=organizer)
    forum_b = make_forum(slug="matrix-b", organizer=other_organizer)
    # a draft forum (not yet published) of A's organizer, with a published session: hidden from everyone else
    forum_draft = make_forum(slug="matrix-draft", organizer=organizer, status=ForumStatus.draft)
    make_session(forum_draft, title="Жабық сессия")
    door = make_user("matrix-door@example.kz", full_name="Door")
    grant_forum_role(door, forum_a, ForumRole.checkin)

    # Delegates of forum A (and one of forum B)
    delegate = make_fair_delegate(forum_a, sector="state", email="matrix-delegate@example.kz")
    delegate2 = make_fair_delegate(forum_a, sector="state", email="matrix-delegate2@example.kz")
    delegate3 = make_fair_delegate(forum_a, sector="state", email="matrix-delegate3@example.kz")  # not checked in
    ngo = make_fair_delegate(forum_a, sector="ngo", email="matrix-ngo@example.kz")
    ngo2 = make_fair_delegate(forum_a, sector="ngo", email="matrix-ngo2@example.kz")
    business = make_fair_delegate(forum_a, sector="business", email="matrix-business@example.kz")
    business2 = make_fair_delegate(forum_a, sector="business", email="matrix-business2@example.kz")
    other_delegate = make_fair_delegate(forum_b, sector="ngo", email="matrix-delegate-b@example.kz")
    # registrations that do not (or no longer) count: a pending NGO, a cancelled business
    pending_ngo = make_fair_delegate(forum_a, sector="ngo", email="matrix-pending-ngo@example.kz")
    cancelled_business = make_fair_delegate(forum_a, sector="business", email="matrix-cancelled@example.kz")
    pending_ngo.status = DelegateStatus.pending
    cancelled_business.status = DelegateStatus.cancelled
    delegate_b2 = make_fair_delegate(forum_b, sector="state", email="matrix-delegate-b2@example.kz")
    business_b = make_fair_delegate(forum_b, sector="business", email="matrix-business-b@example.kz")

    # Programme: a limited session in each forum, with enrolments
    session_a = make_session(forum_a, capacity=10, kind="master_class", title="Мастер-класс A")
    session_b = make_session(forum_b, capacity=10, kind="master_class", title="Мастер-класс B")
    enrol_own = schedule.enroll(session_a, delegate)
    enrol_other = schedule.enroll(session_a, delegate2)
    schedule.enroll(session_b, delegate_b2)

    # Check-ins: delegate2 of A and delegate_b2 of B are in
    checkin.check_in_delegate(delegate2, door, method="manual")
    checkin.check_in_delegate(delegate_b2, other_organizer, method="manual")

    # The fair: the NGO's approved project (pledged by two businesses), its submitted one (with a file),
    # another NGO's project; the same in forum B
    project = make_project(forum_a, ngo, status="approved", booth="A-1")
    draft_project = make_project(forum_a, ngo, status="submitted", title="Жоба жобасы")
    attachment = fair.add_attachment(draft_project, ngo.user, "plan.pdf", _PDF)
    project2 = make_project(forum_a, ngo2, status="approved", booth="A-2", title="Басқа жоба")
    pledge = make_pledge(project, business)
    pledge_other_business = make_pledge(project, business2, amount=300_000)
    pledge_on_project2 = make_pledge(project2, business2, amount=200_000)
    project_b = make_project(forum_b, other_delegate, status="approved", booth="B-1")
    draft_project_b = make_project(forum_b, other_delegate, status="submitted", title="B жобасы")
    attachment_b = fair.add_attachment(draft_project_b, other_delegate.user, "plan.pdf", _PDF)
    pledge_b = make_pledge(project_b, business_b)
    juror_user = make_user("matrix-juror@example.kz", full_name="Juror")
    juror = fair.name_juror(forum_a, organizer, juror_user.email)
    juror_b = fair.name_juror(forum_b, other_organizer, make_user("matrix-juror-b@example.kz").email)

    # Memoranda: open (the signatory's party and another), a draft between others, forum B's draft
    memo_open = _memorandum(forum_a, organizer, ["matrix-signatory@example.kz", "matrix-signatory2@example.kz"],
                            open_it=True)
    memo_draft = _memorandum(forum_a, organizer, ["matrix-other-sig1@example.kz", "matrix-other-sig2@example.kz"],
                             open_it=False)
    memo_b = _memorandum(forum_b, other_organizer, ["matrix-b-sig1@example.kz", "matrix-b-sig2@example.kz"],
                         open_it=False)
    signatory = memo_open.parties[0].user
    db.session.commit()

    people = {
        "anonymous": None, "delegate": delegate.user, "other_delegate": other_delegate.user,
        "business": business.user, "ngo": ngo.user, "signatory": signatory, "juror": juror_user,
        "checkin": door, "organizer": organizer, "other_organizer": other_organizer, "admin": admin,
        # not columns of the matrix: for CROSS_CASES only (EXTRA_ROLES)
        "pending_ngo": pending_ngo.user, "cancelled_business": cancelled_business.user,
    }
    for role, user in people.items():
        w.users[role] = user.id if user else None
        w.emails[role] = user.email if user else None
        if user is not None:
            if not user.password_hash:
                user.set_password(PASSWORD)
            w.tokens[role] = issue_token(user, "matrix")
    db.session.commit()
    delegate_token_id = db.session.scalar(sa.select(ApiToken.id).where(ApiToken.user_id == delegate.user.id))
    issue_token(delegate2.user, "someone else's")
    delegate2_token_id = db.session.scalar(sa.select(ApiToken.id).where(ApiToken.user_id == delegate2.user.id))

    w.ids.update(
        slug_a=forum_a.slug, slug_b=forum_b.slug, slug_draft=forum_draft.slug,
        hall_a=forum_a.halls[0].id, hall_b=forum_b.halls[0].id,
        session_a=session_a.id, session_b=session_b.id,
        enrollment_own=enrol_own.id, enrollment_other=enrol_other.id,
        registration_own=delegate.id, registration_other=delegate2.id, registration_b=delegate_b2.id,
        registration_other_delegate=other_delegate.id,
        delegate_unchecked=delegate3.id, delegate_ngo=ngo.id,
        checkin_a=db.session.scalar(sa.select(CheckIn.id).where(CheckIn.delegate_id == delegate2.id)),
        checkin_b=db.session.scalar(sa.select(CheckIn.id).where(CheckIn.delegate_id == delegate_b2.id)),
        project_a=project.id, project_draft=draft_project.id, project_other_ngo=project2.id,
        project_b=project_b.id, project_draft_b=draft_project_b.id,
        attachment_a=attachment.id, attachment_b=attachment_b.id,
        pledge_own=pledge.id, pledge_other_business=pledge_other_business.id,
        pledge_other_ngo=pledge_on_project2.id, pledge_b=pledge_b.id,
        juror_a=juror.id, juror_b=juror_b.id,
        memo_open=memo_open.id, memo_draft=memo_draft.id, memo_b=memo_b.id,
        public_open=memo_open.public_id, public_draft=memo_draft.public_id, public_b=memo_b.public_id,
        invitation_signatory=memoranda.invitation_token(memo_open.parties[0]),
        invitation_other=memoranda.invitation_token(memo_draft.parties[0]),
        login_link_delegate=login_link_token(delegate.user),
        token_own=delegate_token_id, token_other=delegate2_token_id,
    )
    return w


# A tiny but whole PDF (the attachment check looks at the contents).
_PDF = (b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n"
        b"trailer<</Root 1 0 R>>\n%%EOF\n")


def log_in_everyone(app, world: World) -> None:
    """Log each role in through the real form once; keep its session cookie."""
    for role, email in world.emails.items():
        if email is None:
            continue
        client = app.test_client()
        with app.app_context():  # its own context: `g` caches the acting user
            response = client.post("/auth/login", data={"email": email, "password": PASSWORD})
        assert response.status_code == 302 and "/auth/login" not in response.headers.get("Location", ""), \
            f"{role} could not log in: {response.status_code}"
        cookie = client.get_cookie("session")
        assert cookie is not None, f"no session cookie for {role}"
        world.cookies[role] = cookie.value


# ---------------------------------------------------------------- rolled-back requests


def make_sqlite_savepoints_work(engine) -> None:
    """pysqlite starts transactions lazily and would let SAVEPOINT begin one; make BEGIN explicit.

    (The recipe of SQLAlchemy's SQLite dialect documentation, "Serializable isolation / Savepoints".)
    Only on this module's own engine: the rest of the suite is untouched.
    """
    if engine.dialect.name != "sqlite":
        return

    @sa.event.listens_for(engine, "connect")
    def _connect(dbapi_connection, _record):
        dbapi_connection.isolation_level = None

    @sa.event.listens_for(engine, "begin")
    def _begin(connection):
        connection.exec_driver_sql("BEGIN")


@contextlib.contextmanager
def rolled_back():
    """Everything the app commits inside the block is undone afterwards (inside an app context).

    The app's engine is swapped for one connection holding an outer transaction; every session the
    requests open joins it with a SAVEPOINT (join_transaction_mode="create_savepoint"), so their
    commits and rollbacks stay inside; at the end the outer transaction is rolled back.
    """
    engines = db.engines  # the live dict of the current app's engines
    engine = engines[None]
    connection = engine.connect()
    outer = connection.begin()
    engines[None] = connection
    try:
        yield
    finally:
        engines[None] = engine
        outer.rollback()
        connection.close()


@contextlib.contextmanager
def world_on(app):
    """Build the world on `app`'s (empty) database and log everyone in; inside the block, sessions
    join an outer transaction with a SAVEPOINT (see `rolled_back`). Needs the app's context."""
    from app.models import seed_regions

    make_sqlite_savepoints_work(db.engine)
    db.create_all()
    seed_regions()
    world = build_world()
    db.session.remove()
    log_in_everyone(app, world)
    factory_kw = db.session.session_factory.kw
    previous = factory_kw.get("join_transaction_mode")
    factory_kw["join_transaction_mode"] = "create_savepoint"
    try:
        yield world
    finally:
        if previous is None:
            factory_kw.pop("join_transaction_mode", None)
        else:
            factory_kw["join_transaction_mode"] = previous
        db.session.remove()
