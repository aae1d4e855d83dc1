"""Session cookies: rotation, colliding names on one host, reuse across runs."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import aiohttp

from fleet.inventory.model import Panel
from fleet.scheduling.scheduler import RunOptions
from fleet.signing import Signer
from fleet.simulator import FLAVOURS, SimulatedFleet
from fleet.transport.client import PanelClient
from fleet.transport.cookie_store import CookieStore

from .support import ALL_OPERATIONS, load_panels, make_spec, run_fleet, running

CALLS = 10
FIXED_COOKIE = "SESSIONID"


async def call_in_turn(panels: Sequence[Panel], calls: int) -> list[bool]:
    """Call every panel in turn through fleet's client; return the new-session flags."""
    flags: list[bool] = []
    clients = [PanelClient(panel) for panel in panels]
    try:
        for _ in range(calls):
            for client in clients:
                _, new_session = await client.call("/system", "GetSystemTotal", {})
                flags.append(new_session)
    finally:
        for client in clients:
            await client.close()

    return flags


def total_sessions(sim: SimulatedFleet) -> int:
    return sum(panel.stats.sessions_created for panel in sim.panels)


class TestRotation:
    async def test_rotated_cookie_replaces_old(self, tmp_path: Path) -> None:
        """Each rotated cookie replaces the old one, so the panel keeps one session."""
        async with running([make_spec("p1", rotate_cookie_every=2)]) as sim:
            panels = await load_panels(sim, tmp_path)
            flags = await call_in_turn(panels, CALLS)
            stats = sim.stats("p1")

        assert stats.cookies_rotated == CALLS // 2
        assert stats.sessions_created == 1
        assert stats.auth_failures == 0
        # fleet counts the first cookie and every rotated value as new.
        assert sum(flags) == 1 + stats.cookies_rotated


class TestCollidingNames:
    async def test_separate_jars_stay_isolated(self, tmp_path: Path) -> None:
        """Two panels on one IP with one cookie name keep one session each."""
        specs = [
            make_spec("left", cookie_name=FIXED_COOKIE),
            make_spec("right", cookie_name=FIXED_COOKIE),
        ]
        async with running(specs) as sim:
            panels = await load_panels(sim, tmp_path)
            await call_in_turn(panels, CALLS)
            created = [sim.stats(spec.name).sessions_created for spec in specs]

        assert sim.panels[0].port != sim.panels[1].port
        assert created == [1, 1]

    async def test_shared_jar_churns(self, tmp_path: Path) -> None:
        """One jar for both panels makes them churn sessions, so the check can fail."""
        # Cookies ignore ports, so each panel gets the other's cookie under the
        # same name and starts a new session on almost every call.
        specs = [
            make_spec("left", cookie_name=FIXED_COOKIE),
            make_spec("right", cookie_name=FIXED_COOKIE),
        ]
        async with running(specs) as sim:
            jar = aiohttp.CookieJar(unsafe=True)
            async with aiohttp.ClientSession(cookie_jar=jar) as session:
                for _ in range(CALLS):
                    for panel in sim.panels:
                        form = Signer(panel.inventory_key).auth_fields()
                        url = panel.url + "/system?action=GetSystemTotal"
                        async with session.post(url, data=form) as reply:
                            assert reply.status == 200
            created = [sim.stats(spec.name).sessions_created for spec in specs]

        assert min(created) > CALLS // 2


class TestReuseAcrossRuns:
    async def test_second_run_creates_no_sessions(self, tmp_path: Path) -> None:
        """With a state directory, a second run reuses every panel's session."""
        specs = [
            make_spec(f"p{index}", flavour=FLAVOURS[index % len(FLAVOURS)])
            for index in range(6)
        ]
        options = RunOptions(cookie_store=CookieStore(tmp_path / "state"))
        async with running(specs) as sim:
            panels = await load_panels(sim, tmp_path)
            first = await run_fleet(panels, ALL_OPERATIONS, options)
            after_first = total_sessions(sim)
            second = await run_fleet(panels, ALL_OPERATIONS, options)
            after_second = total_sessions(sim)

        assert all(result.ok for result in first.results + second.results)
        assert after_first == len(specs)
        assert {result.sessions_created for result in second.results} == {0}
        assert after_second == after_first
