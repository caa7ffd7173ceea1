from flask import g
from flask_smorest import Blueprint

from app.api import BEARER
from app.api.schemas import ErrorSchema, MeSchema
from app.auth import services
from app.auth.access import acting_user, login_required

blp = Blueprint("api_accounts", __name__, url_prefix="/api/v1", description="The token's own account")


@blp.route("/me")
@blp.doc(security=BEARER)
@blp.response(200, MeSchema)
@blp.alt_response(401, schema=ErrorSchema, description="Missing, unknown or revoked token")
@login_required
def me():
    """Who the bearer token belongs to, and their roles."""
    return acting_user()


@blp.route("/tokens/current", methods=["DELETE"])
@blp.doc(security=BEARER)
@blp.response(204)
@blp.alt_response(401, schema=ErrorSchema, description="Missing, unknown or revoked token")
@login_required
def revoke_current_token():
    """Revoke the token used for this call (e.g. when a check-in phone is lost)."""
    services.revoke_token(g.api_token)
