"""Proxies and CDNs in front of panels: challenge pages and gateway errors."""

from __future__ import annotations

from pathlib import Path

from fleet.errors import ErrorKind
from fleet.simulator.spec import GATEWAY_STATUSES

from .support import (
    FAST_TIMEOUTS,
    SYSTEM,
    load_panels,
    make_spec,
    only_result,
    run_fleet,
    running,
)

RETRIES = 2
# The first two backoff waits are at least 0.5 s and 1 s before jitter.
MIN_BACKOFF_S = 1.5
RETRYING = {"timeouts": FAST_TIMEOUTS, "limits": {"retries": RETRIES}}


class TestCdnChallenge:
    async def test_challenge_not_retried(self, tmp_path: Path) -> None:
        """A Cloudflare 403 bot check is reported once, naming the CDN."""
        async with running([make_spec("p1", fault="cdn_challenge")]) as sim:
            panels = await load_panels(sim, tmp_path, RETRYING)
            outcome = await run_fleet(panels, SYSTEM)
            requests = sim.stats("p1").requests

        result = only_result(outcome, "p1")
        assert result.error_kind == ErrorKind.HTTP_STATUS
        assert result.attempts == 1
        assert requests == 1
        assert "HTTP 403 from Cloudflare" in (result.error_message or "")


class TestGatewayErrors:
    async def test_every_gateway_status_retried(self, tmp_path: Path) -> None:
        """502-504 and 520-524 are retried with backoff, 1 + retries attempts."""
        specs = [
            make_spec(f"gw-{status}", fault="gateway_error", gateway_status=status)
            for status in GATEWAY_STATUSES
        ]
        async with running(specs) as sim:
            panels = await load_panels(sim, tmp_path, RETRYING)
            outcome = await run_fleet(panels, SYSTEM)
            requests = {spec.name: sim.stats(spec.name).requests for spec in specs}

        for status in GATEWAY_STATUSES:
            name = f"gw-{status}"
            result = only_result(outcome, name)
            assert result.error_kind == ErrorKind.HTTP_STATUS, name
            assert result.attempts == 1 + RETRIES, name
            assert requests[name] == 1 + RETRIES, name
            assert result.duration_s >= MIN_BACKOFF_S, name
            assert f"HTTP {status}" in (result.error_message or ""), name

    async def test_cloudflare_statuses_name_the_cdn(self, tmp_path: Path) -> None:
        """A 52x page with Cloudflare's headers names the CDN as its sender."""
        spec = make_spec("p1", fault="gateway_error", gateway_status=522)
        async with running([spec]) as sim:
            panels = await load_panels(
                sim, tmp_path, {"timeouts": FAST_TIMEOUTS, "limits": {"retries": 0}}
            )
            outcome = await run_fleet(panels, SYSTEM)

        message = only_result(outcome, "p1").error_message or ""
        assert "HTTP 522 from Cloudflare" in message
