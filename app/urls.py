"""URL helpers."""
from urllib.parse import urlsplit

from werkzeug.routing import IntegerConverter


class IdConverter(IntegerConverter):
    """`<int:…>` in every route is a database id: 0 … 2^31 - 1, the integer column's range. A larger number
    matches no route (a 404) instead of overflowing the database driver (a 500)."""

    def __init__(self, map, fixed_digits=0, min=None, max=2**31 - 1, signed=False):
        super().__init__(map, fixed_digits=fixed_digits, min=min, max=max, signed=signed)


def safe_next(target: str | None) -> str | None:
    """Only same-site paths may be followed after login or a language switch (no open redirects)."""
    if not target:
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return None
    return target


def external_url(endpoint: str, **values) -> str:
    """An absolute link for letters and QR codes.

    PUBLIC_BASE_URL (e.g. https://asar.example.kz) wins, so links are right behind a proxy
    and outside requests (CLI, background work); otherwise the current request's host.
    """
    from flask import current_app, has_request_context, url_for

    base = current_app.config.get("PUBLIC_BASE_URL")
    if not base and has_request_context():
        return url_for(endpoint, _external=True, **values)
    base = base or "http://127.0.0.1:5000"
    with current_app.test_request_context(base_url=base):
        return url_for(endpoint, _external=True, **values)
