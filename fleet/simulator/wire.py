"""Exact bytes the panels put on the wire: JSON encoding and fixed HTML pages."""

from __future__ import annotations

import html
import json

# The panel encodes with ``json.dumps`` defaults, so non-ASCII text travels as
# \uXXXX escapes and the separators are ", " and ": ".
JSON_TYPE = "application/json; charset=utf-8"
# Auth failures are strings returned by the route, which Flask sends as HTML.
TEXT_HTML_UTF8 = "text/html; charset=utf-8"
TEXT_HTML = "text/html"

# BaoTa's "not logged in" page, imitating nginx, with CRLF line ends.
BAOTA_NOT_FOUND_PAGE = (
    b"<html>\r\n<head><title>404 Not Found</title></head>\r\n<body>\r\n"
    b"<center><h1>404 Not Found</h1></center>\r\n<hr><center>nginx</center>\r\n"
    b"</body>\r\n</html>\r\n"
)

# aaPanel's version of the same page: LF line ends, no final newline.
AAPANEL_NOT_FOUND_PAGE = (
    b"<html>\n<head><title>404 Not Found</title></head>\n<body>\n"
    b"<center><h1>404 Not Found</h1></center>\n<hr><center>nginx</center>\n"
    b"</body>\n</html>"
)

# The page nginx serves when the panel behind it does not respond.
BAD_GATEWAY_PAGE = (
    b"<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n"
    b"<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n"
    b"</body>\r\n</html>\r\n"
)


def encode_json(value: object) -> bytes:
    """Encode a value the way the panel's ``json.dumps`` call does."""
    return json.dumps(value).encode("ascii")


def failure_body(message: str) -> bytes:
    """Return the ``{"status": false, "msg": ...}`` body for a message."""
    return encode_json({"status": False, "msg": message})


def redirect_body(location: str) -> bytes:
    """Return the HTML body Werkzeug 2.2 sends with a redirect to ``location``."""
    escaped = html.escape(location)
    text = (
        "<!doctype html>\n<html lang=en>\n<title>Redirecting...</title>\n"
        "<h1>Redirecting...</h1>\n<p>You should be redirected automatically to "
        f'the target URL: <a href="{escaped}">{escaped}</a>. If not, click the '
        "link.\n"
    )
    return text.encode("utf-8")


LOGIN_REDIRECT_BODY = redirect_body("/login")


def v2_message(value: object) -> tuple[int, bytes]:
    """Split a handler result into the /v2 envelope's status and message bytes.

    ``{"status": bool, "msg": ...}`` results become status 0 or -1. Scalars and
    strings are wrapped as ``{"result": value}``, as aaPanel's
    ``return_message`` does, and dicts and lists are sent as they are.
    """
    if isinstance(value, dict) and value.keys() == {"status", "msg"}:
        status = value["status"]
        if isinstance(status, bool):
            message = value["msg"]
            if not isinstance(message, dict | list):
                message = {"result": message}
            return (0 if status else -1), encode_json(message)
    if isinstance(value, dict | list):
        return 0, encode_json(value)

    return 0, encode_json({"result": value})


def v2_envelope(status: int, timestamp: int, message: bytes) -> bytes:
    """Return the /v2 envelope exactly as ``json.dumps`` would encode it."""
    return b'{"status": %d, "timestamp": %d, "message": %s}' % (
        status,
        timestamp,
        message,
    )
