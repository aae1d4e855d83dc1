"""aiohttp responses with the panel's exact status codes, headers and bodies."""

from __future__ import annotations

from aiohttp import web

from fleet.simulator import wire
from fleet.simulator.flavours import FlavourProfile

# A simulator extension: real panels never compare request_time with a clock.
CLOCK_WINDOW_BODY = wire.failure_body(
    "request_time is outside the simulated panel's clock window"
)


def not_found(profile: FlavourProfile) -> web.Response:
    """Return the nginx-style 404 page the panel sends to unauthenticated callers."""
    return _response(404, profile.not_found_page, wire.TEXT_HTML)


def redirect_to_login() -> web.Response:
    """Return Werkzeug's 302 to /login."""
    response = _response(302, wire.LOGIN_REDIRECT_BODY, wire.TEXT_HTML_UTF8)
    response.headers["Location"] = "/login"

    return response


def unauthenticated(profile: FlavourProfile) -> web.Response:
    """Return the response for "API off" or missing signature fields."""
    if profile.redirects_unauthenticated:
        return redirect_to_login()
    return not_found(profile)


def auth_failure(body: bytes) -> web.Response:
    """Return an auth failure: a JSON string that Flask sends as HTML with 200."""
    return _response(200, body, wire.TEXT_HTML_UTF8)


def json_result(body: bytes) -> web.Response:
    """Return a handler result."""
    return _response(200, body, wire.JSON_TYPE)


def empty(status: int) -> web.Response:
    """Return a response with no body and no content type."""
    return web.Response(status=status)


def _response(status: int, body: bytes, content_type: str) -> web.Response:
    return web.Response(
        status=status, body=body, headers={"Content-Type": content_type}
    )
