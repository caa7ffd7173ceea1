"""Rate limits that are not about logging in: the check-in door and the public verification upload.

Each limit is read from the config at request time (so an env variable or a test can change it) and each has
its own key:

- check-in (desk scan, manual check-in, `POST /api/v1/checkin`) is counted per API token, else per signed-in
  staff member, and only for strangers per address. Ten desks behind one venue NAT share an address but not a
  token or an account, so a busy door never trips over its neighbours. The limit is generous (a desk scans a
  badge every ~2 s; `CHECKIN_RATE_LIMIT`, default 600 per minute per token/account, i.e. ten desks sharing one
  account at a scan a second): it stops a runaway script, not a queue. The three routes share one budget.
- the verification upload (`POST /verify`, `POST /verify/<id>`, `POST /api/v1/verify/<id>/file`) is open to
  anyone, so it is counted per client address (`VERIFY_UPLOAD_RATE_LIMIT`); the three share one budget too.

Over the limit: 429, the contract's JSON error on the API and at the desk's script, the friendly page otherwise
(app/errors.py). The counters live in Redis in production; if Redis is down the limiter falls back to memory
(RATELIMIT_IN_MEMORY_FALLBACK_ENABLED, RATELIMIT_SWALLOW_ERRORS in config.py): never a 500 at the door.
"""
from flask import current_app, g
from flask_limiter.util import get_remote_address

from app.extensions import limiter

CHECKIN_SCOPE = "checkin"
VERIFY_UPLOAD_SCOPE = "verify-upload"


def checkin_limit() -> str:
    return current_app.config["CHECKIN_RATE_LIMIT"]


def verify_upload_limit() -> str:
    return current_app.config["VERIFY_UPLOAD_RATE_LIMIT"]


def door_key() -> str:
    """Who is scanning: the API token, else the signed-in account, else (a stranger) the address."""
    from app.auth.access import acting_user

    user = acting_user()
    token = g.get("api_token")
    if token is not None:
        return f"token:{token.id}"
    if user is not None:
        return f"user:{user.id}"
    return f"addr:{get_remote_address()}"


def address_key() -> str:
    return f"addr:{get_remote_address()}"


checkin_rate_limit = limiter.shared_limit(checkin_limit, scope=CHECKIN_SCOPE, key_func=door_key, methods=["POST"])
verify_upload_rate_limit = limiter.shared_limit(verify_upload_limit, scope=VERIFY_UPLOAD_SCOPE,
                                                key_func=address_key, methods=["POST"])
