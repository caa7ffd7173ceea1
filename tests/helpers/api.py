"""Checks every API test makes the same way."""
from app.auth.services import issue_token


def bearer(user) -> dict:
    """The Authorization header of a fresh token for `user`."""
    return {"Authorization": f"Bearer {issue_token(user)}"}


def assert_contract_error(response, status, code=None) -> dict:
    """The contract's error shape: {"error": {"code": …, "message": …}}, with this status (and code)."""
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.is_json
    body = response.get_json()
    assert set(body) == {"error"}
    assert isinstance(body["error"]["message"], str) and body["error"]["message"]
    if code is not None:
        assert body["error"]["code"] == code
    return body["error"]
