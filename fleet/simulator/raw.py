"""Transport-level faults that aiohttp cannot produce, served by a raw protocol.

``black_hole`` accepts the connection, reads the request and never responds.
``connection_reset`` reads the request and closes with an RST (``SO_LINGER``
zero). ``truncated`` sends headers promising more body bytes than follow and
then closes the connection.
"""

from __future__ import annotations

import asyncio
import socket
import struct
from typing import cast

from fleet.simulator import wire
from fleet.simulator.panel import PanelRuntime

# A request head larger than this is treated as complete, to bound memory.
_MAX_REQUEST_BYTES = 1024 * 1024
_TRUNCATED_BODY = b'{"memTotal": 3931, "memFree": 412, "memBuffers": 96, '
_TRUNCATED_HEAD = (
    b"HTTP/1.1 200 OK\r\n"
    b"Content-Type: application/json; charset=utf-8\r\n"
    b"Content-Length: 512\r\n"
)


class FaultProtocol(asyncio.Protocol):
    """One connection to a panel whose fault lives below HTTP."""

    def __init__(self, panel: PanelRuntime, transports: set[asyncio.Transport]):
        self._panel = panel
        self._transports = transports
        self._transport: asyncio.Transport | None = None
        self._local_address = ""
        self._buffer = bytearray()
        self._answered = False

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        # uvloop's TCP transport has asyncio.Transport's methods without
        # subclassing it, so an isinstance check would reject it.
        self._transport = cast(asyncio.Transport, transport)
        self._transports.add(self._transport)
        sockname = transport.get_extra_info("sockname")
        if sockname:
            self._local_address = sockname[0]

    def connection_lost(self, exc: Exception | None) -> None:
        if self._transport is not None:
            self._transports.discard(self._transport)

    def data_received(self, data: bytes) -> None:
        if self._answered:
            return  # A black hole keeps reading and drops everything.
        self._buffer.extend(data)
        if not is_request_complete(self._buffer):
            return
        self._answered = True
        self._buffer.clear()
        self._panel.counters.count_request(self._local_address)
        self._act()

    def _act(self) -> None:
        transport = self._transport
        assert transport is not None
        fault = self._panel.spec.fault
        if fault == "connection_reset":
            reset(transport)
        elif fault == "truncated":
            date = wire.http_date(self._panel.clock()).encode("ascii")
            transport.write(
                _TRUNCATED_HEAD + b"Date: " + date + b"\r\n\r\n" + _TRUNCATED_BODY
            )
            transport.close()


def reset(transport: asyncio.Transport) -> None:
    """Close a TCP connection with an RST instead of a FIN."""
    sock = transport.get_extra_info("socket")
    if sock is not None:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    transport.abort()


def is_request_complete(buffer: bytes | bytearray) -> bool:
    """Return whether the buffer contains a whole HTTP request, body included."""
    head_end = buffer.find(b"\r\n\r\n")
    if head_end < 0:
        return len(buffer) > _MAX_REQUEST_BYTES
    body_length = len(buffer) - head_end - 4
    head = bytes(buffer[:head_end]).decode("latin-1").lower()
    for line in head.split("\r\n")[1:]:
        name, _, value = line.partition(":")
        name = name.strip()
        if name == "content-length":
            return not value.strip().isdigit() or body_length >= int(value)
        if name == "transfer-encoding" and "chunked" in value:
            return buffer.endswith(b"0\r\n\r\n") or len(buffer) > _MAX_REQUEST_BYTES

    return True
