"""Listening sockets for many panels in one process.

Every HTTP panel shares one aiohttp low-level server (one handler and one
request factory) and gets only its own listening socket, which keeps a panel
down to a socket, a server object and its lazily built state. Sockets are
opened synchronously, so ports chosen by the kernel are known at once, and
the servers start in batches.

A dual-stack panel gets a second socket on ::1 at the same port. A
``connect_black_hole`` panel's socket listens with a backlog of 0 and is
never served. One connection from the simulator itself fills its accept
queue. Linux then drops new SYNs, so clients hang in connect.
"""

from __future__ import annotations

import asyncio
import errno
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
# Kernel-chosen ports tried before a dual-stack panel gives up finding one
# that is free on both 127.0.0.1 and ::1.
_DUAL_STACK_TRIES = 20
# How long a connection to a full accept queue must hang before the queue
# counts as full, and how many filler connections may be needed.
_FILL_PROBE_S = 0.25
_MAX_FILLERS = 8


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


def open_listeners(spec: PanelSpec) -> list[socket.socket]:
    """Open the panel's listening sockets: one, or two for a dual-stack panel."""
    backlog = 0 if spec.fault == "connect_black_hole" else BACKLOG
    if spec.dual_stack:
        return open_dual_stack(spec, backlog)

    return [open_listener(spec, spec.host, spec.port, backlog)]


def open_dual_stack(spec: PanelSpec, backlog: int) -> list[socket.socket]:
    """Listen on 127.0.0.1 and ::1 at one port.

    A kernel-chosen IPv4 port may be taken on ::1, so port 0 is retried.
    """
    for _ in range(_DUAL_STACK_TRIES):
        ipv4 = open_listener(spec, "127.0.0.1", spec.port, backlog)
        port = ipv4.getsockname()[1]
        try:
            ipv6 = open_listener(spec, "::1", port, backlog)
        except OSError as exc:
            ipv4.close()
            if spec.port or exc.errno != errno.EADDRINUSE:
                raise
            continue
        return [ipv4, ipv6]

    raise OSError(
        errno.EADDRINUSE,
        f"panel {spec.name}: no port among {_DUAL_STACK_TRIES} tried was free on "
        "both 127.0.0.1 and ::1; free some ports or drop dual_stack",
    )


def open_listener(
    spec: PanelSpec, host: str, port: int, backlog: int = BACKLOG
) -> socket.socket:
    """Bind and listen on a loopback address, raising a clear OSError."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    try:
        if port:
            # Lets a fixed port be reused while old connections sit in
            # TIME_WAIT. Port 0 skips it: the kernel's free-port search is
            # much slower with the option set (seconds for 10,000 sockets).
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((host, port))
        sock.listen(backlog)
        sock.setblocking(False)
    except OSError as exc:
        sock.close()
        raise OSError(
            exc.errno,
            f"panel {spec.name}: cannot listen on {host} port {port}: "
            f"{exc.strerror}; choose another port, or port 0 for a free one",
        ) from exc

    return sock


async def fill_accept_queue(sock: socket.socket) -> list[socket.socket]:
    """Connect to a never-accepting listener until new connections hang.

    Returns the filler connections, which must stay open for the queue to
    stay full. Raises OSError when the queue does not fill.
    """
    loop = asyncio.get_running_loop()
    address = sock.getsockname()
    fillers: list[socket.socket] = []
    for _ in range(_MAX_FILLERS):
        filler = socket.socket(sock.family, socket.SOCK_STREAM)
        filler.setblocking(False)
        try:
            await asyncio.wait_for(loop.sock_connect(filler, address), _FILL_PROBE_S)
        except TimeoutError:
            filler.close()
            return fillers
        except OSError:
            filler.close()
            _close_all(fillers)
            raise
        fillers.append(filler)

    _close_all(fillers)
    raise OSError(
        f"the accept queue of {address[0]} port {address[1]} still took "
        f"connections after {_MAX_FILLERS}; this kernel does not drop SYNs to a "
        "full queue, so connect_black_hole cannot work here"
    )


def _close_all(sockets: Iterable[socket.socket]) -> None:
    for sock in sockets:
        sock.close()


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
        # Listeners of connect black holes and the connections filling them.
        self._unserved: list[socket.socket] = []

    async def start(self) -> None:
        """Open every listener, then start serving on all of them."""
        listeners = sum(2 if panel.spec.dual_stack else 1 for panel in self._panels)
        limit = raise_open_file_limit(listeners + SPARE_FILES)
        connections = limit - listeners - SPARE_FILES
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
        opened = self._open_all()
        served = [(panel, sock) for panel, sock in opened if not _is_unserved(panel)]
        try:
            await self._fill_unserved(
                [sock for panel, sock in opened if _is_unserved(panel)]
            )
        except OSError:
            _close_all(sock for _, sock in served)
            raise
        for start in range(0, len(served), _START_BATCH):
            batch = served[start : start + _START_BATCH]
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
        _close_all(self._unserved)
        self._unserved.clear()

    def _open_all(self) -> list[tuple[PanelRuntime, socket.socket]]:
        opened: list[tuple[PanelRuntime, socket.socket]] = []
        try:
            for panel in self._panels:
                sockets = open_listeners(panel.spec)
                opened.extend((panel, sock) for sock in sockets)
                panel.port = sockets[0].getsockname()[1]
                for sock in sockets:
                    host, port = sock.getsockname()[:2]
                    self._by_address[(host, port)] = panel
        except OSError:
            _close_all(sock for _, sock in opened)
            raise

        return opened

    async def _fill_unserved(self, listeners: list[socket.socket]) -> None:
        self._unserved.extend(listeners)
        try:
            filled = await asyncio.gather(
                *(fill_accept_queue(sock) for sock in listeners)
            )
        except OSError:
            _close_all(self._unserved)
            self._unserved.clear()
            raise
        for fillers in filled:
            self._unserved.extend(fillers)

    def _factory(self, panel: PanelRuntime) -> Callable[[], asyncio.BaseProtocol]:
        if panel.spec.fault in RAW_FAULTS:
            return functools.partial(FaultProtocol, panel, self._raw_transports)
        assert self._web_server is not None
        return self._web_server


def _is_unserved(panel: PanelRuntime) -> bool:
    return panel.spec.fault == "connect_black_hole"


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
