"""Memoranda of cooperation: drafting, online signing, the sealed PDF, public verification and the registry."""
from flask import Blueprint

bp = Blueprint("memoranda", __name__)

from app.memoranda import views  # noqa: E402,F401
