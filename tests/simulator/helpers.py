"""Signing client helpers for talking to simulated panels in tests."""

from __future__ import annotations

import dataclasses
import hashlib
import time
from collections.abc import Awaitable, Callable, Mapping, Sequence

import aiohttp
from multidict import CIMultiDictProxy

from fleet.simulator import PanelSpec, RunningPanel, SimulatedFleet, derive_key

FleetStarter = Callable[[Sequence[PanelSpec]], Awaitable[SimulatedFleet]]


def make_spec(name: str = "sim-0001", **options: object) -> PanelSpec:
    """Return a spec with a deterministic key, overriding any field by keyword."""
    return PanelSpec(name=name, key=derive_key(1, name), **options)  # type: ignore[arg-type]


def md5_hex(text: str) -> str:
    """Return the md5 hex digest of UTF-8 text."""
    return hashlib.md5(text.encode("utf-8")).hexdigest()


def signature(key: str, request_time: str | None = None) -> dict[str, str]:
    """Return the ``request_time`` and ``request_token`` fields for a key."""
    sent = request_time if request_time is not None else str(int(time.time()))
    return {"request_time": sent, "request_token": md5_hex(sent + md5_hex(key))}


@dataclasses.dataclass(frozen=True)
class Reply:
    """What a test needs from one HTTP response."""

    status: int
    headers: CIMultiDictProxy[str]
    body: bytes

    @property
    def content_type(self) -> str:
        return self.headers.get("Content-Type", "")

    @property
    def set_cookie(self) -> str:
        return self.headers.get("Set-Cookie", "")


def client() -> aiohttp.ClientSession:
    """Return a client session whose cookie jar accepts cookies from IP hosts."""
    return aiohttp.ClientSession(
        cookie_jar=aiohttp.CookieJar(unsafe=True),
        timeout=aiohttp.ClientTimeout(total=5),
    )


async def call(
    session: aiohttp.ClientSession,
    panel: RunningPanel,
    path: str,
    action: str | None,
    *,
    key: str | None = None,
    fields: Mapping[str, str] | None = None,
    headers: Mapping[str, str] | None = None,
    signed: bool = True,
) -> Reply:
    """POST a signed form to ``panel.url + path`` and return the reply.

    The key defaults to the panel's real key, not the inventory's.
    """
    form: dict[str, str] = {}
    if signed:
        form.update(signature(key if key is not None else panel.spec.key))
    form.update(fields or {})
    url = panel.url + path
    if action is not None:
        url += f"?action={action}"
    async with session.post(url, data=form, headers=headers) as response:
        body = await response.read()
        return Reply(response.status, response.headers, body)
