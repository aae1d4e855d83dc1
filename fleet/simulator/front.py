"""Responses from what sits in front of a panel: nginx, a CDN or a gateway.

These faults respond to every request before it reaches the panel's checks,
so the panel counts the request but no auth failure and no session.

``bad_gateway`` and ``gateway_error`` with 502-504
    nginx's error page, as when the panel process behind it is down.
``gateway_error`` with 520-524
    Cloudflare's error page, with its ``Server`` and ``CF-RAY`` headers.
``nginx_404``
    nginx's own 404 page with a versioned footer and ``Server`` header: the
    URL points at a web server, not at the panel.
``plain_404``
    a bare ``Not Found`` in text/plain, as another application on the port
    would send.
``cdn_challenge``
    a 403 bot check from Cloudflare in place of the answer.
"""

from __future__ import annotations

import hashlib
from http import HTTPStatus

from aiohttp import web

from fleet.simulator import wire
from fleet.simulator.spec import PanelSpec

# The host name a CDN page shows. Real pages show the site's own name.
CDN_HOST = "panel.example.com"


def front_response(spec: PanelSpec) -> web.Response:
    """Return the response of a panel's front fault."""
    fault = spec.fault
    if fault == "bad_gateway":
        return nginx_error(502)
    if fault == "gateway_error":
        return gateway_error(spec)
    if fault == "nginx_404":
        return nginx_error(404, wire.NGINX_SERVER)
    if fault == "plain_404":
        return _response(404, b"Not Found", wire.TEXT_PLAIN_UTF8)
    if fault == "cdn_challenge":
        response = _response(403, wire.CHALLENGE_PAGE, wire.CLOUDFLARE_HTML)
        response.headers.update(cloudflare_headers(spec))
        response.headers["cf-mitigated"] = "challenge"
        return response
    raise ValueError(f"panel {spec.name}: {fault!r} is not a front fault")


def gateway_error(spec: PanelSpec) -> web.Response:
    """Return nginx's 502-504 page or Cloudflare's 520-524 page."""
    status = spec.gateway_status
    if status not in wire.CLOUDFLARE_ERRORS:
        return nginx_error(status)
    ray_id = cloudflare_ray_id(spec)
    body = wire.cloudflare_error_page(status, CDN_HOST, ray_id)
    response = _response(status, body, wire.CLOUDFLARE_HTML)
    response.set_status(status, wire.CLOUDFLARE_ERRORS[status])
    response.headers.update(cloudflare_headers(spec))

    return response


def nginx_error(status: int, server: str = "nginx") -> web.Response:
    """Return nginx's error page for a status, with a ``Server: nginx`` header.

    ``server`` is the footer text and the header value; plain "nginx" is what
    nginx sends with ``server_tokens off``.
    """
    reason = HTTPStatus(status).phrase
    response = _response(
        status, wire.nginx_error_page(status, reason, server), wire.TEXT_HTML
    )
    response.headers["Server"] = server

    return response


def cloudflare_headers(spec: PanelSpec) -> dict[str, str]:
    """Return the headers that mark an answer as Cloudflare's."""
    return {"Server": "cloudflare", "CF-RAY": cloudflare_ray_id(spec)}


def cloudflare_ray_id(spec: PanelSpec) -> str:
    """Return a stable Ray ID for the panel: 16 hex digits and a data centre."""
    digest = hashlib.md5(spec.name.encode("utf-8")).hexdigest()
    return f"{digest[:16]}-FRA"


def _response(status: int, body: bytes, content_type: str) -> web.Response:
    return web.Response(
        status=status, body=body, headers={"Content-Type": content_type}
    )
