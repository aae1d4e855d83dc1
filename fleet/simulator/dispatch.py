"""Run the requested action of an authenticated call and encode its result."""

from __future__ import annotations

import dataclasses
from collections.abc import Hashable, Mapping

from aiohttp import web

from fleet.simulator import responses, wire
from fleet.simulator.actions import ROUTES, Action, ActionContext, HandlerError
from fleet.simulator.cache import ResponseCache
from fleet.simulator.panel import PanelRuntime

# Fields that differ on every call but never change a read's result.
_SIGNATURE_FIELDS = frozenset({"request_time", "request_token"})


@dataclasses.dataclass(frozen=True, slots=True)
class Call:
    """One API call: route name, whether it came through /v2, and its parameters."""

    route: str
    is_v2: bool
    params: Mapping[str, str]


def dispatch(
    panel: PanelRuntime, call: Call, path: str, cache: ResponseCache
) -> web.Response:
    """Return the action's response, the "invalid parameter" body or the 404 page."""
    profile = panel.profile
    name = call.params.get("action")
    if name is None and profile.missing_action_not_found:
        return responses.not_found(profile)
    action = ROUTES[call.route].get(name or "")
    if action is None:
        # Unknown actions keep the v1 shape on /v2 routes too.
        return responses.json_result(profile.unknown_action_body)
    entry = _run(panel, call, action, path, cache)
    if entry is None:
        return responses.not_found(profile)
    panel.counters.count_action(name or "")
    status, body = entry
    if call.is_v2:
        body = wire.v2_envelope(status, int(panel.clock()), body)

    return responses.json_result(body)


def _run(
    panel: PanelRuntime, call: Call, action: Action, path: str, cache: ResponseCache
) -> tuple[int, bytes] | None:
    key: Hashable = None
    if not action.writes:
        key = _cache_key(panel, call)
        cached = cache.get(key)
        if cached is not None:
            return cached
    try:
        value = action.handler(ActionContext(panel, call.params, path))
    except HandlerError:
        return None
    entry = wire.v2_message(value) if call.is_v2 else (0, wire.encode_json(value))
    if key is not None:
        cache.put(key, entry)

    return entry


def _cache_key(panel: PanelRuntime, call: Call) -> Hashable:
    params = tuple(
        sorted(
            (key, value)
            for key, value in call.params.items()
            if key not in _SIGNATURE_FIELDS
        )
    )
    return (panel.name, panel.state_version, call.route, call.is_v2, params)
