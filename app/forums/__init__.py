from flask import Blueprint

bp = Blueprint("forums", __name__, url_prefix="/forums")

from app.forums import views  # noqa: E402,F401
