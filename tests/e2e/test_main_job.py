"""The main job end to end: fleet's scheduler against simulated panels."""

from __future__ import annotations

import time
from pathlib import Path

from fleet.errors import ErrorKind
from fleet.operations.catalogue import CATALOGUE
from fleet.scheduling.scheduler import RunOptions
from fleet.simulator.fleet import SimulatedFleet, build_specs
from fleet.simulator.spec import PanelSpec
from fleet.transport.client import PanelClient
from tests.e2e.support import (
    ALL_OPERATIONS,
    Recorder,
    by_panel,
    panels_of,
    run_scheduler,
)

RETRIES_ON = {"limits": {"retries": 5}}


class TestSessions:
    async def test_ip_panel_keeps_its_cookie(self, tmp_path: Path) -> None:
        """A panel addressed by IP creates one session for all four operations."""
        async with SimulatedFleet(build_specs(1)) as sim:
            outcome = await run_scheduler(await panels_of(sim, tmp_path))
            stats = sim.stats("sim-0001")
        assert all(result.ok for result in outcome.results)
        assert stats.requests == 4
        assert stats.sessions_created == 1
        assert sum(r.sessions_created for r in outcome.results) == 1

    async def test_two_ports_on_one_ip_stay_apart(self, tmp_path: Path) -> None:
        """Two panels on 127.0.0.1 never receive each other's cookie."""
        async with SimulatedFleet(build_specs(2)) as sim:
            panels = await panels_of(sim, tmp_path)
            clients = [PanelClient(panel) for panel in panels]
            for client in clients:
                await client.call("/system", "GetSystemTotal", {})
            jars = [list(client.session().cookie_jar) for client in clients]
            for client in clients:
                await client.close()
            stats = [sim.stats(panel.name) for panel in panels]
        assert len(jars[0]) == 1
        assert len(jars[1]) == 1
        assert jars[0][0].value != jars[1][0].value
        assert [s.sessions_created for s in stats] == [1, 1]

    async def test_run_reuses_cookie_of_other_panel_never(self, tmp_path: Path) -> None:
        """Over a full run, each of ten panels on one IP creates one session."""
        async with SimulatedFleet(build_specs(10)) as sim:
            outcome = await run_scheduler(await panels_of(sim, tmp_path))
            created = [sim.stats(f"sim-{i:04d}").sessions_created for i in range(1, 11)]
        assert len(outcome.results) == 40
        assert created == [1] * 10


class TestAuthFailures:
    async def test_wrong_key_panel_gets_one_request(self, tmp_path: Path) -> None:
        """With retries on, a wrong-key panel receives exactly one request."""
        specs = build_specs(3, faults={"wrong_key": 1})
        async with SimulatedFleet(specs) as sim:
            panels = await panels_of(sim, tmp_path, RETRIES_ON)
            outcome = await run_scheduler(panels)
            stats = sim.stats("sim-0003")
        results = by_panel(outcome.results, "sim-0003")
        assert stats.requests == 1
        assert stats.auth_failures == 1
        assert [r.error_kind for r in results] == [ErrorKind.AUTH_WRONG_KEY] * 4
        assert sum(r.attempts for r in results) == 1

    async def test_whitelist_failure_names_address(self, tmp_path: Path) -> None:
        """The whitelist error tells the user which address to add."""
        specs = build_specs(1, faults={"ip_not_whitelisted": 1})
        async with SimulatedFleet(specs) as sim:
            outcome = await run_scheduler(await panels_of(sim, tmp_path, RETRIES_ON))
            stats = sim.stats("sim-0001")
        first = outcome.results[0]
        assert first.error_kind == ErrorKind.AUTH_IP_NOT_WHITELISTED
        assert "127.0.0.1" in (first.error_message or "")
        assert stats.requests == 1


class TestIsolation:
    async def test_black_hole_does_not_delay_others(self, tmp_path: Path) -> None:
        """Every healthy panel finishes before the black-hole panel's first result."""
        specs = build_specs(6, faults={"black_hole": 1})
        recorder = Recorder()
        async with SimulatedFleet(specs) as sim:
            panels = await panels_of(sim, tmp_path, {"timeouts": {"read": 1.0}})
            outcome = await run_scheduler(panels, recorder=recorder)
        order = [result.panel for result in recorder.results]
        first_dead = order.index("sim-0006")
        assert set(order[:first_dead]) == {f"sim-{i:04d}" for i in range(1, 6)}
        assert len(order[:first_dead]) == 20
        dead = by_panel(outcome.results, "sim-0006")
        assert [r.error_kind for r in dead] == [ErrorKind.TIMEOUT_READ] * 4

    async def test_deadline_marks_the_rest(self, tmp_path: Path) -> None:
        """Work still running at the deadline is reported as timed out."""
        specs = [*build_specs(2), PanelSpec(name="slow-1", key="k" * 32, latency=5.0)]
        async with SimulatedFleet(specs) as sim:
            panels = await panels_of(sim, tmp_path)
            started = time.monotonic()
            outcome = await run_scheduler(panels, options=RunOptions(deadline_s=1.0))
            elapsed = time.monotonic() - started
        slow = by_panel(outcome.results, "slow-1")
        assert outcome.stopped == ErrorKind.TIMEOUT_DEADLINE
        assert [r.status for r in slow] == ["timed_out"] * 4
        assert all(r.ok for r in outcome.results if r.panel != "slow-1")
        assert elapsed < 3.0


class TestSites:
    async def test_every_page_is_followed(self, tmp_path: Path) -> None:
        """A panel with 45 sites is read in three pages of the panel's size."""
        async with SimulatedFleet(build_specs(1, site_count=45)) as sim:
            panels = await panels_of(sim, tmp_path)
            outcome = await run_scheduler(panels, [CATALOGUE["sites"]])
            pages = sim.stats("sim-0001").actions.get("getData")
        (result,) = outcome.results
        assert result.ok
        assert result.data["count"] == 45
        assert len({site["name"] for site in result.data["sites"]}) == 45
        assert pages == 3


class TestLargeFleet:
    async def test_thousand_panels_three_operations(self, tmp_path: Path) -> None:
        """1,000 panels and 3 operations give 3,000 classified results."""
        specs = build_specs(1000, faults={"wrong_key": 5, "api_disabled": 5})
        operations = ALL_OPERATIONS[:3]
        async with SimulatedFleet(specs) as sim:
            panels = await panels_of(sim, tmp_path)
            outcome = await run_scheduler(panels, operations)
            healthy = [s.name for s in specs if s.fault is None]
            sessions = [sim.stats(name).sessions_created for name in healthy]
        kinds = {r.error_kind for r in outcome.results if not r.ok}
        assert len(outcome.results) == 3000
        assert len({(r.panel, r.operation) for r in outcome.results}) == 3000
        assert kinds == {ErrorKind.AUTH_WRONG_KEY, ErrorKind.AUTH_API_DISABLED}
        assert max(sessions) == 1
