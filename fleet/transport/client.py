"""One HTTP client per panel: its own session, cookie jar, TLS and timeouts.

This module is the one boundary where aiohttp and OS errors become
``fleet.errors`` types. Redirects are never followed, because the panel's only
redirect is to its login page, which means the API call was rejected.
"""

from __future__ import annotations

import asyncio
import logging
import socket
import time
from collections.abc import Mapping
from email.utils import parsedate_to_datetime
from http.cookies import SimpleCookie
from typing import Any
from urllib.parse import urlencode

import aiohttp
from yarl import URL

from fleet import __version__
from fleet.errors import (
    AuthError,
    BadResponseError,
    ErrorKind,
    PanelError,
    PanelRefusedError,
)
from fleet.inventory.model import Panel
from fleet.signing import Clock, Signer
from fleet.transport.cookie_store import CookieStore
from fleet.transport.decode import decode_answer
from fleet.transport.tls import ssl_param
from fleet.transport.translate import translate

log = logging.getLogger(__name__)

# The panel answers 404 to agents containing "bot" or "spider".
USER_AGENT = f"fleet/{__version__} (panel fleet manager)"
FORM_TYPE = "application/x-www-form-urlencoded"
# Bodies above this size are parsed in a worker thread so a huge site list
# cannot stall every other panel's I/O.
THREAD_PARSE_BYTES = 1024 * 1024
SKEW_WORTH_NOTING_S = 30.0
_FAMILIES = {
    "auto": socket.AF_UNSPEC,
    "ipv4": socket.AF_INET,
    "ipv6": socket.AF_INET6,
}


class PanelClient:
    """Sends signed calls to one panel over one lazily opened session."""

    def __init__(
        self,
        panel: Panel,
        clock: Clock = time.time,
        cookie_store: CookieStore | None = None,
    ) -> None:
        self.panel = panel
        self.base = URL(panel.url)
        self._signer = Signer(panel.key.reveal(), clock)
        self._clock = clock
        self._session: aiohttp.ClientSession | None = None
        self._cookie_store = cookie_store
        # Cookie values as last seen, to notice when the panel mints a session.
        self._known_cookies: dict[str, str] = {}

    async def __aenter__(self) -> PanelClient:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.close()

    def session(self) -> aiohttp.ClientSession:
        """Return the panel's session, opening it on first use."""
        if self._session is None:
            self._session = self._open_session()
        return self._session

    def _open_session(self) -> aiohttp.ClientSession:
        panel = self.panel
        connector = aiohttp.TCPConnector(
            limit=panel.limits.concurrency,
            ssl=ssl_param(panel.tls),
            family=_FAMILIES[panel.address_family],
        )
        timeout = aiohttp.ClientTimeout(
            total=None,
            sock_connect=panel.timeouts.connect,
            sock_read=panel.timeouts.read,
        )
        # unsafe=True keeps cookies from hosts given as IP addresses, which the
        # default jar drops; one jar per panel keeps ports apart.
        jar = aiohttp.CookieJar(unsafe=True)
        if self._cookie_store is not None:
            self._cookie_store.load(panel.name, panel.url, jar)
        self._known_cookies = {morsel.key: morsel.value for morsel in jar}

        return aiohttp.ClientSession(
            connector=connector,
            cookie_jar=jar,
            timeout=timeout,
            headers={"User-Agent": USER_AGENT},
            raise_for_status=False,
        )

    async def close(self) -> None:
        if self._session is None:
            return
        session, self._session = self._session, None
        if self._cookie_store is not None:
            jar = session.cookie_jar
            assert isinstance(jar, aiohttp.CookieJar)
            self._cookie_store.save(self.panel.name, self.panel.url, jar)
        await session.close()

    async def call(
        self, route: str, action: str, params: Mapping[str, str]
    ) -> tuple[Any, bool]:
        """Send one signed call; return the payload and whether a session was new.

        Raises a ``PanelError`` subclass for every failure.
        """
        url = self.base.with_path(route).with_query(action=action)
        form = dict(params)
        form.update(self._signer.auth_fields())
        try:
            status, headers, body, new_session = await self._post(url, urlencode(form))
        except PanelError:
            raise
        except Exception as exc:
            raise translate(exc) from exc

        try:
            if len(body) > THREAD_PARSE_BYTES:
                payload = await asyncio.to_thread(decode_answer, status, headers, body)
            else:
                payload = decode_answer(status, headers, body)
        except (AuthError, PanelRefusedError) as error:
            add_skew_note(error, headers.get("Date"), self._clock())
            raise
        return payload, new_session

    async def _post(
        self, url: URL, form: str
    ) -> tuple[int, Mapping[str, str], bytes, bool]:
        async with self.session().post(
            url,
            data=form.encode(),
            headers={"Content-Type": FORM_TYPE},
            allow_redirects=False,
        ) as response:
            new_session = self.note_cookies(response.cookies)
            body = await read_capped(response, self.panel.limits.max_response_bytes)
            return response.status, response.headers, body, new_session

    def note_cookies(self, cookies: SimpleCookie) -> bool:
        """Track Set-Cookie values; return True when the panel issued a new one."""
        issued = False
        for name, morsel in cookies.items():
            if not morsel.value:
                self._known_cookies.pop(name, None)  # the panel deleted it
            elif self._known_cookies.get(name) != morsel.value:
                self._known_cookies[name] = morsel.value
                issued = True
        return issued


def add_skew_note(error: PanelError, date_header: str | None, now: float) -> None:
    """Append the clock difference to a rejection when it is large enough to matter.

    Real panels apply no clock window, but proxies and hardened panels may, so
    a skewed host clock is worth naming. The panel's ``Date`` header has
    one-second resolution, which is plenty for this.
    """
    if not date_header:
        return
    try:
        panel_time = parsedate_to_datetime(date_header).timestamp()
    except (TypeError, ValueError):
        return
    skew = now - panel_time
    if abs(skew) < SKEW_WORTH_NOTING_S:
        return
    direction = "ahead of" if skew > 0 else "behind"
    error.args = (
        f"{error.message} (this host's clock is {abs(skew):.0f} s {direction} the "
        "panel's, measured from its Date header; check NTP on both)",
    )


async def read_capped(response: aiohttp.ClientResponse, cap: int) -> bytes:
    """Read a body, giving up before more than ``cap`` bytes are in memory."""
    declared = response.content_length
    if declared is not None and declared > cap:
        raise too_large(cap, f"it declares {declared} bytes")
    chunks: list[bytes] = []
    size = 0
    async for chunk in response.content.iter_chunked(256 * 1024):
        size += len(chunk)
        if size > cap:
            raise too_large(cap, "it kept coming past that")
        chunks.append(chunk)

    return b"".join(chunks)


def too_large(cap: int, detail: str) -> BadResponseError:
    return BadResponseError(
        f"the answer is larger than max_response_bytes={cap} ({detail}); "
        "raise limits.max_response_bytes for this panel if the answer is expected",
        ErrorKind.BAD_RESPONSE_TOO_LARGE,
    )
