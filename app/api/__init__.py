"""The JSON API under /api/v1. Its OpenAPI document is generated from these blueprints."""
from flask import Flask

from app.extensions import api, csrf

BEARER = [{"bearerAuth": []}]


def organizers_forum(slug: str, refusal: str):
    """The forum, for a caller who organizes it: 401 without a token, 404 for no such forum, else 403
    with `refusal` (the figures and the delegates' data are the organizers' alone; admins pass)."""
    from app.auth.access import acting_user
    from app.errors import fail
    from app.forums.services import get_forum
    from app.models import ForumRole

    user = acting_user()
    if user is None:
        fail(401, "A valid bearer token is required.")
    forum = get_forum(slug)
    if forum is None:
        fail(404, "No such forum.")
    if not user.has_forum_role(forum, ForumRole.organizer):
        fail(403, refusal, "not_organizer")
    return forum


def register_api(app: Flask) -> None:
    from app.api import accounts, checkin, fair, forums, memoranda, privacy, programme, registrations, stats
    from app.api.schemas import ErrorSchema

    api.ERROR_SCHEMA = ErrorSchema  # the contract's error shape, in every documented error response
    api.init_app(app, spec_kwargs={
        "info": {"description": "Asar: registration, programme, check-in, ideas fair and "
                                "memoranda of ASAR-style forums. Errors are "
                                "`{\"error\": {\"code\", \"message\"}}`."},
        "servers": [{"url": "/"}],
    })
    api.spec.components.security_scheme(
        "bearerAuth", {"type": "http", "scheme": "bearer",
                       "description": "A token from `flask users token EMAIL`."}
    )
    for blueprint in (forums.blp, registrations.blp, checkin.blp, programme.blp, fair.blp, memoranda.blp,
                      accounts.blp, stats.blp, privacy.blp):
        csrf.exempt(blueprint)
        api.register_blueprint(blueprint)
