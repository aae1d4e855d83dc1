"""One HTTP client per panel: its own session, cookie jar, TLS and timeouts.

This module is the one boundary where aiohttp and OS errors become
``fleet.errors`` types. Redirects are never followed, because the panel's only
redirect is to its login page, which means the API call was rejected.
"""

from __future__ import annotations

import asyncio
import functools
import logging
import socket
import time
from collections.abc import Iterable, Mapping
from email.utils import parsedate_to_datetime
from http.cookies import Morsel
from typing import Any
from urllib.parse import urlencode

import aiohttp
import aiohttp.abc
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
from fleet.operations.redact import scrub_text
from fleet.signing import Clock, Signer, key_digest
from fleet.transport.cookie_store import CookieStore
from fleet.transport.decode import decode_answer
from fleet.transport.tls import ssl_param
from fleet.transport.translate import translate

log = logging.getLogger(__name__)

# The panel returns 404 to agents containing "bot" or "spider".
USER_AGENT = f"fleet/{__version__} (panel fleet manager)"
FORM_TYPE = "application/x-www-form-urlencoded"
# Bodies above this size are parsed in a worker thread so a huge site list
# cannot stall every other panel's I/O.
THREAD_PARSE_BYTES = 1024 * 1024
SKEW_WORTH_NOTING_S = 30.0
# An attempt may take the connect timeout plus this many read timeouts.
ATTEMPT_READ_FACTOR = 2
# Rejections whose message names the address this host connects from.
NAMES_SOURCE_ADDRESS = (ErrorKind.AUTH_IP_NOT_WHITELISTED, ErrorKind.AUTH_HTTP_401)
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
        self._origin = str(self.base.origin())
        self._signer = Signer(panel.key.reveal(), clock)
        self._key_digest = key_digest(panel.key.reveal())
        self._clock = clock
        self._session: aiohttp.ClientSession | None = None
        self._cookie_store = cookie_store
        # Cookie values as last seen, to notice when the panel mints a session.
        self._known_cookies: dict[str, str] = {}
        # Cookie values as loaded from the store; an unchanged jar is not saved.
        self._stored_cookies: dict[str, str] = {}

    async def __aenter__(self) -> PanelClient:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.close()

    def session(self) -> aiohttp.ClientSession:
        """Return the panel's session, opening it on first use."""
        if self._session is None:
            jar = self.new_jar()
            self._load_cookies(jar)
            self._session = self._open_session(jar)
        return self._session

    async def open_session(self) -> aiohttp.ClientSession:
        """Return the panel's session; a first use reads cookies in a thread.

        Reading the cookie file costs file-system calls that would otherwise
        hold up every other panel's I/O on the event loop.
        """
        if self._session is None:
            jar = self.new_jar()
            if self._cookie_store is not None:
                await asyncio.to_thread(self._load_cookies, jar)
            if self._session is None:  # another call opened it meanwhile
                self._session = self._open_session(jar)
        return self._session

    def _load_cookies(self, jar: aiohttp.CookieJar) -> None:
        if self._cookie_store is not None:
            self._cookie_store.load(self.panel.name, self.panel.url, jar)

    def _open_session(self, jar: aiohttp.CookieJar) -> aiohttp.ClientSession:
        panel = self.panel
        connector = aiohttp.TCPConnector(
            limit=panel.limits.concurrency,
            # Plain-HTTP panels skip building an SSL context they never use.
            ssl=ssl_param(panel.tls) if self.base.scheme == "https" else True,
            family=_FAMILIES[panel.address_family],
        )
        timeout = aiohttp.ClientTimeout(
            total=attempt_limit(panel),
            sock_connect=panel.timeouts.connect,
            sock_read=panel.timeouts.read,
        )
        self._known_cookies = self.cookie_values(jar)
        self._stored_cookies = dict(self._known_cookies)

        return aiohttp.ClientSession(
            connector=connector,
            cookie_jar=jar,
            timeout=timeout,
            # Every call is a form POST, so its content type is a session
            # default rather than a header merged into each request.
            headers={"User-Agent": USER_AGENT, "Content-Type": FORM_TYPE},
            raise_for_status=False,
        )

    async def close(self) -> None:
        if self._session is None:
            return
        session, self._session = self._session, None
        try:
            await self._save_cookies(session)
        finally:
            await session.close()

    async def _save_cookies(self, session: aiohttp.ClientSession) -> None:
        jar = session.cookie_jar
        assert isinstance(jar, aiohttp.CookieJar)
        store = self._cookie_store
        # A nightly run that reused yesterday's cookie writes no file at all.
        if store is None or self.cookie_values(jar) == self._stored_cookies:
            return
        # Creating a file can wait on the file system's journal; a worker
        # thread keeps that wait off the event loop. The session is idle, so
        # nothing else touches the jar meanwhile.
        try:
            await asyncio.to_thread(store.save, self.panel.name, self.panel.url, jar)
        except OSError as error:
            # A lost cookie costs the panel one new session next time; it is
            # no reason to end the run.
            log.warning(
                "panel %s: cannot save its session cookie in %s: %s",
                self.panel.name,
                store.directory,
                error.strerror or error,
            )

    async def call(
        self, route: str, action: str, params: Mapping[str, str]
    ) -> tuple[Any, bool]:
        """Send one signed call; return the payload and whether a session was new.

        Raises a ``PanelError`` subclass for every failure.
        """
        url = URL(self._origin + self.path_and_query(route, action), encoded=True)
        form = self._signer.auth_form()
        if params:
            form = f"{urlencode(params)}&{form}"
        try:
            return await self._call(url, form)
        except PanelError as error:
            # Messages quote panel text, which may echo the request or carry
            # passwords; the token sent and the key digest are known secrets.
            token = form.rpartition("request_token=")[2]
            error.args = (scrub_text(error.message, (token, self._key_digest)),)
            raise

    async def _call(self, url: URL, form: str) -> tuple[Any, bool]:
        try:
            status, headers, body, new_session = await self._post(url, form)
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
            if error.kind in NAMES_SOURCE_ADDRESS:
                await self.name_source_address(error, status, headers, body)
            add_skew_note(error, headers.get("Date"), self._clock())
            raise
        if log.isEnabledFor(logging.DEBUG):
            log.debug(
                "panel %s: POST %s: HTTP %d, %d bytes",
                self.panel.name,
                url.path,
                status,
                len(body),
            )
        return payload, new_session

    async def name_source_address(
        self, error: PanelError, status: int, headers: Mapping[str, str], body: bytes
    ) -> None:
        """Reword a whitelist rejection so it names this host's source address."""
        family = _FAMILIES[self.panel.address_family]
        address = await source_address(self.base, family)
        if address is None:
            return
        try:
            decode_answer(status, headers, body, address)
        except PanelError as named:
            error.args = named.args

    async def _post(
        self, url: URL, form: str
    ) -> tuple[int, Mapping[str, str], bytes, bool]:
        session = await self.open_session()
        async with session.post(
            url, data=form.encode(), allow_redirects=False
        ) as response:
            new_session = self.note_cookies(session.cookie_jar)
            body = await read_capped(response, self.panel.limits.max_response_bytes)
            return response.status, response.headers, body, new_session

    def note_cookies(self, jar: aiohttp.abc.AbstractCookieJar) -> bool:
        """Compare the jar with the values last seen; return True if one is new.

        The session has already stored the response's ``Set-Cookie`` values,
        and dropped any the panel deleted, so reading the jar (one cookie)
        avoids parsing the header a second time.
        """
        current = self.cookie_values(jar)
        if current == self._known_cookies:
            return False
        issued = any(
            self._known_cookies.get(name) != value for name, value in current.items()
        )
        self._known_cookies = current

        return issued

    @staticmethod
    @functools.lru_cache(maxsize=256)
    def path_and_query(route: str, action: str) -> str:
        """Return the encoded ``/route?action=...`` part of a call's URL.

        Every panel calls the same few actions, so the quoting is done once
        per action rather than once per request.
        """
        url = URL("http://placeholder").with_path(route).with_query(action=action)
        return url.raw_path_qs

    @staticmethod
    def new_jar() -> aiohttp.CookieJar:
        """Return an empty jar that keeps cookies of panels addressed by IP.

        The default jar drops cookies from IP hosts; ``unsafe=True`` keeps
        them. Each panel gets its own jar, so two panels on one IP never share
        cookies although cookies ignore ports.
        """
        return aiohttp.CookieJar(unsafe=True)

    @staticmethod
    def cookie_values(jar: Iterable[Morsel[str]]) -> dict[str, str]:
        """Return each cookie's name and value; the jar drops expired ones."""
        return {morsel.key: morsel.value for morsel in jar}


