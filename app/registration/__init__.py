from flask import Blueprint

bp = Blueprint("registration", __name__)

from app.registration import views  # noqa: E402,F401
from app.registration import manage  # noqa: E402,F401
