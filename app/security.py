"""Security headers on every response: pages, API answers, static files, errors and downloads.

The Content-Security-Policy allows scripts and styles from our own origin only: no inline
<script>, no inline event handlers, no `style="..."` attributes (tests/test_security_headers.py
scans the templates so none creep back). Scripts read their settings from data- attributes.
Images may also be data:/blob: URLs (QR codes, the camera's frames) and media blob: (the check-in
camera's stream). HSTS is sent only when the app runs on https (ProductionConfig).

The cookie flags live in config.py (HttpOnly and SameSite=Lax always, Secure in production).
"""
from flask import Flask, Response, request, session

CSP = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' data: blob:",
    "media-src": "'self' blob:",
    "font-src": "'self'",
    "connect-src": "'self'",
    "frame-ancestors": "'none'",
    "form-action": "'self'",
    "base-uri": "'self'",
    "object-src": "'none'",
}

HEADERS = {
    "Content-Security-Policy": "; ".join(f"{name} {value}" for name, value in CSP.items()),
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "Permissions-Policy": "camera=(self), geolocation=(), microphone=()",
    "Cross-Origin-Opener-Policy": "same-origin",
}

HSTS = "max-age=31536000"  # one year; subdomains are left to whoever runs them


def init_security(app: Flask) -> None:
    """Add the headers to every response; HSTS too when the app is served over https."""
    headers = dict(HEADERS)
    if app.config.get("PREFERRED_URL_SCHEME") == "https" or app.config.get("SESSION_COOKIE_SECURE"):
        headers["Strict-Transport-Security"] = app.config.get("HSTS_HEADER", HSTS)

    @app.after_request
    def _security_headers(response: Response) -> Response:
        for name, value in headers.items():
            response.headers.setdefault(name, value)
        if request.path.startswith("/api/") and "Cache-Control" not in response.headers and _authenticated():
            response.headers["Cache-Control"] = "no-store"  # one person's answer: no copies in caches
        return response


def _authenticated() -> bool:
    """A bearer token was shown or a signed-in session came with the request."""
    return bool(request.headers.get("Authorization")) or "_user_id" in session
