"""Memoranda pages (filled in by the web layer)."""
from flask import abort

from app.memoranda import bp


@bp.route("/memoranda/invitations/<token>")
def invitation(token: str):
    abort(404)


@bp.route("/verify/<public_id>")
def verify(public_id: str):
    abort(404)
