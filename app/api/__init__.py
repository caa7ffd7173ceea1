"""The JSON API under /api/v1. Its OpenAPI document is generated from these blueprints."""
from flask import Flask

from app.extensions import api, csrf

BEARER = [{"bearerAuth": []}]


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
