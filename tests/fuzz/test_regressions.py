"""What the fuzzers found, kept as plain tests (each was a 500 before its fix)."""
import pytest

from app.models import Delegate, Organization, Session, User
from tests.factories import make_forum, make_organizer, make_project, region
from tests.helpers.api import assert_contract_error, bearer

TOO_BIG = 2**63  # SQLite's INTEGER and PostgreSQL's bigint stop at 2^63 - 1; an id column at 2^31 - 1


@pytest.fixture
def forum(app):
    return make_forum(slug="asar")


@pytest.mark.parametrize("path", [
    f"/api/v1/fair/projects/{TOO_BIG}",
    f"/api/v1/registrations/{TOO_BIG}",
    f"/api/v1/registrations/{2**31}/badge.pdf",
    f"/api/v1/memoranda/{TOO_BIG}",
    "/api/v1/fair/projects/99999999999999999999999999",
])
def test_an_id_no_column_holds_is_a_json_404(client, forum, path):
    """Found by schemathesis: `<int:…>` took any number and the driver overflowed (OverflowError, a 500)."""
    response = client.get(path, headers=bearer(make_organizer(forum)))
    assert_contract_error(response, 404, "not_found")


def test_an_id_no_column_holds_is_a_page_404(client, forum):
    project = make_project(forum)
    assert client.get(f"/forums/asar/fair/projects/{project.id}").status_code == 200
    assert client.get(f"/forums/asar/fair/projects/{TOO_BIG}").status_code == 404


def test_the_openapi_document_bounds_ids(client):
    parameters = client.get("/api/v1/openapi.json").get_json()["paths"]["/api/v1/fair/projects/{project_id}"][
        "parameters"]
    schema = next(p["schema"] for p in parameters if p["name"] == "project_id")
    assert schema == {"type": "integer", "minimum": 0, "maximum": 2**31 - 1}


def test_an_organization_id_no_column_holds_is_a_422(client, forum, count):
    """Found by schemathesis: `organization.id` of 2^63 in a registration was a 500."""
    body = {"full_name": "Әлия Нұрланқызы", "email": "aliya@example.kz", "sector": "ngo", "consent": True,
            "organization": {"id": TOO_BIG}}
    error = assert_contract_error(client.post("/api/v1/forums/asar/registrations", json=body), 422)
    assert "organization" in error["details"]["json"]
    assert count(Delegate) == 0 and count(User) == 0


def test_a_region_no_column_holds_is_refused_beside_the_field(client, forum, count):
    """Found by the registration form fuzzer: region_id=99999999999999999999 was a 500."""
    response = client.post("/forums/asar/register", data={
        "full_name": "Әлия Нұрланқызы", "email": "aliya@example.kz", "sector": "ngo", "consent": "y",
        "participation": "in_person", "language": "kk", "region_id": "99999999999999999999"})
    assert response.status_code == 422
    assert 'id="region_id-error"' in response.get_data(as_text=True)
    assert count(Delegate) == 0 and count(User) == 0 and count(Organization) == 0


@pytest.mark.parametrize("starts_at", ["0001-01-01T00:00", "0001-01-01T04:59"])
def test_a_session_in_year_one_is_refused_not_a_500(client, forum, login, count, starts_at):
    """Found by the session form fuzzer: a time before 0001-01-01 UTC (Almaty is UTC+5) overflowed (a 500)."""
    login(make_organizer(forum))
    response = client.post("/forums/asar/planner/new", data={
        "kind": "panel", "title_kk": "Дөңгелек үстел", "title_ru": "Круглый стол", "hall_id": str(forum.halls[0].id),
        "starts_at": starts_at, "ends_at": "0001-01-01T06:00", "languages": ["kk"], "status": "published"})
    assert response.status_code == 422
    assert count(Session) == 0


def test_a_real_region_is_still_taken(client, forum, db):
    """The bound refuses no real id (the forum, registration and delegate forms share the coercion)."""
    response = client.post("/forums/asar/register", data={
        "full_name": "Әлия Нұрланқызы", "email": "aliya@example.kz", "sector": "ngo", "consent": "y",
        "participation": "in_person", "language": "kk", "region_id": str(region("KZ-23").id)})
    assert response.status_code == 302
    assert db.session.scalar(db.select(Delegate)).region_id == region("KZ-23").id
