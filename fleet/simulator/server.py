"""Listening sockets for many panels in one process.

Every HTTP panel shares one aiohttp low-level server (one handler and one
request factory) and gets only its own listening socket, which keeps a panel
down to a socket, a server object and its lazily built state. Sockets are
opened synchronously, so ports chosen by the kernel are known at once, and
the servers start in batches.
"""

from __future__ import annotations

import asyncio
import functools
import logging
import resource
import socket
from collections.abc import Callable, Iterable

from aiohttp import web
from aiohttp.abc import AbstractStreamWriter
from aiohttp.http_parser import RawRequestMessage
from aiohttp.streams import StreamReader
from aiohttp.web_protocol import RequestHandler

from fleet.simulator.cache import ResponseCache
from fleet.simulator.panel import PanelRuntime
from fleet.simulator.pipeline import Address, RequestPipeline
from fleet.simulator.raw import FaultProtocol
from fleet.simulator.spec import RAW_FAULTS, PanelSpec

logger = logging.getLogger(__name__)

BACKLOG = 128
# Descriptors kept free for client sockets, log files and the event loop.
SPARE_FILES = 256
MAX_BODY_BYTES = 16 * 1024 * 1024  # the panel's MAX_CONTENT_LENGTH
_START_BATCH = 500


def raise_open_file_limit(needed: int) -> int:
    """Raise the soft RLIMIT_NOFILE to the hard limit and return the new soft limit.

    Raises OSError when even the hard limit is below ``needed``.
    """
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    target = hard if hard != resource.RLIM_INFINITY else max(soft, needed)
    if soft < target:
        resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))
        soft = target
    if soft < needed:
        raise OSError(
            f"the simulator needs {needed} open files but the hard limit is "
            f"{soft}; raise it (ulimit -Hn) or start fewer panels"
        )

    return soft


def open_listener(spec: PanelSpec) -> socket.socket:
    """Bind and listen on the panel's loopback address, raising a clear OSError."""
    family = socket.AF_INET6 if ":" in spec.host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    try:
        if spec.port:
            # Lets a fixed port be reused while old connections sit in
            # TIME_WAIT. Port 0 skips it: the kernel's free-port search is
            # much slower with the option set (seconds for 10,000 sockets).
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((spec.host, spec.port))
        sock.listen(BACKLOG)
        sock.setblocking(False)
    except OSError as exc:
        sock.close()
        raise OSError(
            exc.errno,
            f"panel {spec.name}: cannot listen on {spec.host} port {spec.port}: "
            f"{exc.strerror}; choose another port, or port 0 for a free one",
        ) from exc

    return sock


class PanelServers:
    """The listening side of a fleet: sockets, servers and open raw connections."""

    def __init__(
        self,
        panels: Iterable[PanelRuntime],
        cache: ResponseCache,
        shutdown_timeout: float,
    ) -> None:
        self._panels = list(panels)
        self._by_address: dict[Address, PanelRuntime] = {}
        self._pipeline = RequestPipeline(self._by_address, cache)
        self._shutdown_timeout = shutdown_timeout
        self._servers: list[asyncio.Server] = []
        self._raw_transports: set[asyncio.Transport] = set()
        self._web_server: web.Server | None = None

    async def start(self) -> None:
        """Open every listener, then start serving on all of them."""
        limit = raise_open_file_limit(len(self._panels) + SPARE_FILES)
        connections = limit - len(self._panels) - SPARE_FILES
        if connections < len(self._panels):
            # Each open client connection costs one more descriptor; past the
            # limit asyncio pauses accepting for a second and logs an error.
            logger.warning(
                "the open file limit of %d leaves room for about %d open "
                "connections to %d panels; idle keep-alive connections count too",
                limit,
                connections,
                len(self._panels),
            )
        loop = asyncio.get_running_loop()
        self._web_server = web.Server(
            self._pipeline,
            request_factory=functools.partial(_make_request, loop),
            access_log=None,
        )
        sockets = self._open_all()
        for start in range(0, len(sockets), _START_BATCH):
            batch = sockets[start : start + _START_BATCH]
            created = await asyncio.gather(
                *(
                    loop.create_server(self._factory(panel), sock=sock)
                    for panel, sock in batch
                )
            )
            self._servers.extend(created)

    async def close(self) -> None:
        """Stop listening, end open connections and wait for the servers to close."""
        for server in self._servers:
            server.close()
        for transport in list(self._raw_transports):
            transport.abort()
        if self._web_server is not None:
            await self._web_server.shutdown(self._shutdown_timeout)
        await asyncio.gather(*(server.wait_closed() for server in self._servers))
        self._servers.clear()

    def _open_all(self) -> list[tuple[PanelRuntime, socket.socket]]:
        opened: list[tuple[PanelRuntime, socket.socket]] = []
        try:
            for panel in self._panels:
                sock = open_listener(panel.spec)
                opened.append((panel, sock))
                panel.port = sock.getsockname()[1]
                self._by_address[(panel.spec.host, panel.port)] = panel
        except OSError:
            for _, sock in opened:
                sock.close()
            raise

        return opened

    def _factory(self, panel: PanelRuntime) -> Callable[[], asyncio.BaseProtocol]:
        if panel.spec.fault in RAW_FAULTS:
            return functools.partial(FaultProtocol, panel, self._raw_transports)
        assert self._web_server is not None
        return self._web_server


def _make_request(
    loop: asyncio.AbstractEventLoop,
    message: RawRequestMessage,
    payload: StreamReader,
    protocol: RequestHandler,
    writer: AbstractStreamWriter,
    task: asyncio.Task[None],
) -> web.BaseRequest:
    return web.BaseRequest(
        message, payload, protocol, writer, task, loop, client_max_size=MAX_BODY_BYTES
    )
