from app.errors import fail
from flask_smorest import Blueprint

from app.api.schemas import ErrorSchema, ForumDetailSchema, ForumSchema
from app.auth.access import acting_user
from app.forums import services
from app.models import ForumRole, ForumStatus

blp = Blueprint("api_forums", __name__, url_prefix="/api/v1", description="Forums and their halls")


@blp.route("/forums")
@blp.response(200, ForumSchema(many=True))
def list_forums():
    """Published forums, newest first."""
    return services.published_forums()


@blp.route("/forums/<slug>")
@blp.response(200, ForumDetailSchema)
@blp.alt_response(404, schema=ErrorSchema, description="No such forum (or it is not published)")
def get_forum(slug: str):
    """One forum with its halls. Drafts are visible only to the forum's organizers."""
    forum = services.get_forum(slug)
    if forum is None:
        fail(404, "No such forum.")
    if forum.status == ForumStatus.draft:
        user = acting_user()
        if user is None or not user.has_forum_role(forum, ForumRole.organizer):
            fail(404, "No such forum.")
    return forum
