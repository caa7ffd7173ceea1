"""The social ideas fair: NGO projects, business pledges, the jury and the map of social initiatives."""
from flask import Blueprint

bp = Blueprint("fair", __name__)

from app.fair import jury, manage, pledges, submit, views  # noqa: E402,F401
