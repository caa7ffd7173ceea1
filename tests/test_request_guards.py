"""NUL characters never reach the database (PostgreSQL refuses them with an error): a 400, never a 500."""
import pytest


@pytest.mark.parametrize("path", ["/forums/%00", "/verify/%00", "/api/v1/forums/%00", "/forums?q=%00"])
def test_a_nul_in_the_url_is_a_bad_request(client, path):
    response = client.get(path)
    assert response.status_code == 400


def test_a_nul_in_a_form_field_is_a_bad_request_and_nothing_is_written(client, count):
    from app.models import User

    before = count(User)
    response = client.post("/auth/signup", data={"email": "a\x00@example.kz", "full_name": "Ә\x00",
                                                 "password": "correct-horse-7", "confirm": "correct-horse-7"})
    assert response.status_code == 400
    assert count(User) == before


def test_a_nul_in_a_json_body_is_a_bad_request_with_a_json_error(client):
    response = client.post("/api/v1/forums/nowhere/registrations", data='{"full_name": "A\\u0000"}',
                           content_type="application/json")
    assert response.status_code == 400
    assert response.is_json and "error" in response.get_json()


def test_ordinary_kazakh_text_and_control_free_input_pass(client):
    from tests.factories import make_forum

    make_forum(slug="asar")
    assert client.get("/forums/asar?q=Әсел Құрманғазы ғ қ ң ө ұ ү һ і").status_code == 200
    assert client.get("/forums/asar/fair?q=жастар").status_code == 200
