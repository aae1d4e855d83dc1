"""Turn a panel's HTTP response into a payload or a typed error.

The panel reports auth failures as HTTP 200 JSON labelled ``text/html``, so the
body, not the status code, decides the outcome. The messages below are the
exact strings BaoTa (Chinese) and aaPanel (English) send.

Only gateway statuses are marked retryable here (transport errors are marked
in ``translate``). An empty body or a wrong label does not change when the
same read is sent again, so those are reported at once: ``retryable`` stays
False for ``bad_response.empty``, ``.not_json`` and ``.encoding``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any

from fleet.errors import (
    AuthError,
    BadResponseError,
    ErrorKind,
    HTTPStatusError,
    PanelError,
    PanelRefusedError,
    UnknownActionError,
)

BOM = b"\xef\xbb\xbf"
SNIPPET_CHARS = 200
# Gateway and CDN pages that usually pass: 502-504 from nginx, 520-524 from
# Cloudflare-style proxies.
TRANSIENT_STATUSES = frozenset({502, 503, 504, 520, 521, 522, 523, 524})

_LOCKOUT = ("连续20次验证失败", "20 consecutive verification failures")
_IP_CHECK = ("IP校验失败", "IP validation failed")
_WRONG_KEY = ("密钥校验失败", "Secret key verification failed")
_UNKNOWN_ACTION = ("指定参数无效", "Specific parameters are invalid")
_SEEN_ADDRESS = re.compile(r"\[([^\]]*)\]")

# The page the panel sends when the API is off or a request is unsigned.
PANEL_404_PAGE = (
    b"<html>\r\n<head><title>404 Not Found</title></head>\r\n<body>\r\n"
    b"<center><h1>404 Not Found</h1></center>\r\n<hr><center>nginx</center>\r\n"
    b"</body>\r\n</html>\r\n"
)
_CDN_HEADERS = (
    ("X-Amz-Cf-Id", "CloudFront"),
    ("X-Akamai-Request-ID", "Akamai"),
    ("X-Sucuri-ID", "Sucuri"),
    ("Ali-Swift-Global-Savetime", "Alibaba Cloud CDN"),
    ("X-Cache-Lookup", "Tencent Cloud CDN"),
)
WHITELIST_HINT = "Settings > API interface > IP whitelist"


def decode_answer(
    status: int,
    headers: Mapping[str, str],
    body: bytes,
    client_address: str | None = None,
) -> Any:
    """Return the decoded payload of a 200 response, or raise the matching error.

    ``client_address`` is this host's local address on the connection, if
    known; auth errors name it so a proxy or NAT in between becomes visible.
    """
    if status != 200:
        raise status_error(status, headers, body, client_address)
    if body.startswith(BOM):
        body = body[len(BOM) :]
    if not body.strip():
        raise BadResponseError(
            "the panel sent HTTP 200 with an empty body",
            ErrorKind.BAD_RESPONSE_EMPTY,
        )
    payload = parse_json(body, status, headers)
    check_refusal(payload, client_address)

    return payload


def parse_json(body: bytes, status: int, headers: Mapping[str, str]) -> Any:
    """Parse a JSON body, whatever content type it is labelled with."""
    try:
        return json.loads(body)
    except RecursionError:
        summary = describe(status, headers, body)
        raise BadResponseError(f"the JSON is too deeply nested ({summary})") from None
    except ValueError as exc:
        raise BadResponseError(
            f"the response is not JSON ({describe(status, headers, body)})"
        ) from exc


def status_error(
    status: int,
    headers: Mapping[str, str],
    body: bytes,
    client_address: str | None = None,
) -> PanelError:
    """Return the error for a response other than HTTP 200."""
    location = headers.get("Location", "")
    if status in (301, 302, 303, 307, 308) and "/login" in location:
        return AuthError(
            f"the panel redirected to {location!r} instead of responding: the API "
            "is off or rejected the request; turn it on under Settings > API "
            "interface",
            ErrorKind.AUTH_API_DISABLED,
        )
    if status == 401:
        return AuthError(http_401_message(client_address), ErrorKind.AUTH_HTTP_401)
    if status == 404 and is_panel_404(headers, body):
        return AuthError(
            "the panel returned its 404 page: the API is off, the request lacked "
            "its signature, or the action failed; turn the API on under Settings "
            "> API interface and check the action's parameters",
            ErrorKind.AUTH_API_DISABLED,
        )
    if status == 404:
        server = headers.get("Server") or "a web server"
        return BadResponseError(
            f"not the panel's API: HTTP 404 from {server} at this address "
            f"({describe(status, headers, body)}); check the URL's host and port"
        )
    cdn = cdn_name(headers)
    if status == 403 and cdn:
        return HTTPStatusError(
            f"HTTP 403 from {cdn} in front of the panel, probably a bot challenge "
            f"({describe(status, headers, body)}); allow this host in the CDN's "
            "firewall or address the panel's origin directly",
            status,
        )
    retryable = status in TRANSIENT_STATUSES
    origin = f" from {cdn} in front of the panel" if cdn else ""

    return HTTPStatusError(
        f"HTTP {status}{origin} ({describe(status, headers, body)})",
        status,
        retryable,
    )


def http_401_message(client_address: str | None) -> str:
    """Build the 401 error. The empty body does not name the address the panel saw."""
    rejected = "this host"
    if client_address:
        rejected = (
            f"this host, which connected from {client_address} (the address the "
            "panel sees unless a proxy or NAT sits in between)"
        )

    return (
        f"HTTP 401: the panel or a proxy in front of it rejected {rejected}; "
        f"add that address to the API whitelist ({WHITELIST_HINT}) and check "
        "any basic auth"
    )


def check_refusal(payload: Any, client_address: str | None = None) -> None:
    """Raise when the payload is a ``{"status": false, "msg": ...}`` refusal."""
    if not isinstance(payload, dict) or payload.get("status") is not False:
        return
    message = payload.get("msg")
    if not isinstance(message, str):
        # UpdatePanel returns status false with a dict when no update exists.
        return
    raise refusal_error(message, client_address)


def refusal_error(message: str, client_address: str | None = None) -> PanelError:
    """Map a refusal message to its error class."""
    if message.startswith(_LOCKOUT):
        return AuthError(
            f"locked out: {message!r}. The panel blocks this host's address for "
            "an hour after 20 failed checks; fix the key or whitelist first, "
            "then wait or restart the panel",
            ErrorKind.AUTH_LOCKED_OUT,
        )
    if message.startswith(_IP_CHECK):
        return AuthError(
            ip_message(message, client_address), ErrorKind.AUTH_IP_NOT_WHITELISTED
        )
    if message.startswith(_WRONG_KEY):
        return AuthError(
            "wrong API key: the panel rejected the signature; copy the key "
            "again from Settings > API interface",
            ErrorKind.AUTH_WRONG_KEY,
        )
    if message.startswith(_UNKNOWN_ACTION):
        return UnknownActionError(
            f"the panel does not know this action ({message!r}); check its "
            "name and spelling, which are case-sensitive"
        )

    return PanelRefusedError(f"the panel rejected the call: {message}")


def ip_message(message: str, client_address: str | None = None) -> str:
    """Build the whitelist error, naming the address the panel saw.

    When that differs from the address this host connected from, something
    in between (a reverse proxy, a CDN or NAT) rewrote it, and the address
    to whitelist is that hop's.
    """
    found = _SEEN_ADDRESS.search(message)
    seen = found.group(1) if found else "unknown"
    text = (
        f"IP not whitelisted: the panel saw this host as {seen}; add {seen} "
        f"to the API whitelist ({WHITELIST_HINT})"
    )
    if client_address and seen not in ("unknown", client_address):
        text += (
            f"; this host connected from {client_address}, so a proxy or NAT "
            f"in between presents {seen} to the panel"
        )

    return text


def is_html(headers: Mapping[str, str]) -> bool:
    return headers.get("Content-Type", "").startswith("text/html")


def is_panel_404(headers: Mapping[str, str], body: bytes) -> bool:
    """Tell the panel's own 404 page from one of the web server in front.

    The panel imitates nginx's page with "nginx" and no version in the
    footer, which is byte for byte what nginx sends with ``server_tokens
    off``. BaoTa ends its lines with ``\r\n`` and aaPanel with ``\n``, so
    line ends are ignored. Only the ``Server`` header distinguishes them,
    because the panel's own WSGI server never sends ``Server: nginx``.

    NOTE: a panel put behind an nginx reverse proxy gets that proxy's
    ``Server`` header, so its "API off" page is then reported as a 404 from
    nginx (bad_response.not_json) rather than auth.api_disabled.
    """
    server = headers.get("Server", "").lower()
    return (
        is_html(headers)
        and normalise_lines(body) == normalise_lines(PANEL_404_PAGE)
        and not server.startswith(("nginx", "openresty", "tengine"))
    )


def normalise_lines(body: bytes) -> bytes:
    """Return the body stripped, with ``\r\n`` line ends turned into ``\n``."""
    return body.replace(b"\r\n", b"\n").strip()


def cdn_name(headers: Mapping[str, str]) -> str | None:
    """Name the CDN whose headers the response carries, if any."""
    server = headers.get("Server", "").lower()
    if "CF-RAY" in headers or server == "cloudflare":
        return "Cloudflare"
    for header, name in _CDN_HEADERS:
        if header in headers:
            return name
    return None


def describe(status: int, headers: Mapping[str, str], body: bytes) -> str:
    """Summarise an unexpected response: status, content type and body start."""
    content_type = headers.get("Content-Type", "no content type")
    text = body[: SNIPPET_CHARS * 4].decode("utf-8", "replace")[:SNIPPET_CHARS]
    snippet = " ".join(text.split())

    return f"status {status}, {content_type}, body starts {snippet!r}"
