"""One person of a given kind asks for an organizer's page: the parametrized permission tests share this."""
from app.auth.services import grant_forum_role
from app.models import ForumRole, GlobalRole
from tests.factories import make_forum, make_organizer, make_user

PEOPLE = {
    "delegate": lambda forum: make_user(),
    "checkin_here": lambda forum: grant_forum_role(make_user(), forum, ForumRole.checkin).user,
    "global_checkin": lambda forum: make_user(role=GlobalRole.checkin),
    "organizer_elsewhere": lambda forum: make_organizer(make_forum()),
    "organizer": lambda forum: make_organizer(forum),
    "admin": lambda forum: make_user(role=GlobalRole.admin),
}


def get_as(client, login, forum, who: str, path: str):
    """GET `path` as `who` ("anonymous" or a key of PEOPLE)."""
    if who != "anonymous":
        login(PEOPLE[who](forum))
    return client.get(path)


def assert_access(response, expected) -> None:
    """`expected` is a status code, or "login" for a redirect to the login page."""
    if expected == "login":
        assert response.status_code == 302 and "/auth/login" in response.headers["Location"]
    else:
        assert response.status_code == expected, response.status_code
