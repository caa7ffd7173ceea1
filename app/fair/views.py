"""The fair's public side (being built): catalogue, project page, map, poster."""
from flask import abort

from app.fair import bp


@bp.route("/forums/<slug>/fair/projects/<int:project_id>")
def project(slug: str, project_id: int):
    abort(404)
