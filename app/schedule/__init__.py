from flask import Blueprint

bp = Blueprint("schedule", __name__)

from app.schedule import planner, views  # noqa: E402,F401
