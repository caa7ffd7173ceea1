from app.errors import fail
from flask_smorest import Blueprint

from app.api import BEARER
from app.api.schemas import CheckInIn, ErrorSchema, ScanOut
from app.auth.access import acting_user, login_required
from app.checkin import services
from app.checkin.payloads import scan_payload
from app.ratelimits import checkin_rate_limit

blp = Blueprint("api_checkin", __name__, url_prefix="/api/v1", description="Check-in at the door")


@blp.route("/checkin", methods=["POST"])
@checkin_rate_limit
@login_required  # before the body is read: no token is a 401 whatever the body holds
@blp.doc(security=BEARER)
@blp.arguments(CheckInIn)
@blp.response(200, ScanOut)
@blp.alt_response(401, schema=ErrorSchema, description="No token")
@blp.alt_response(403, schema=ErrorSchema, description="The token's user is not check-in staff")
@blp.alt_response(429, schema=ErrorSchema, description="Too many scans from this token (CHECKIN_RATE_LIMIT)")
def check_in(data):
    """Check in the holder of a badge token. Every scan answers 200 with its `result`."""
    staff = acting_user()
    if not services.may_work_any_door(staff):
        fail(403, "Only check-in staff can check delegates in.")
    return scan_payload(services.scan(data["token"], staff, method="api"))
