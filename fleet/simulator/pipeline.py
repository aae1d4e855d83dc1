"""The aiohttp request handler shared by every HTTP panel of a fleet.

One handler serves all panels; it finds the panel from the local address the
connection was accepted on. The steps follow the real panel: front filters,
the User-Agent rule, the route, the signature check, then the action, with
the session cookie handled last.
"""

from __future__ import annotations

import asyncio
import logging
import re
from collections.abc import Mapping

from aiohttp import web

from fleet.simulator import responses, wire
from fleet.simulator.auth import authenticate, rejection_response
from fleet.simulator.bodies import apply_body_fault, stream_huge_body
from fleet.simulator.cache import ResponseCache
from fleet.simulator.cookies import apply_session
from fleet.simulator.dispatch import Call, dispatch
from fleet.simulator.flavours import BAOTA11, FlavourProfile
from fleet.simulator.front import front_response
from fleet.simulator.panel import PanelRuntime
from fleet.simulator.params import read_params
from fleet.simulator.spec import BODY_FAULTS, FRONT_FAULTS

logger = logging.getLogger(__name__)

Address = tuple[str, int]

_PATH_PATTERN = re.compile(r"^/[\w./-]*$")
_COOKIE_PATTERN = re.compile(r"^[\w.\-]+$")
_API_ROUTES = frozenset({"system", "ajax", "data", "site"})
_MAX_PATH = 256
_MAX_URL = 1024


class RequestPipeline:
    """Callable aiohttp handler that routes each request to its panel."""

    __slots__ = ("_cache", "_panels")

    def __init__(self, panels: Mapping[Address, PanelRuntime], cache: ResponseCache):
        self._panels = panels
        self._cache = cache

    async def __call__(self, request: web.BaseRequest) -> web.StreamResponse:
        local_address = self._local_address(request)
        panel = self._panels.get(local_address) if local_address else None
        if local_address is None or panel is None:
            return responses.not_found(BAOTA11)
        panel.counters.count_request(local_address[0])
        delay = panel.spec.response_delay
        if delay:
            await asyncio.sleep(delay)
        response = await self._respond(panel, request)
        if not response.prepared:
            # The panel's clock, not aiohttp's, so a client can measure skew
            # against a simulated clock too.
            response.headers["Date"] = wire.http_date(panel.clock())
        logger.debug(
            "panel %s: %s %s -> %d",
            panel.name,
            request.method,
            request.path,
            response.status,
        )

        return response

    @staticmethod
    def _local_address(request: web.BaseRequest) -> Address | None:
        transport = request.transport
        if transport is None:
            return None
        sockname = transport.get_extra_info("sockname")

        return sockname[0], sockname[1]

    async def _respond(
        self, panel: PanelRuntime, request: web.BaseRequest
    ) -> web.StreamResponse:
        profile = panel.profile
        fault = panel.spec.fault
        if fault in FRONT_FAULTS:
            return front_response(panel.spec)
        if fault == "huge_body":
            return await stream_huge_body(panel, request)
        cookie = session_cookie(request.headers.get("Cookie"), panel)
        if not passes_front_checks(request, panel, cookie) or is_crawler(request):
            return responses.not_found(profile)
        route = resolve_route(request.path, profile)
        if route is None:
            return responses.not_found(profile)
        params = await read_params(request, profile)
        if params is None:
            return responses.redirect_to_login()

        call = Call(route[0], route[1], params)

        return self._answer_call(panel, request, call, cookie)

    def _answer_call(
        self,
        panel: PanelRuntime,
        request: web.BaseRequest,
        call: Call,
        cookie: str | None,
    ) -> web.StreamResponse:
        peer = panel.spec.seen_address or request.remote
        result = authenticate(panel, call.params, peer, request.headers)
        response = rejection_response(panel, result)
        if response is None:
            response = dispatch(panel, call, request.path, self._cache)
            fault = panel.spec.fault
            if fault in BODY_FAULTS and response.status == 200:
                apply_body_fault(fault, response)
        apply_session(panel, cookie, result.status, response)

        return response


def passes_front_checks(
    request: web.BaseRequest, panel: PanelRuntime, cookie: str | None
) -> bool:
    """Return whether the request passes the panel's method, URL and cookie filters."""
    method = request.method
    head_allowed = method == "HEAD" and panel.profile.allows_head
    if method not in ("GET", "POST") and not head_allowed:
        return False
    path = request.path
    if len(path) > _MAX_PATH or not _PATH_PATTERN.match(path):
        return False
    # Flask's request.url includes scheme, host and the query string.
    if len("http://") + len(request.host) + len(request.raw_path) > _MAX_URL:
        return False
    return cookie is None or _COOKIE_PATTERN.match(cookie) is not None


def session_cookie(header: str | None, panel: PanelRuntime) -> str | None:
    """Return the value of the panel's session cookie in a Cookie header, if any.

    Clients that share one cookie jar send the cookies of every panel on the
    same host, because cookies ignore ports. Searching the raw header for one
    name avoids parsing all of them on every request.
    """
    if not header:
        return None
    prefix = panel.sessions.cookie_name + "="
    start = header.find(prefix)
    # The name must begin a pair, not sit inside another cookie's value.
    while start > 0 and header[start - 1] not in "; ":
        start = header.find(prefix, start + 1)
    if start < 0:
        return None
    start += len(prefix)
    end = header.find(";", start)

    return (header[start:] if end < 0 else header[start:end]).strip()


def is_crawler(request: web.BaseRequest) -> bool:
    """Return whether the User-Agent trips the panel's crawler rule.

    The panel matches "spider" in any case but "bot" only in lowercase.
    """
    agent = request.headers.get("User-Agent", "")
    return "bot" in agent or "spider" in agent.lower()


def resolve_route(path: str, profile: FlavourProfile) -> tuple[str, bool] | None:
    """Return ``(route, is_v2)`` for an API path, or None for any other path."""
    name = path[1:]
    is_v2 = False
    if profile.has_v2_routes and name.startswith("v2/"):
        name = name[3:]
        is_v2 = True
    if name not in _API_ROUTES:
        return None

    return name, is_v2
