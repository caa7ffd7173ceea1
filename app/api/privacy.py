"""A delegate's personal data on the API, for the forum's organizers handling a request by other means
(a letter, a visit): the same copy the delegate downloads from "my forum" (app/privacy/services.py)."""
from flask_smorest import Blueprint
from marshmallow import Schema, fields

from app.api import BEARER, organizers_forum
from app.api.schemas import ErrorSchema
from app.auth.access import acting_user
from app.errors import fail
from app.privacy import services as privacy

blp = Blueprint("api_privacy", __name__, url_prefix="/api/v1", description="Personal data on the delegate's request")

MAX_ID = 2**31 - 1


class PersonalDataOut(Schema):
    format = fields.String()
    version = fields.Integer()
    exported_at = fields.String()
    forum = fields.Dict()
    registration = fields.Dict()
    account = fields.Dict(allow_none=True)
    checkin = fields.Dict(allow_none=True)
    enrollments = fields.List(fields.Dict())
    fair_projects = fields.List(fields.Dict())
    pledges = fields.List(fields.Dict())
    programme_roles = fields.List(fields.Dict())
    memoranda = fields.List(fields.Dict())
    signatures = fields.List(fields.Dict())
    history = fields.List(fields.Dict())


@blp.route("/forums/<slug>/delegates/<int:delegate_id>/personal-data")
@blp.doc(security=BEARER)
@blp.response(200, PersonalDataOut)
@blp.alt_response(401, schema=ErrorSchema, description="No valid bearer token")
@blp.alt_response(403, schema=ErrorSchema, description="Not an organizer of this forum")
@blp.alt_response(404, schema=ErrorSchema, description="No such forum, or no such delegate in it")
def personal_data(slug: str, delegate_id: int):
    """Everything Asar holds about one delegate of the forum: registration, account, check-in, seats, fair
    projects and pledges, memoranda and signatures, history. The forum's organizers (and admins) only; each
    copy handed out is noted in the audit log."""
    forum = organizers_forum(slug, "Only the forum's organizers hand out a delegate's data.")
    delegate = privacy.delegate_for_organizer(forum, delegate_id) if 0 < delegate_id <= MAX_ID else None
    if delegate is None:
        fail(404, "No such delegate.")
    data = privacy.personal_data(delegate)
    privacy.record_export(delegate, acting_user(), by="organizer")
    return data, 200, {"Cache-Control": "no-store"}
