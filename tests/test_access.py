"""Who may open what: one table of route × role → status (403 for the known, login for strangers)."""
import pytest

from app.auth.services import grant_forum_role
from app.models import ForumRole, ForumStatus, GlobalRole
from tests.factories import make_forum, make_user

ROLES = ["anonymous", "delegate", "checkin", "organizer_here", "organizer_elsewhere", "admin"]

# (method, path, expected status per role in ROLES order); "login" = redirected to the login page.
TABLE = [
    ("GET", "/", [200, 200, 200, 200, 200, 200]),
    ("GET", "/forums/open-forum", [200, 200, 200, 200, 200, 200]),
    ("GET", "/forums/draft-forum", [404, 404, 404, 200, 404, 200]),
    ("GET", "/forums/manage", ["login", 403, 403, 200, 200, 200]),
    ("GET", "/forums/new", ["login", 403, 403, 200, 200, 200]),
    ("GET", "/forums/open-forum/edit", ["login", 403, 403, 200, 403, 200]),
    ("GET", "/forums/draft-forum/edit", ["login", 403, 403, 200, 403, 200]),
    ("POST", "/forums/open-forum/status", ["login", 403, 403, 400, 403, 400]),
    ("POST", "/forums/open-forum/halls", ["login", 403, 403, 422, 403, 422]),
    ("GET", "/forums/open-forum/halls/{hall}", ["login", 403, 403, 200, 403, 200]),
    ("GET", "/forums/no-such-forum/edit", [404, 404, 404, 404, 404, 404]),
    ("GET", "/auth/password", ["login", 200, 200, 200, 200, 200]),
]


@pytest.fixture
def world(app):
    organizer = make_user("org@example.kz", role=GlobalRole.organizer)
    open_forum = make_forum(slug="open-forum", organizer=organizer)
    make_forum(slug="draft-forum", organizer=organizer, status=ForumStatus.draft)
    other_forum = make_forum(slug="other-forum")
    users = {
        "anonymous": None,
        "delegate": make_user("delegate@example.kz"),
        "checkin": make_user("door@example.kz"),
        "organizer_here": organizer,
        "organizer_elsewhere": make_user("org2@example.kz", role=GlobalRole.organizer),
        "admin": make_user("admin@example.kz", role=GlobalRole.admin),
    }
    grant_forum_role(users["checkin"], open_forum, ForumRole.checkin)
    grant_forum_role(users["organizer_elsewhere"], other_forum, ForumRole.organizer)
    return users, {"hall": open_forum.halls[0].id}


@pytest.mark.parametrize("method, path, expected", TABLE, ids=[f"{m} {p}" for m, p, _ in TABLE])
@pytest.mark.parametrize("role_index", range(len(ROLES)), ids=ROLES)
def test_access(client, login, world, method, path, expected, role_index):
    users, ids = world
    user = users[ROLES[role_index]]
    if user is not None:
        login(user)
    response = client.open(path.format(**ids), method=method)
    want = expected[role_index]
    if want == "login":
        assert response.status_code == 302
        assert "/auth/login" in response.headers["Location"]
    else:
        assert response.status_code == want


def test_forbidden_page_is_friendly(client, login, world):
    users, _ = world
    login(users["delegate"])
    response = client.get("/forums/new")
    assert response.status_code == 403
    assert "You do not have permission" in response.get_data(as_text=True)


def test_global_checkin_staff_work_every_forum(app):
    forum = make_forum()
    door = make_user(role=GlobalRole.checkin)
    assert door.has_forum_role(forum, ForumRole.checkin)
    assert not door.has_forum_role(forum, ForumRole.organizer)
