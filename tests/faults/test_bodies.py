"""Responses with odd bodies, labels and encodings, and pages not from the panel."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path

import pytest

from fleet.errors import ErrorKind, PanelError
from fleet.inventory.loader import load_inventory
from fleet.inventory.model import Panel
from fleet.report.model import Result
from fleet.scheduling.scheduler import RunOutcome
from fleet.simulator import FaultName
from fleet.transport.decode import decode_answer

from .support import (
    FAST_TIMEOUTS,
    SYSTEM,
    load_panels,
    make_spec,
    only_result,
    run_fleet,
    running,
)

# Retries are allowed, so a result with one attempt proves none was made.
RETRYING = {"timeouts": FAST_TIMEOUTS, "limits": {"retries": 2}}
PANEL_404 = (
    b"<html>\r\n<head><title>404 Not Found</title></head>\r\n<body>\r\n"
    b"<center><h1>404 Not Found</h1></center>\r\n<hr><center>nginx</center>\r\n"
    b"</body>\r\n</html>\r\n"
)
HTML = "text/html"

# Starts a loopback server that sends fixed bytes; resolves to its base URL.
RawServer = Callable[[bytes], Awaitable[str]]


async def run_one(fault: FaultName, directory: Path) -> Result:
    """Run the system operation on one panel with the fault; return its result."""
    async with running([make_spec("p1", fault=fault)]) as sim:
        panels = await load_panels(sim, directory, RETRYING)
        outcome: RunOutcome = await run_fleet(panels, SYSTEM)

    return only_result(outcome, "p1")


def error_of(status: int, headers: dict[str, str], body: bytes) -> PanelError:
    with pytest.raises(PanelError) as caught:
        decode_answer(status, headers, body)
    return caught.value


async def run_url(url: str, directory: Path) -> Result:
    """Run the system operation on a hand-written one-panel inventory."""
    path = directory / "inventory.yaml"
    path.write_text(
        "panels:\n"
        f"  - name: p1\n    url: {url}\n    key: {'k' * 32}\n"
        "    timeouts: {connect: 1, read: 1}\n    limits: {retries: 0}\n",
        encoding="utf-8",
    )
    panels = await asyncio.to_thread(load_inventory_panels, path)
    outcome = await run_fleet(panels, SYSTEM)

    return only_result(outcome, "p1")


def load_inventory_panels(path: Path) -> tuple[Panel, ...]:
    return load_inventory(path).panels


@pytest.fixture
async def raw_server() -> AsyncIterator[RawServer]:
    """Start loopback servers that send fixed bytes after reading a request head."""
    servers: list[asyncio.Server] = []

    async def start(response: bytes) -> str:
        async def answer(
            reader: asyncio.StreamReader, writer: asyncio.StreamWriter
        ) -> None:
            await reader.readuntil(b"\r\n\r\n")
            writer.write(response)
            await writer.drain()
            writer.close()

        server = await asyncio.start_server(answer, "127.0.0.1", 0)
        servers.append(server)
        port = server.sockets[0].getsockname()[1]
        return f"http://127.0.0.1:{port}"

    yield start
    for server in servers:
        server.close()
        await server.wait_closed()


class TestBodyBytes:
    async def test_utf8_bom_parses(self, tmp_path: Path) -> None:
        """A byte order mark before the JSON is skipped and the read succeeds."""
        result = await run_one("utf8_bom", tmp_path)

        assert result.ok
        assert result.attempts == 1

    async def test_empty_body_not_retried(self, tmp_path: Path) -> None:
        """An empty 200 body is bad_response.empty and is not sent again."""
        result = await run_one("empty_body", tmp_path)

        assert result.error_kind == ErrorKind.BAD_RESPONSE_EMPTY
        assert result.attempts == 1

    async def test_json_labelled_html_parses(self, tmp_path: Path) -> None:
        """JSON sent as text/html is used, as the panel's own auth errors are."""
        result = await run_one("json_as_html", tmp_path)

        assert result.ok


class TestContentEncoding:
    async def test_gzip_label_on_plain_body(self, tmp_path: Path) -> None:
        """Content-Encoding gzip on an uncompressed body is .encoding, not retried."""
        result = await run_one("gzip_mislabelled", tmp_path)

        assert result.error_kind == ErrorKind.BAD_RESPONSE_ENCODING
        assert result.attempts == 1

    async def test_empty_content_encoding_parses(self, tmp_path: Path) -> None:
        """aiohttp ignores an empty Content-Encoding value, so the JSON parses."""
        result = await run_one("empty_content_encoding", tmp_path)

        assert result.ok
        assert result.attempts == 1

    async def test_encoding_without_decoder(
        self,
        tmp_path: Path,
        raw_server: RawServer,
    ) -> None:
        """A brotli label on a plain body is .encoding, with or without Brotli."""
        url = await raw_server(
            b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
            b"Content-Encoding: br\r\nContent-Length: 2\r\n\r\n{}"
        )
        result = await run_url(url, tmp_path)

        assert result.error_kind == ErrorKind.BAD_RESPONSE_ENCODING

    async def test_malformed_head(
        self,
        tmp_path: Path,
        raw_server: RawServer,
    ) -> None:
        """A response that is not HTTP at all is a bad response, not a bug."""
        url = await raw_server(b"SSH-2.0-OpenSSH_9.6\r\n\r\n")
        result = await run_url(url, tmp_path)

        assert result.error_kind == ErrorKind.BAD_RESPONSE_NOT_JSON
        assert "not valid HTTP" in (result.error_message or "")


class TestNotThePanel:
    async def test_nginx_404_page(self, tmp_path: Path) -> None:
        """nginx's versioned 404 page shows the status, type and page start."""
        result = await run_one("nginx_404", tmp_path)
        message = result.error_message or ""

        assert result.error_kind == ErrorKind.BAD_RESPONSE_NOT_JSON
        assert result.attempts == 1
        assert "status 404" in message
        assert "text/html" in message
        assert "<hr><center>nginx/1.24.0</center>" in message

    async def test_plain_text_404(self, tmp_path: Path) -> None:
        """A text/plain Not Found shows the status, type and body."""
        result = await run_one("plain_404", tmp_path)
        message = result.error_message or ""

        assert result.error_kind == ErrorKind.BAD_RESPONSE_NOT_JSON
        assert result.attempts == 1
        assert "status 404" in message
        assert "text/plain" in message
        assert "'Not Found'" in message

    def test_snippet_is_200_characters(self) -> None:
        """The message quotes the first 200 characters of the body and no more."""
        error = error_of(404, {"Content-Type": HTML}, b"a" * 300 + b"b")

        assert "a" * 200 in error.message
        assert "a" * 201 not in error.message

    def test_panel_page_without_server_header(self) -> None:
        """The panel's page from its own server means the API is off."""
        error = error_of(404, {"Content-Type": HTML}, PANEL_404)

        assert error.kind == ErrorKind.AUTH_API_DISABLED

    def test_aapanel_page_with_lf_line_ends(self) -> None:
        """aaPanel's copy of the page, with LF line ends, means the API is off."""
        body = PANEL_404.replace(b"\r\n", b"\n").rstrip(b"\n")
        error = error_of(404, {"Content-Type": HTML}, body)

        assert error.kind == ErrorKind.AUTH_API_DISABLED

    def test_same_page_from_nginx(self) -> None:
        """The identical page with Server: nginx is nginx's own 404."""
        error = error_of(404, {"Content-Type": HTML, "Server": "nginx"}, PANEL_404)

        assert error.kind == ErrorKind.BAD_RESPONSE_NOT_JSON
        assert "from nginx" in error.message
