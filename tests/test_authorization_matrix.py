"""Who may reach what: every route of the app × every kind of person, in one table.

The routes are read from `app.url_map` (every endpoint × method but `static`, HEAD and OPTIONS). A route
without a row in TABLE fails `test_every_route_has_a_row`, naming it; a row for a route that no longer
exists fails `test_no_stale_rows`. So a new page or API call cannot ship without someone deciding who
may use it.

The world (tests/helpers/matrix.py, built once for this module on its own app and database): two
published forums, A (`matrix-a`) and B (`matrix-b`), each with its organizer, delegates, a limited
session with enrolments, a check-in, fair projects (approved, submitted with a file) and pledges,
jurors, and memoranda (A: one open for signing, one draft between other parties; B: a draft); and a
draft (unpublished) forum of A's organizer. The module builds it on its own app and database and
leaves conftest's per-test `app`/`db` fixtures alone (on PostgreSQL it empties the database after).

The roles (each a real account; see ROLES in the helper): anonymous; `delegate` (a confirmed
state-sector delegate of A); `other_delegate` (a delegate of B only); `business` (a confirmed business
delegate of A with a pledge); `ngo` (a confirmed NGO delegate of A who owns fair projects);
`signatory` (bound to a party of A's open memorandum); `juror` (on A's jury); `checkin` (check-in
staff of A); `organizer` (of A); `other_organizer` (of B only); `admin`. Two more people appear only
in CROSS_CASES (EXTRA_ROLES): an NGO delegate of A not yet confirmed, a business delegate of A cancelled.
HTML routes are requested with the session cookie the role got by logging in through the login
form; `/api/…` routes with the role's bearer token (`Authorization: Bearer …`), never a cookie.

URL parts are filled with forum A's objects (DEFAULT_PARAMS, or the row's `params`): the
`delegate`'s own registration and badge, the `business`'s own pledge, the `ngo`'s own projects,
the `signatory`'s memorandum … so for everyone else the same URL is "somebody else's object".
POSTs carry an empty form (API: a minimal valid JSON body, so the body's validation cannot answer
before the access check does): the question is only whether the role gets past the check.

Expectation classes (Expect in the helper):
  ALLOW         got past the access check: any status < 500 except 401, 403, 404 and 405, and not a
                redirect to the login page or to a forum's registration page (so 200, 201, 204, another
                redirect, 400, 409, 422 … — an empty POST may well be refused as invalid input: that is
                past the check).
  LOGIN         a redirect to /auth/login (an HTML page asking a stranger to log in).
  REGISTER      a redirect to /forums/<slug>/register: a "my forum" page or action for somebody who is
                not a delegate of that forum; nothing is shown or done.
  UNAUTHORIZED  401 (the API without a token).
  FORBIDDEN     exactly 403.
  NOT_FOUND     exactly 404 (the object is hidden from this person: its existence is not revealed).
  DENY          403 or 404, either refusal (used where the two are equally right).
Any 5xx fails every class.

Every request runs in a transaction rolled back afterwards (helper `rolled_back`: the app's engine is
swapped for one connection with an outer transaction, sessions join it through SAVEPOINTs), so
POSTs that an allowed role gets through do not change the world for the next row.

CROSS_CASES add explicit "guessing somebody else's id" requests: another delegate's registration /
badge / enrolment, another business's pledge, another NGO's project and pledges, a memorandum (draft)
of other parties, another party's invitation, another user's API token. Generated ones add, for every
route with a slug and an object id, forum B's organizer with B's slug + A's ids and A's organizer with
A's slug + B's ids (B's organizer with A's slug is the matrix's `other_organizer` column); and every
public forum-wide route of a draft forum for strangers (404). Each must answer 403 or 404.
The last tests check what a status cannot show: leaving a session takes only the caller's seat, a
badge of another forum is "invalid" at the door, the API ignores the browser's session cookie, and a
project's contacts go only to the forum's confirmed delegates, its NGO and organizers.

The table is read by `tests/helpers/matrix_probe.py` too (`python -m tests.helpers.matrix_probe
[endpoint]` prints what every role actually gets), handy when adding rows.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import pytest

from app import create_app
from app.extensions import db as _db
from config import TestConfig
from tests import conftest
from tests.helpers import matrix
from tests.helpers.matrix import ROLES, expectations

# ---------------------------------------------------------------- URL parts

# Which world object fills a URL part of that name (a key of World.ids), unless the row says otherwise.
DEFAULT_PARAMS = {
    "slug": "slug_a",
    "project_id": "project_a",
    "pledge_id": "pledge_own",
    "memorandum_id": "memo_open",
    "session_id": "session_a",
    "delegate_id": "registration_other",
    "checkin_id": "checkin_a",
    "registration_id": "registration_own",
    "hall_id": "hall_a",
    "juror_id": "juror_a",
    "attachment_id": "attachment_a",
    "public_id": "public_open",
    "token_id": "token_own",
    "token": "login_link_delegate",
}
LITERAL_PARAMS = {"kind": None, "fmt": None}  # `any(…)` converters: their first choice


@dataclass(frozen=True)
class Row:
    spec: str                                       # "role,role=CLASS … *=CLASS" (see matrix.expectations)
    params: dict = field(default_factory=dict)      # URL part -> key of World.ids, or a literal via "=value"
    json: dict | None = None                        # API body
    data: dict | None = None                        # form body


def _params(app, world, endpoint: str, overrides: dict) -> dict:
    rule = next(r for r in app.url_map.iter_rules() if r.endpoint == endpoint)
    values = {}
    for name in rule.arguments:
        key = overrides.get(name, DEFAULT_PARAMS.get(name))
        if isinstance(key, str) and key.startswith("="):
            values[name] = key[1:]
        elif key is not None:
            values[name] = world.ids[key]
        elif name in LITERAL_PARAMS:
            values[name] = sorted(rule._converters[name].items)[0]
        else:
            raise KeyError(f"{endpoint}: no value for URL part {name!r}; add it to the row's params")
    return values


def build_url(app, world, endpoint: str, method: str, params: dict | None = None) -> str:
    adapter = app.url_map.bind("localhost")
    return adapter.build(endpoint, _params(app, world, endpoint, params or {}), method=method)


def send(app, world, endpoint: str, method: str, role: str, *, params=None, json=None, data=None):
    """One request as `role`: with its bearer token on /api/, with its logged-in session elsewhere."""
    url = build_url(app, world, endpoint, method, params)
    client = app.test_client()
    kwargs = {}
    if url.startswith("/api/"):
        if role != "anonymous":
            kwargs["headers"] = {"Authorization": f"Bearer {world.tokens[role]}"}
        if method in ("POST", "PUT", "PATCH"):
            kwargs["json"] = json if json is not None else {}
    else:
        if role != "anonymous":
            client.set_cookie("session", world.cookies[role])
        if method in ("POST", "PUT", "PATCH"):
            kwargs["data"] = data if data is not None else {}
    with app.app_context():  # each request its own context, as in production (cf. conftest.IsolatedClient)
        return client.open(url, method=method, **kwargs)


def all_routes(app) -> list[tuple[str, str]]:
    """Every (endpoint, method) the app serves, but static files, HEAD and OPTIONS."""
    cached = app.extensions.get("matrix_routes")
    if cached is None:
        cached = app.extensions["matrix_routes"] = _collect_routes(app)
    return cached


def _collect_routes(app) -> list[tuple[str, str]]:
    found = set()
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static":
            continue
        for method in rule.methods - {"HEAD", "OPTIONS"}:
            found.add((rule.endpoint, method))
    return sorted(found)


# ---------------------------------------------------------------- the table

# Who may do what, in the words of README's API table and tour.
PUBLIC = "*=ALLOW"
LOGGED_IN = "anonymous=LOGIN *=ALLOW"
API_LOGGED_IN = "anonymous=UNAUTHORIZED *=ALLOW"
ORGANIZER = "anonymous=LOGIN organizer,admin=ALLOW *=FORBIDDEN"          # the forum's organizers (and admins)
CREATOR = "anonymous=LOGIN organizer,other_organizer,admin=ALLOW *=FORBIDDEN"  # the global organizer role
DOOR = "anonymous=LOGIN checkin,organizer,admin=ALLOW *=FORBIDDEN"        # the forum's door staff
DOOR_JSON = "anonymous=UNAUTHORIZED checkin,organizer,admin=ALLOW *=FORBIDDEN"  # the desk's script calls
MY_FORUM = "anonymous=LOGIN delegate,business,ngo=ALLOW *=REGISTER"       # a delegate of this forum, "me"
SIGNATORY_OR_STAFF = "signatory,organizer,admin=ALLOW *=NOT_FOUND"        # an unpublished memorandum
OWN_PROJECT = "anonymous=LOGIN ngo=ALLOW *=FORBIDDEN"                     # the NGO that submitted the project
OWN_PLEDGE_WEB = "anonymous=LOGIN business=ALLOW *=FORBIDDEN"
JUROR = "anonymous=LOGIN juror=ALLOW *=FORBIDDEN"
# the NGO's submitted project: hidden (404) from all but its NGO and the organizers, who may not edit it (403)
OWN_DRAFT = "ngo=ALLOW organizer,admin=FORBIDDEN *=NOT_FOUND"

# The NGO's submitted project, with its file (editable; not public)
DRAFT_PROJECT = {"project_id": "project_draft"}

TABLE: dict[str, Row] = {
    # --- API: accounts, forums, programme
    "api-docs.openapi_json GET": Row(PUBLIC),
    "api_accounts.me GET": Row(API_LOGGED_IN),
    "api_accounts.revoke_current_token DELETE": Row(API_LOGGED_IN),
    "api_forums.list_forums GET": Row(PUBLIC),
    "api_forums.get_forum GET": Row(PUBLIC),
    "api_programme.list_sessions GET": Row(PUBLIC),
    "api_programme.my_agenda GET": Row("anonymous=UNAUTHORIZED delegate,business,ngo=ALLOW *=FORBIDDEN"),
    "api_programme.enroll POST": Row("anonymous=UNAUTHORIZED delegate,business,ngo=ALLOW *=FORBIDDEN"),
    # business and ngo are delegates of the forum but hold no seat: 404 (nothing to leave)
    "api_programme.leave DELETE": Row("anonymous=UNAUTHORIZED delegate=ALLOW business,ngo=NOT_FOUND *=FORBIDDEN"),
    # --- API: registrations and the door
    "api_registrations.register POST": Row(PUBLIC, json={
        "full_name": "Айгүл Тестова", "email": "matrix-new@example.kz", "sector": "ngo", "consent": True}),
    "api_registrations.get_registration GET": Row(
        "anonymous=UNAUTHORIZED delegate,checkin,organizer,admin=ALLOW *=NOT_FOUND"),
    "api_registrations.get_badge GET": Row(
        "anonymous=UNAUTHORIZED delegate,checkin,organizer,admin=ALLOW *=NOT_FOUND"),
    # door staff of any forum may call it; a badge of a forum not theirs answers "invalid" (CROSS_CASES)
    "api_checkin.check_in POST": Row(
        "anonymous=UNAUTHORIZED checkin,organizer,other_organizer,admin=ALLOW *=FORBIDDEN",
        json={"token": "not-a-badge"}),
    "api_stats.forum_stats_view GET": Row("anonymous=UNAUTHORIZED organizer,admin=ALLOW *=FORBIDDEN"),
    # --- API: the fair
    "api_fair.list_projects GET": Row(PUBLIC),
    "api_fair.totals GET": Row(PUBLIC),
    "api_fair.get_project GET": Row(PUBLIC),  # approved: public (the draft: CROSS_CASES)
    "api_fair.make_pledge POST": Row("anonymous=UNAUTHORIZED business=ALLOW *=FORBIDDEN", json={"amount_kzt": 1000}),
    # the pledge is seen by its business, the project's NGO and organizers (403 for them), hidden (404) from others
    "api_fair.withdraw_pledge DELETE": Row(
        "anonymous=UNAUTHORIZED business=ALLOW ngo,organizer,admin=FORBIDDEN *=NOT_FOUND"),
    "api_fair.confirm_pledge POST": Row(
        "anonymous=UNAUTHORIZED ngo=ALLOW business,organizer,admin=FORBIDDEN *=NOT_FOUND"),
    "api_fair.decline_pledge POST": Row(
        "anonymous=UNAUTHORIZED ngo=ALLOW business,organizer,admin=FORBIDDEN *=NOT_FOUND"),
    # --- API: memoranda (memo_open: open for signing, not published)
    "api_memoranda.registry GET": Row(PUBLIC),
    "api_memoranda.get_memorandum GET": Row(SIGNATORY_OR_STAFF),
    "api_memoranda.memorandum_pdf GET": Row(SIGNATORY_OR_STAFF),
    "api_memoranda.sign POST": Row("anonymous=UNAUTHORIZED signatory=ALLOW organizer,admin=FORBIDDEN *=NOT_FOUND",
                                   json={"agree": False}),
    "api_memoranda.verify GET": Row(PUBLIC),
    "api_memoranda.verify_file POST": Row(PUBLIC),
    # --- accounts
    "auth.login GET": Row(PUBLIC),
    "auth.login POST": Row(PUBLIC),
    "auth.logout POST": Row(PUBLIC),
    "auth.signup GET": Row(PUBLIC),
    "auth.signup POST": Row(PUBLIC),
    "auth.request_link GET": Row(PUBLIC),
    "auth.request_link POST": Row(PUBLIC),
    "auth.login_link GET": Row(PUBLIC),  # the signed link is the credential, whoever opens it
    "auth.change_password GET": Row(LOGGED_IN),
    "auth.change_password POST": Row(LOGGED_IN),
    "auth.tokens GET": Row(LOGGED_IN),
    "auth.tokens POST": Row(LOGGED_IN),
    "auth.revoke_token POST": Row("anonymous=LOGIN delegate=ALLOW *=NOT_FOUND"),  # the delegate's own token
    # --- public pages
    "main.home GET": Row(PUBLIC),
    "main.healthz GET": Row(PUBLIC),
    "main.switch_language POST": Row(PUBLIC),
    "forums.show GET": Row(PUBLIC),
    "schedule.programme GET": Row(PUBLIC),
    "schedule.programme_ics GET": Row(PUBLIC),
    "schedule.programme_json GET": Row(PUBLIC),
    "schedule.programme_pdf GET": Row(PUBLIC),
    "schedule.session GET": Row(PUBLIC),
    "fair.catalogue GET": Row(PUBLIC),
    "fair.map GET": Row(PUBLIC),
    "fair.project GET": Row(PUBLIC),
    "fair.poster GET": Row(PUBLIC),
    "memoranda.registry GET": Row(PUBLIC),
    "memoranda.verify GET": Row(PUBLIC),
    "memoranda.verify POST": Row(PUBLIC),
    "memoranda.verify_lookup GET": Row(PUBLIC),
    "memoranda.verify_lookup POST": Row(PUBLIC),
    # --- forums (set-up)
    "forums.manage GET": Row(CREATOR),
    "forums.create GET": Row(CREATOR),
    "forums.create POST": Row(CREATOR),
    "forums.edit GET": Row(ORGANIZER),
    "forums.edit POST": Row(ORGANIZER),
    "forums.change_status POST": Row(ORGANIZER),
    "forums.add_hall POST": Row(ORGANIZER),
    "forums.edit_hall GET": Row(ORGANIZER),
    "forums.edit_hall POST": Row(ORGANIZER),
    "forums.delete_hall POST": Row(ORGANIZER),
    # --- registration: the delegate's own, and the organizers' list
    "registration.register GET": Row(PUBLIC),
    "registration.register POST": Row(PUBLIC),
    "registration.my_registrations GET": Row(LOGGED_IN),
    "registration.my_forum GET": Row(MY_FORUM),
    # a logged-in non-delegate is sent to the login page (not to register, as /me does): odd, but no badge
    "registration.my_badge GET": Row("delegate,business,ngo=ALLOW *=LOGIN"),
    "registration.cancel POST": Row("delegate,business,ngo=ALLOW *=NOT_FOUND"),
    "registration.manage_delegates GET": Row(ORGANIZER),
    "registration.manage_bulk POST": Row(ORGANIZER),
    "registration.manage_edit GET": Row(ORGANIZER),
    "registration.manage_edit POST": Row(ORGANIZER),
    "registration.manage_status POST": Row(ORGANIZER),
    "registration.manage_export_csv GET": Row(ORGANIZER),
    "registration.manage_export_xlsx GET": Row(ORGANIZER),
    "registration.manage_badges GET": Row(ORGANIZER),
    # --- personal data: the delegate's own copy and erasure; the organizers' on request
    "privacy.my_data GET": Row("anonymous=LOGIN delegate,business,ngo=ALLOW *=NOT_FOUND"),
    "privacy.my_erase GET": Row("anonymous=LOGIN delegate,business,ngo=ALLOW *=NOT_FOUND"),
    "privacy.my_erase POST": Row("anonymous=LOGIN delegate,business,ngo=ALLOW *=NOT_FOUND"),
    "privacy.delegate_data GET": Row(ORGANIZER),
    "privacy.delegate_erase GET": Row(ORGANIZER),
    "privacy.delegate_erase POST": Row(ORGANIZER),
    "api_privacy.personal_data GET": Row("anonymous=UNAUTHORIZED organizer,admin=ALLOW *=FORBIDDEN"),
    # --- programme: the delegate's agenda and seats, the organizers' planner
    "schedule.agenda GET": Row(MY_FORUM),
    "schedule.agenda_ics GET": Row(MY_FORUM),
    "schedule.enrol POST": Row(MY_FORUM),
    "schedule.leave POST": Row(MY_FORUM),
    "schedule.planner GET": Row(ORGANIZER),
    "schedule.planner_new GET": Row(ORGANIZER),
    "schedule.planner_new POST": Row(ORGANIZER),
    "schedule.planner_edit GET": Row(ORGANIZER),
    "schedule.planner_edit POST": Row(ORGANIZER),
    "schedule.planner_cancel GET": Row(ORGANIZER),
    "schedule.planner_cancel POST": Row(ORGANIZER),
    "schedule.planner_duplicate POST": Row(ORGANIZER),
    "schedule.planner_enrollments GET": Row(ORGANIZER),
    # --- check-in desk
    "checkin.desk GET": Row(DOOR),
    "checkin.scan POST": Row(DOOR),
    "checkin.manual POST": Row(DOOR, params={"delegate_id": "delegate_unchecked"}),
    "checkin.undo POST": Row(DOOR),
    "checkin.search GET": Row(DOOR_JSON),
    "checkin.counts GET": Row(DOOR_JSON),
    # --- dashboard, report, exports, audit
    "dashboard.show GET": Row(ORGANIZER),
    "dashboard.stats_json GET": Row(ORGANIZER),
    "dashboard.report GET": Row(ORGANIZER),
    "dashboard.report_pdf GET": Row(ORGANIZER),
    "dashboard.report_xlsx GET": Row(ORGANIZER),
    "dashboard.exports GET": Row(ORGANIZER),
    "dashboard.export GET": Row(ORGANIZER),
    "dashboard.audit GET": Row(ORGANIZER),
    "dashboard.audit_export GET": Row(ORGANIZER),
    # --- the fair: the NGO's project, the business's pledge, the jury, the organizers' review
    "fair.mine GET": Row(LOGGED_IN),
    "fair.submit GET": Row(OWN_PROJECT),
    "fair.submit POST": Row(OWN_PROJECT),
    "fair.edit GET": Row(OWN_DRAFT, params=DRAFT_PROJECT),
    "fair.edit POST": Row(OWN_DRAFT, params=DRAFT_PROJECT),
    "fair.resubmit POST": Row(OWN_DRAFT, params=DRAFT_PROJECT),
    "fair.upload POST": Row(OWN_DRAFT, params=DRAFT_PROJECT),
    # a submitted project is hidden (404) from all but its NGO and the organizers
    "fair.attachment GET": Row("ngo,organizer,admin=ALLOW *=NOT_FOUND", params=DRAFT_PROJECT),
    "fair.delete_attachment POST": Row(OWN_DRAFT, params=DRAFT_PROJECT),
    "fair.pledge POST": Row(OWN_PLEDGE_WEB),
    "fair.withdraw_pledge POST": Row(OWN_PLEDGE_WEB),
    "fair.confirm_pledge POST": Row(OWN_PROJECT),
    "fair.decline_pledge POST": Row(OWN_PROJECT),
    "fair.jury GET": Row(ORGANIZER),
    "fair.jury POST": Row(ORGANIZER),
    "fair.jury_remove POST": Row(ORGANIZER),
    "fair.jury_ranking GET": Row(ORGANIZER),
    "fair.jury_winners POST": Row(ORGANIZER),
    "fair.jury_projects GET": Row(JUROR),
    "fair.jury_score GET": Row(JUROR),
    "fair.jury_score POST": Row(JUROR),
    "fair.manage GET": Row(ORGANIZER),
    "fair.manage_totals GET": Row(ORGANIZER),
    "fair.manage_export GET": Row(ORGANIZER),
    "fair.manage_project GET": Row(ORGANIZER),
    "fair.manage_review POST": Row(ORGANIZER),
    "fair.manage_booth POST": Row(ORGANIZER),
    "fair.manage_winner POST": Row(ORGANIZER),
    "fair.manage_memorandum POST": Row(ORGANIZER),
    # --- memoranda (memo_open: open for signing; the signatory's party is one of two)
    "memoranda.manage GET": Row(ORGANIZER),
    "memoranda.new GET": Row(ORGANIZER),
    "memoranda.new POST": Row(ORGANIZER),
    "memoranda.edit GET": Row(ORGANIZER),
    "memoranda.edit POST": Row(ORGANIZER),
    "memoranda.open POST": Row(ORGANIZER),
    "memoranda.resend_invitations POST": Row(ORGANIZER),
    "memoranda.publish POST": Row(ORGANIZER),
    "memoranda.cancel POST": Row(ORGANIZER),
    "memoranda.show GET": Row("anonymous=LOGIN " + SIGNATORY_OR_STAFF),
    "memoranda.pdf GET": Row(SIGNATORY_OR_STAFF),
    "memoranda.sign GET": Row("anonymous=LOGIN signatory=ALLOW *=FORBIDDEN"),
    "memoranda.sign POST": Row("anonymous=LOGIN signatory=ALLOW *=FORBIDDEN"),
    "memoranda.waiting GET": Row(LOGGED_IN),
    # the invitation binds only the invited address's account; anyone else logged in is refused
    "memoranda.invitation GET": Row("anonymous=LOGIN signatory=ALLOW *=FORBIDDEN",
                                    params={"token": "invitation_signatory"}),
    "memoranda.invitation POST": Row("anonymous=LOGIN signatory=ALLOW *=FORBIDDEN",
                                     params={"token": "invitation_signatory"}),
}


# ---------------------------------------------------------------- fixtures


@pytest.fixture(scope="module")
def matrix_app():
    """Its own app and database, built once for the module (conftest's `app` is per test)."""
    app = create_app(type("MatrixConfig", (TestConfig,), {}))
    app.test_client_class = conftest.IsolatedClient
    with app.app_context():
        conftest._fresh_schema_once()
        try:
            with matrix.world_on(app) as world:
                yield app, world
        finally:
            _db.session.remove()
            conftest._empty_database()


# ---------------------------------------------------------------- explicit "somebody else's id" cases


@dataclass(frozen=True)
class Case:
    role: str
    endpoint: str
    method: str
    params: dict
    expect: str = "DENY"
    json: dict | None = None
    data: dict | None = None
    why: str = ""


CROSS_CASES = [
    # a delegate asks for another delegate's registration and badge (same forum, and forum B's)
    Case("delegate", "api_registrations.get_registration", "GET", {"registration_id": "registration_other"}),
    Case("delegate", "api_registrations.get_badge", "GET", {"registration_id": "registration_other"}),
    Case("delegate", "api_registrations.get_registration", "GET", {"registration_id": "registration_b"}),
    Case("delegate", "api_registrations.get_badge", "GET", {"registration_id": "registration_b"}),
    Case("ngo", "api_registrations.get_badge", "GET", {"registration_id": "registration_own"}),
    Case("delegate", "registration.manage_edit", "GET", {"delegate_id": "registration_other"}),
    Case("checkin", "api_registrations.get_registration", "GET", {"registration_id": "registration_b"},
         why="check-in staff of A asks for a registration of B"),
    Case("other_organizer", "api_registrations.get_badge", "GET", {"registration_id": "registration_own"}),
    # … another delegate's enrolment: "me" is always the caller (the other seat stays: test_leave_is_mine)
    Case("delegate", "api_programme.leave", "DELETE", {"session_id": "session_b"},
         why="forum B's session, where another delegate holds a seat"),
    Case("delegate", "schedule.planner_enrollments", "GET", {"session_id": "session_a"}, expect="FORBIDDEN"),
    Case("other_delegate", "api_programme.enroll", "POST", {"session_id": "session_a"}),
    # a business asks for another business's pledge
    Case("business", "api_fair.withdraw_pledge", "DELETE", {"pledge_id": "pledge_other_business"}),
    Case("business", "api_fair.confirm_pledge", "POST", {"pledge_id": "pledge_other_business"}),
    Case("business", "api_fair.withdraw_pledge", "DELETE", {"pledge_id": "pledge_b"}),
    Case("business", "fair.withdraw_pledge", "POST", {"pledge_id": "pledge_other_business"}),
    Case("business", "fair.withdraw_pledge", "POST", {"project_id": "project_other_ngo",
                                                      "pledge_id": "pledge_other_ngo"}),
    # an NGO answers a pledge on another NGO's project (directly, and through its own project's URL)
    Case("ngo", "api_fair.confirm_pledge", "POST", {"pledge_id": "pledge_other_ngo"}),
    Case("ngo", "api_fair.decline_pledge", "POST", {"pledge_id": "pledge_other_ngo"}),
    Case("ngo", "fair.confirm_pledge", "POST", {"project_id": "project_other_ngo", "pledge_id": "pledge_other_ngo"}),
    Case("ngo", "fair.confirm_pledge", "POST", {"project_id": "project_a", "pledge_id": "pledge_other_ngo"}),
    Case("ngo", "fair.edit", "GET", {"project_id": "project_other_ngo"}),
    Case("ngo", "fair.delete_attachment", "POST", {"project_id": "project_draft_b", "attachment_id": "attachment_b"},
         why="slug A with forum B's project"),
    Case("ngo", "fair.attachment", "GET", {"project_id": "project_draft", "attachment_id": "attachment_b"},
         why="its own project with another project's file"),
    Case("business", "api_fair.get_project", "GET", {"project_id": "project_draft"}, why="not yet public"),
    Case("other_delegate", "api_fair.get_project", "GET", {"project_id": "project_draft"}),
    Case("anonymous", "fair.project", "GET", {"project_id": "project_draft"}),
    Case("delegate", "fair.attachment", "GET", {"project_id": "project_draft"}),
    # a signatory asks for a memorandum (draft) they are not party to
    Case("signatory", "api_memoranda.get_memorandum", "GET", {"memorandum_id": "memo_draft"}),
    Case("signatory", "api_memoranda.memorandum_pdf", "GET", {"memorandum_id": "memo_draft"}),
    Case("signatory", "api_memoranda.sign", "POST", {"memorandum_id": "memo_draft"}, json={"agree": False}),
    Case("signatory", "memoranda.show", "GET", {"memorandum_id": "memo_draft"}),
    Case("signatory", "memoranda.pdf", "GET", {"memorandum_id": "memo_draft"}),
    Case("signatory", "memoranda.sign", "GET", {"memorandum_id": "memo_draft"}),
    Case("signatory", "memoranda.edit", "GET", {"memorandum_id": "memo_open"}),
    Case("signatory", "api_memoranda.get_memorandum", "GET", {"memorandum_id": "memo_b"}),
    Case("signatory", "memoranda.invitation", "GET", {"token": "invitation_other"},
         why="another party's invitation link"),
    Case("signatory", "memoranda.invitation", "POST", {"token": "invitation_other"}),
    # organizers of A ask for forum B's memorandum through the API (object ids carry no forum)
    Case("organizer", "api_memoranda.get_memorandum", "GET", {"memorandum_id": "memo_b"}),
    Case("organizer", "api_memoranda.memorandum_pdf", "GET", {"memorandum_id": "memo_b"}),
    Case("organizer", "api_registrations.get_registration", "GET", {"registration_id": "registration_b"}),
    Case("organizer", "api_fair.get_project", "GET", {"project_id": "project_draft_b"}),
    Case("organizer", "api_fair.withdraw_pledge", "DELETE", {"pledge_id": "pledge_b"}),
    Case("other_organizer", "api_fair.get_project", "GET", {"project_id": "project_draft"}),
    Case("other_organizer", "api_stats.forum_stats_view", "GET", {}, expect="FORBIDDEN"),
    # staff of forum A at forum B's door and jury; a juror of A with B's project
    Case("checkin", "checkin.desk", "GET", {"slug": "slug_b"}, expect="FORBIDDEN"),
    Case("checkin", "checkin.search", "GET", {"slug": "slug_b"}, expect="FORBIDDEN"),
    Case("checkin", "checkin.manual", "POST", {"delegate_id": "registration_b"}, why="A's desk, B's delegate"),
    Case("checkin", "checkin.undo", "POST", {"checkin_id": "checkin_b"}, why="A's desk, B's check-in"),
    Case("juror", "fair.jury_score", "GET", {"project_id": "project_b"}, why="A's jury, B's project"),
    Case("juror", "fair.jury_score", "POST", {"project_id": "project_draft"}, why="not approved"),
    Case("juror", "fair.jury_projects", "GET", {"slug": "slug_b"}, expect="FORBIDDEN"),
    # somebody else's API token
    Case("delegate", "auth.revoke_token", "POST", {"token_id": "token_other"}, expect="NOT_FOUND"),
    # registrations that do not count: pending, cancelled
    Case("pending_ngo", "fair.submit", "GET", {}, expect="FORBIDDEN"),
    Case("pending_ngo", "fair.submit", "POST", {}, expect="FORBIDDEN"),
    Case("pending_ngo", "api_programme.enroll", "POST", {}, expect="FORBIDDEN"),
    Case("cancelled_business", "api_fair.make_pledge", "POST", {}, expect="FORBIDDEN", json={"amount_kzt": 1000}),
    Case("cancelled_business", "fair.pledge", "POST", {}, expect="FORBIDDEN"),
    Case("cancelled_business", "api_programme.enroll", "POST", {}, expect="FORBIDDEN"),
    # a draft forum is its organizers' (sanity: the 404s of _draft_forum_cases are not a broken URL)
    Case("organizer", "forums.show", "GET", {"slug": "slug_draft"}, expect="ALLOW"),
]

# Forum A's objects and their counterparts in forum B (for the "B's slug with A's ids" cases).
COUNTERPART = {
    "project_a": "project_b", "project_draft": "project_draft_b", "project_other_ngo": "project_b",
    "attachment_a": "attachment_b", "pledge_own": "pledge_b", "pledge_other_business": "pledge_b",
    "session_a": "session_b", "registration_other": "registration_b", "delegate_unchecked": "registration_b",
    "checkin_a": "checkin_b", "hall_a": "hall_b", "juror_a": "juror_b", "memo_open": "memo_b",
}
ID_PARTS = {"project_id", "attachment_id", "pledge_id", "session_id", "delegate_id", "checkin_id", "hall_id",
            "juror_id", "memorandum_id"}


def _forum_crossing_cases() -> list[Case]:
    """Every route with a forum slug and an object id, as an organizer of the *other* forum:
    B's organizer with B's slug and A's ids, A's organizer with A's slug and B's ids. Always 403/404."""
    cases = []
    for key, row in TABLE.items():
        endpoint, method = key.split()
        rule_args = _RULE_ARGS.get(endpoint)
        if rule_args is None or "slug" not in rule_args or not (rule_args & ID_PARTS):
            continue
        a_ids = {name: row.params.get(name, DEFAULT_PARAMS[name]) for name in rule_args & ID_PARTS}
        cases.append(Case("other_organizer", endpoint, method, {"slug": "slug_b", **a_ids}, json=row.json,
                          data=row.data, why="forum B's organizer, B's slug, A's ids"))
        b_ids = {name: COUNTERPART[value] for name, value in a_ids.items()}
        cases.append(Case("organizer", endpoint, method, {"slug": "slug_a", **b_ids}, json=row.json,
                          data=row.data, why="forum A's organizer, A's slug, B's ids"))
    return cases


def _draft_forum_cases() -> list[Case]:
    """Every public route that names only a forum, for a draft forum: hidden (404) from everyone but its
    organizers (and admins)."""
    cases = []
    for key, row in TABLE.items():
        endpoint, method = key.split()
        rule_args = _RULE_ARGS.get(endpoint)
        if rule_args is None or "slug" not in rule_args or (rule_args - {"slug"} - set(LITERAL_PARAMS)):
            continue
        if expectations(row.spec)["anonymous"] is not matrix.ALLOW:
            continue
        for role in ("anonymous", "delegate", "other_organizer"):
            cases.append(Case(role, endpoint, method, {"slug": "slug_draft"}, expect="NOT_FOUND", json=row.json,
                              data=row.data, why="a draft forum"))
    return cases


def _rule_args() -> dict[str, set]:
    """Each endpoint's URL parts, read from the app's URL map (an app built once at collection)."""
    app = create_app(TestConfig)
    return {rule.endpoint: set(rule.arguments) for rule in app.url_map.iter_rules()}


_RULE_ARGS = _rule_args()
ALL_CROSS_CASES = CROSS_CASES + _forum_crossing_cases() + _draft_forum_cases()


# ---------------------------------------------------------------- the tests


def test_every_route_has_a_row(matrix_app):
    app, _world = matrix_app
    missing = [f"{endpoint} {method}" for endpoint, method in all_routes(app) if f"{endpoint} {method}" not in TABLE]
    assert not missing, (
        "Routes without a row in the authorization matrix (tests/test_authorization_matrix.py TABLE): "
        + ", ".join(missing) + ". Decide who may use them and add a Row for each.")


def test_no_stale_rows(matrix_app):
    app, _world = matrix_app
    served = {f"{endpoint} {method}" for endpoint, method in all_routes(app)}
    stale = sorted(set(TABLE) - served)
    assert not stale, f"Rows for routes the app no longer serves (remove them from TABLE): {', '.join(stale)}"


MATRIX = [(key, role) for key in TABLE for role in ROLES]


@pytest.mark.parametrize("route, role", MATRIX, ids=[f"{key} as {role}" for key, role in MATRIX])
def test_matrix(matrix_app, route, role):
    app, world = matrix_app
    endpoint, method = route.split()
    if (endpoint, method) not in all_routes(app):
        pytest.fail(f"{route}: stale row, the app serves no such route")
    row = TABLE[route]
    expect = expectations(row.spec)[role]
    with matrix.rolled_back():
        response = send(app, world, endpoint, method, role, params=row.params, json=row.json, data=row.data)
    problem = expect.check(response)
    assert problem is None, f"{method} {build_url(app, world, endpoint, method, row.params)} as {role}: {problem}"


@pytest.mark.parametrize("case", ALL_CROSS_CASES, ids=[
    f"{c.endpoint} {c.method} as {c.role} with {','.join(f'{k}={v}' for k, v in sorted(c.params.items()))}"
    for c in ALL_CROSS_CASES])
def test_somebody_elses_ids(matrix_app, case):
    app, world = matrix_app
    with matrix.rolled_back():
        response = send(app, world, case.endpoint, case.method, case.role, params=case.params, json=case.json,
                        data=case.data)
    problem = matrix.CLASSES[case.expect].check(response)
    url = build_url(app, world, case.endpoint, case.method, case.params)
    assert problem is None, f"{case.method} {url} as {case.role} ({case.why or 'somebody else’s object'}): {problem}"


# ---------------------------------------------------------------- what the statuses alone do not show


def _count(model, *where) -> int:
    import sqlalchemy as sa

    _db.session.expire_all()
    return _db.session.scalar(sa.select(sa.func.count()).select_from(model).where(*where))


def test_leave_is_mine(matrix_app):
    """Leaving ("…/enrollments/me") gives up the caller's seat only, never another delegate's."""
    from app.models import Enrollment

    app, world = matrix_app
    other_seat = Enrollment.id == world.ids["enrollment_other"]
    with matrix.rolled_back():
        assert send(app, world, "api_programme.leave", "DELETE", "delegate").status_code == 204
        assert _count(Enrollment, other_seat) == 1
        send(app, world, "schedule.leave", "POST", "other_delegate")
        send(app, world, "schedule.leave", "POST", "business")
        assert _count(Enrollment, other_seat) == 1
        _db.session.remove()


def test_a_badge_of_another_forum_is_invalid_at_the_door(matrix_app):
    """Door staff of forum B (its organizer) may call the check-in API, but a badge of forum A is "invalid"
    there and nobody is checked in; forum A's staff cannot check in forum B's delegates either."""
    from app.models import CheckIn, Delegate
    from app.registration.tokens import badge_token

    app, world = matrix_app
    in_a, in_b = world.ids["registration_own"], world.ids["registration_other_delegate"]
    with matrix.rolled_back():
        token_a = badge_token(_db.session.get(Delegate, in_a))
        token_b = badge_token(_db.session.get(Delegate, in_b))
        _db.session.remove()
        response = send(app, world, "api_checkin.check_in", "POST", "other_organizer", json={"token": token_a})
        assert response.status_code == 200 and response.get_json()["result"] == "invalid", response.get_json()
        response = send(app, world, "api_checkin.check_in", "POST", "checkin", json={"token": token_b})
        assert response.status_code == 200 and response.get_json()["result"] == "invalid", response.get_json()
        send(app, world, "checkin.scan", "POST", "checkin", data={"token": token_b})
        assert _count(CheckIn, CheckIn.delegate_id.in_([in_a, in_b])) == 0
        # the same badge of A at A's door checks in: the refusals above are not "always invalid"
        response = send(app, world, "api_checkin.check_in", "POST", "checkin", json={"token": token_a})
        assert response.get_json()["result"] == "checked_in"
        _db.session.remove()


@pytest.mark.parametrize("endpoint", ["api_stats.forum_stats_view", "api_accounts.me",
                                      "api_registrations.get_registration"])
def test_the_api_ignores_the_browser_session(matrix_app, endpoint):
    """A logged-in browser's cookie is no credential on /api/ (no CSRF through the API): 401 without a token."""
    app, world = matrix_app
    url = build_url(app, world, endpoint, "GET")
    client = app.test_client()
    client.set_cookie("session", world.cookies["organizer"])
    with matrix.rolled_back(), app.app_context():
        response = client.get(url)
    assert response.status_code == 401, response.status_code


CONTACT_SEERS = {"delegate", "business", "ngo", "organizer", "admin"}  # A's confirmed delegates, its NGO, staff


@pytest.mark.parametrize("role", ROLES)
def test_project_contacts_only_for_the_forums_delegates(matrix_app, role):
    """A public project is public, its NGO's contacts are not: forum A's confirmed delegates, the NGO and
    the organizers get them (API `contact`); anyone else gets null."""
    app, world = matrix_app
    with matrix.rolled_back():
        response = send(app, world, "api_fair.get_project", "GET", role)
    assert response.status_code == 200
    contact = response.get_json()["contact"]
    if role in CONTACT_SEERS:
        assert contact and contact["email"], contact
    else:
        assert contact is None, f"{role} sees the NGO's contacts: {contact}"
