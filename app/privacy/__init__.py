"""Personal data on the delegate's request: a copy of everything Asar holds (export) and erasure."""
from flask import Blueprint

bp = Blueprint("privacy", __name__)

from app.privacy import views  # noqa: E402,F401
