"""Read a request's parameters the way the panel's ``get_input`` merges them.

Query-string arguments come first and form fields override them; for each
name the first value wins. BaoTa ignores JSON bodies. aaPanel merges a JSON
object body without turning values into strings, so a numeric ``request_time``
makes its signature check raise, and the panel then sends a 302 to /login.
"""

from __future__ import annotations

import json
from collections.abc import Iterable

from aiohttp import web

from fleet.simulator.flavours import FlavourProfile


async def read_params(
    request: web.BaseRequest, profile: FlavourProfile
) -> dict[str, str] | None:
    """Return the merged parameters, or None when the panel would redirect to /login."""
    params = _first_values(request.query.items())
    if request.method != "POST":
        return params
    if profile.reads_json_body and request.content_type == "application/json":
        return _merge_json(params, await _read_json_object(request))
    form = await request.post()
    params.update(_first_values((key, str(value)) for key, value in form.items()))

    return params


def _first_values(items: Iterable[tuple[str, str]]) -> dict[str, str]:
    values: dict[str, str] = {}
    for key, value in items:
        values.setdefault(key, value)
    return values


async def _read_json_object(request: web.BaseRequest) -> dict[str, object]:
    try:
        body = json.loads(await request.read())
    except (ValueError, UnicodeDecodeError):
        return {}
    return body if isinstance(body, dict) else {}


def _merge_json(
    params: dict[str, str], body: dict[str, object]
) -> dict[str, str] | None:
    request_time = body.get("request_time", "")
    if not isinstance(request_time, str):
        return None
    for key, value in body.items():
        params[key] = value if isinstance(value, str) else json.dumps(value)

    return params
