"""Exact bytes the panels put on the wire: JSON encoding and fixed HTML pages."""

from __future__ import annotations

import email.utils
import functools
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


# The web server in front of a panel, as named in its pages and Server header.
NGINX_SERVER = "nginx/1.24.0"
TEXT_PLAIN_UTF8 = "text/plain; charset=utf-8"
CLOUDFLARE_HTML = "text/html; charset=UTF-8"

# Cloudflare's names of its 52x errors, used as reason phrases and page titles.
CLOUDFLARE_ERRORS = {
    520: "Web server is returning an unknown error",
    521: "Web server is down",
    522: "Connection timed out",
    523: "Origin is unreachable",
    524: "A timeout occurred",
}

# A short page of the kind a CDN bot check sends in place of the response. A
# browser would run its script and retry with a clearance cookie.
CHALLENGE_PAGE = (
    b'<!DOCTYPE html><html lang="en-US"><head><title>Just a moment...</title>'
    b'<meta http-equiv="refresh" content="390"></head><body><noscript>Enable '
    b"JavaScript and cookies to continue</noscript></body></html>"
)


def http_date(epoch: float) -> str:
    """Return the ``Date`` header value for a time in seconds since the epoch."""
    return _http_date_of_second(int(epoch))


@functools.lru_cache(maxsize=4)
def _http_date_of_second(second: int) -> str:
    # Formatting costs microseconds on every response; a second's text is reused.
    return email.utils.formatdate(second, usegmt=True)


def nginx_error_page(status: int, reason: str, server: str = "nginx") -> bytes:
    """Return nginx's built-in error page; the footer names ``server``.

    nginx prints its version in the footer unless ``server_tokens off`` is set,
    which makes the footer plain "nginx", exactly like the panel's own page.
    """
    title = f"{status} {reason}"
    text = (
        f"<html>\r\n<head><title>{title}</title></head>\r\n<body>\r\n"
        f"<center><h1>{title}</h1></center>\r\n<hr><center>{server}</center>\r\n"
        "</body>\r\n</html>\r\n"
    )
    return text.encode("ascii")


def cloudflare_error_page(status: int, host: str, ray_id: str) -> bytes:
    """Return a short Cloudflare-style page for a 52x error."""
    reason = CLOUDFLARE_ERRORS[status]
    text = (
        f'<!DOCTYPE html>\n<html lang="en-US">\n<head><title>{host} | {status}: '
        f"{reason}</title></head>\n<body>\n<h1>{reason}</h1>\n"
        f"<p>Error code {status}</p>\n<p>Cloudflare Ray ID: {ray_id}</p>\n"
        "</body>\n</html>\n"
    )
    return text.encode("ascii")


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
