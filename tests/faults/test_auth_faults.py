"""Auth failures through fleet: whitelist, lockout, clock skew and API off."""

from __future__ import annotations

import re
import time
from pathlib import Path

import aiohttp
import pytest

from fleet.errors import ErrorKind, PanelError
from fleet.scheduling.scheduler import RunOptions
from fleet.simulator import ManualClock, SimulatedFleet
from fleet.transport.decode import decode_answer

from .support import (
    ALL_OPERATIONS,
    FAST_TIMEOUTS,
    SYSTEM,
    load_panels,
    make_spec,
    only_result,
    results_of,
    run_fleet,
    running,
)

# A documentation address (RFC 5737) standing in for a reverse proxy.
PROXY_ADDRESS = "198.51.100.7"
SKEW_S = 300


class TestWhitelist:
    async def test_json_rejection_names_seen_address(self, tmp_path: Path) -> None:
        """The whitelist error names the loopback address the panel saw."""
        async with running([make_spec("p1", fault="ip_not_whitelisted")]) as sim:
            panels = await load_panels(sim, tmp_path)
            outcome = await run_fleet(panels, SYSTEM)
            stats = sim.stats("p1")

        result = only_result(outcome, "p1")
        assert result.error_kind == ErrorKind.AUTH_IP_NOT_WHITELISTED
        assert "saw this host as 127.0.0.1" in (result.error_message or "")
        assert stats.auth_failures == 1

    async def test_proxy_address_is_named(self, tmp_path: Path) -> None:
        """Behind a proxy the error names the proxy's address, which is what to add."""
        spec = make_spec("p1", fault="ip_not_whitelisted", seen_address=PROXY_ADDRESS)
        async with running([spec]) as sim:
            panels = await load_panels(sim, tmp_path)
            outcome = await run_fleet(panels, SYSTEM)

        result = only_result(outcome, "p1")
        assert result.error_kind == ErrorKind.AUTH_IP_NOT_WHITELISTED
        assert f"add {PROXY_ADDRESS} to the API whitelist" in (
            result.error_message or ""
        )

    async def test_proxy_address_whitelisted_passes(self, tmp_path: Path) -> None:
        """Whitelisting the proxy's address, not this host's, lets calls through."""
        spec = make_spec("p1", seen_address=PROXY_ADDRESS, whitelist=(PROXY_ADDRESS,))
        async with running([spec]) as sim:
            panels = await load_panels(sim, tmp_path)
            outcome = await run_fleet(panels, SYSTEM)

        assert only_result(outcome, "p1").ok

    def test_proxy_hint_when_addresses_differ(self) -> None:
        """Knowing its own address, fleet reports that a proxy rewrote it."""
        body = (
            b'{"status": false, "msg": "IP validation failed, your access IP '
            b'is[198.51.100.7]"}'
        )
        with pytest.raises(PanelError, match="proxy or NAT") as caught:
            decode_answer(200, {}, body, "127.0.0.1")

        assert "connected from 127.0.0.1" in str(caught.value)

    def test_http_401_names_connecting_address(self) -> None:
        """The 401 error names the address this host connected from."""
        with pytest.raises(PanelError, match=r"connected from 127\.0\.0\.1") as caught:
            decode_answer(401, {}, b"", "127.0.0.1")

        assert caught.value.kind == ErrorKind.AUTH_HTTP_401

    async def test_http_401_through_fleet_names_address(self, tmp_path: Path) -> None:
        """A 401 with an empty body still shows the address the panel saw."""
        async with running([make_spec("p1", fault="ip_not_whitelisted_401")]) as sim:
            panels = await load_panels(sim, tmp_path)
            outcome = await run_fleet(panels, SYSTEM)

        result = only_result(outcome, "p1")
        assert result.error_kind == ErrorKind.AUTH_HTTP_401
        assert "127.0.0.1" in (result.error_message or "")


class TestLockout:
    async def test_wrong_key_never_locks_out(self, tmp_path: Path) -> None:
        """Two runs of four operations with retries 5 cost at most two failures."""
        async with running([make_spec("p1", fault="wrong_key")]) as sim:
            panels = await load_panels(sim, tmp_path, {"limits": {"retries": 5}})
            first = await run_fleet(panels, ALL_OPERATIONS)
            second = await run_fleet(panels, ALL_OPERATIONS)
            stats = sim.stats("p1")

        for outcome in (first, second):
            kinds = {result.error_kind for result in outcome.results}
            attempts = [result.attempts for result in results_of(outcome, "p1")]
            assert kinds == {ErrorKind.AUTH_WRONG_KEY}
            assert sorted(attempts) == [0, 0, 0, 1]
        assert stats.auth_failures <= 2
        assert stats.locked_out == 0


class TestClockSkew:
    async def test_skew_measured_from_date_header(self, tmp_path: Path) -> None:
        """A host clock 300 s ahead is named in the strict panel's refusal."""
        spec = make_spec("p1", strict_clock_window=60)
        async with running([spec]) as sim:
            panels = await load_panels(sim, tmp_path)
            options = RunOptions(clock=lambda: time.time() + SKEW_S)
            outcome = await run_fleet(panels, SYSTEM, options)
            stats = sim.stats("p1")

        result = only_result(outcome, "p1")
        found = re.search(r"clock is (\d+) s ahead", result.error_message or "")
        assert result.error_kind == ErrorKind.PANEL_REFUSED
        assert found is not None
        # The Date header has one-second resolution.
        assert abs(int(found.group(1)) - SKEW_S) <= 1
        assert stats.clock_rejections == 1

    async def test_date_header_follows_simulator_clock(self) -> None:
        """The panel's Date header is its own clock's time, not aiohttp's."""
        clock = ManualClock(start=1_000_000_000.0)
        async with SimulatedFleet([make_spec("p1")], clock=clock) as sim:
            url = sim.panels[0].url + "/system?action=GetSystemTotal"
            async with aiohttp.ClientSession() as session, session.post(url) as reply:
                date = reply.headers["Date"]

        assert date == "Sun, 09 Sep 2001 01:46:40 GMT"


class TestApiDisabled:
    @pytest.mark.parametrize("flavour", ["baota11", "baota7", "aapanel8"])
    async def test_probe_alone_is_sent(self, tmp_path: Path, flavour: str) -> None:
        """The 404 page or the 302 to /login stops the panel after one request."""
        spec = make_spec("p1", fault="api_disabled", flavour=flavour)
        async with running([spec]) as sim:
            panels = await load_panels(
                sim, tmp_path, {"timeouts": FAST_TIMEOUTS, "limits": {"retries": 3}}
            )
            outcome = await run_fleet(panels, ALL_OPERATIONS)
            stats = sim.stats("p1")

        kinds = {result.error_kind for result in outcome.results}
        assert kinds == {ErrorKind.AUTH_API_DISABLED}
        assert stats.requests == 1
