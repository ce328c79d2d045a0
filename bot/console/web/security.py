"""Cookies, CSRF checks and the security headers of every response."""

from __future__ import annotations

import hmac

from sanic.request import Request
from sanic.response import BaseHTTPResponse

SESSION_COOKIE = "console_session"
LOGIN_CSRF_COOKIE = "console_login_csrf"  # double-submit token of the login form
LANGUAGE_COOKIE = "console_lang"
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "X-CSRF-Token"

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'none'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self'",
        "connect-src 'self'",
        "form-action 'self'",
        "base-uri 'none'",
        "frame-ancestors 'none'",
    ]
)
SECURITY_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cross-Origin-Opener-Policy": "same-origin",
}
NO_STORE = "no-store, max-age=0"


def add_security_headers(request: Request, response: BaseHTTPResponse) -> None:
    """Response middleware: the headers above, and no caching except for static files."""
    for name, value in SECURITY_HEADERS.items():
        response.headers[name] = value
    if not request.path.startswith("/static/"):
        response.headers["Cache-Control"] = NO_STORE
        response.headers["Pragma"] = "no-cache"


def set_cookie(
    response: BaseHTTPResponse,
    name: str,
    value: str,
    *,
    secure: bool,
    max_age: int | None = None,
    http_only: bool = True,
) -> None:
    """A path-wide, SameSite=Strict cookie (HttpOnly unless told otherwise)."""
    response.cookies[name] = value
    cookie = response.cookies[name]
    cookie["path"] = "/"
    cookie["samesite"] = "Strict"
    cookie["httponly"] = http_only
    if secure:
        cookie["secure"] = True
    if max_age is not None:
        cookie["max-age"] = max_age


def clear_cookie(response: BaseHTTPResponse, name: str, *, secure: bool) -> None:
    """Tell the browser to drop a cookie."""
    set_cookie(response, name, "", secure=secure, max_age=0)


def same_token(expected: str | None, given: str | None) -> bool:
    """Constant-time comparison of two non-empty tokens."""
    if not expected or not given:
        return False
    return hmac.compare_digest(expected.encode("utf-8"), given.encode("utf-8"))


def submitted_csrf(request: Request) -> str | None:
    """The CSRF token of a POST: the form field, or the header for ``fetch()``."""
    header = request.headers.get(CSRF_HEADER)
    if header:
        return str(header)
    if request.content_type.startswith(
        ("application/x-www-form-urlencoded", "multipart/form-data")
    ):
        return request.form.get(CSRF_FIELD)
    return None


def safe_next(target: str | None) -> str:
    """A local path to go to after sign-in; anything else becomes ``/``."""
    if (
        target
        and target.startswith("/")
        and not target.startswith(("//", "/\\"))
        and all(char.isprintable() and not char.isspace() for char in target)
    ):
        return target
    return "/"
