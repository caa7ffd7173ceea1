"""The dashboard's figures on the API: the same dict the dashboard, its live updates and the report use."""
from flask_smorest import Blueprint

from app.api import BEARER, organizers_forum
from app.api.schemas import ErrorSchema, StatsOut
from app.dashboard.services import forum_stats

blp = Blueprint("api_stats", __name__, url_prefix="/api/v1", description="The organizer's dashboard figures")


@blp.route("/forums/<slug>/stats")
@blp.doc(security=BEARER)
@blp.response(200, StatsOut, headers={"Cache-Control": {"description": "no-store: the figures are live",
                                                         "schema": {"type": "string"}}})
@blp.alt_response(401, schema=ErrorSchema, description="No valid bearer token")
@blp.alt_response(403, schema=ErrorSchema, description="Not an organizer of this forum")
@blp.alt_response(404, schema=ErrorSchema, description="No such forum")
def forum_stats_view(slug: str):
    """The forum's figures: delegates by sector, region and format; check-ins per 15 minutes; seats in sessions;
    the fair's money; memoranda signed. The forum's organizers (and admins) only; drafts included."""
    forum = organizers_forum(slug, "Only the forum's organizers see its figures.")
    return forum_stats(forum), 200, {"Cache-Control": "no-store"}
