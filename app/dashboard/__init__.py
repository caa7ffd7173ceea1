"""The organizer's dashboard and the forum's results: live figures, the final report, exports, the audit log."""
from flask import Blueprint

bp = Blueprint("dashboard", __name__)

from app.dashboard import audit, exports, report, views  # noqa: E402,F401
