"""Panels whose responses try to break fleet's output or leak secrets."""

from __future__ import annotations

import asyncio
import io
from collections.abc import AsyncIterator, Awaitable, Callable

import pytest
from aiohttp import web
from rich.console import Console

from fleet.errors import ErrorKind, PanelError
from fleet.inventory.model import Panel, Secret, Timeouts
from fleet.operations.redact import scrub_text
from fleet.report.model import Result
from fleet.report.table import render
from fleet.signing import key_digest
from fleet.transport.client import PanelClient

KEY = "Zk9SeCrEtkeyQw3rTy7uIoP1aS2dF4gH"
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


@pytest.fixture
async def serve() -> AsyncIterator[Callable[[Handler], Awaitable[str]]]:
    """Start a one-route panel on 127.0.0.1 that answers with ``handler``."""
    runners: list[web.AppRunner] = []

    async def start(handler: Handler) -> str:
        app = web.Application()
        app.router.add_post("/system", handler)
        runner = web.AppRunner(app)
        await runner.setup()
        site = web.TCPSite(runner, "127.0.0.1", 0)
        await site.start()
        runners.append(runner)
        return f"http://127.0.0.1:{runner.addresses[0][1]}"

    yield start
    for runner in runners:
        await runner.cleanup()


DEFAULT_TIMEOUTS = Timeouts()


async def failure_of(url: str, timeouts: Timeouts = DEFAULT_TIMEOUTS) -> PanelError:
    panel = Panel(name="hostile", url=url, key=Secret(KEY), timeouts=timeouts)
    async with PanelClient(panel) as client:
        with pytest.raises(PanelError) as caught:
            await client.call("/system", "GetSystemTotal", {})
    return caught.value


class TestSecretsInMessages:
    async def test_echoed_form_is_scrubbed(
        self, serve: Callable[[Handler], Awaitable[str]]
    ) -> None:
        """A 500 page that echoes the request shows no token and no key digest."""

        async def echo(request: web.Request) -> web.Response:
            form = await request.text()
            return web.Response(status=500, text=f"error; request was {form}")

        error = await failure_of(await serve(echo))
        assert "request_token=[redacted]" in error.message
        assert key_digest(KEY) not in error.message

    async def test_refusal_with_password_is_scrubbed(
        self, serve: Callable[[Handler], Awaitable[str]]
    ) -> None:
        """A refusal quoting a password field loses the password."""

        async def refuse(request: web.Request) -> web.Response:
            return web.Response(text='{"status": false, "msg": "pwd=hunter2 bad"}')

        error = await failure_of(await serve(refuse))
        assert error.kind == ErrorKind.PANEL_REFUSED
        assert "hunter2" not in error.message

    def test_scrub_removes_pem_and_controls(self) -> None:
        """Private key blocks and terminal control characters are removed."""
        text = (
            "x -----BEGIN PRIVATE KEY-----\nAAA\n-----END PRIVATE KEY----- \x1b]0;t\x07"
        )
        clean = scrub_text(text)
        assert "AAA" not in clean
        assert "\x1b" not in clean
        assert "\x07" not in clean


class TestSlowBodies:
    async def test_dripping_body_hits_the_attempt_limit(
        self, serve: Callable[[Handler], Awaitable[str]]
    ) -> None:
        """A body sent a byte at a time ends at connect + 2 x read timeout."""

        async def drip(request: web.Request) -> web.StreamResponse:
            response = web.StreamResponse(headers={"Content-Length": "1000"})
            await response.prepare(request)
            for _ in range(50):
                await response.write(b" ")
                await asyncio.sleep(0.1)
            return response

        loop = asyncio.get_running_loop()
        started = loop.time()
        error = await failure_of(await serve(drip), Timeouts(connect=0.5, read=0.5))
        elapsed = loop.time() - started
        assert error.kind == ErrorKind.TIMEOUT_READ
        assert elapsed < 3.0


class TestTableMarkup:
    def test_panel_text_is_not_markup(self) -> None:
        """Brackets in a panel's message or version print as they are."""
        results = [
            Result(
                panel="p[/x]",
                url="http://127.0.0.1:1",
                operation="system",
                ok=False,
                attempts=1,
                duration_s=0.1,
                started_at=0.0,
                error_kind="panel_refused",
                error_message="denied [/oops] [bold]x",
                panel_version="11 [/bad]",
                panel_flavour="baota",
            )
        ]
        output = io.StringIO()
        render(Console(file=output, width=200), results, ["system"])
        assert "denied [/oops] [bold]x" in output.getvalue()