def attempt_limit(panel: Panel) -> float:
    """Return the most one attempt may take, from connecting to the last byte.

    ``timeouts.read`` bounds each pause between reads, so a panel that drips
    a byte a second would never trip it; this bounds the whole attempt.
    """
    return panel.timeouts.connect + ATTEMPT_READ_FACTOR * panel.timeouts.read


async def source_address(url: URL, family: int) -> str | None:
    """Return the local address the kernel picks to reach the panel, or None.

    Connecting a UDP socket sends no packet; it only chooses a route, the same
    one the panel's TCP connection used unless routes changed in between.
    aiohttp gives no public access to a connection's local address once a
    short response has released it.
    """
    loop = asyncio.get_running_loop()
    try:
        infos = await loop.getaddrinfo(
            url.host, url.port, family=family, type=socket.SOCK_DGRAM
        )
        probe_family, _, _, _, address = infos[0]
        with socket.socket(probe_family, socket.SOCK_DGRAM) as probe:
            probe.connect(address)
            return str(probe.getsockname()[0])
    except (OSError, IndexError):
        return None


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
    if declared is not None and "Content-Encoding" not in response.headers:
        # The parser stops at the declared length, which is within the cap. A
        # compressed body can grow past it, so that one is counted as it comes.
        return await response.read()
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
        f"the response is larger than max_response_bytes={cap} ({detail}); "
        "raise limits.max_response_bytes for this panel if the response is expected",
        ErrorKind.BAD_RESPONSE_TOO_LARGE,
    )
