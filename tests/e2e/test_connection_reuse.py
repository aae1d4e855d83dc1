"""What the main job does to spare panels connections, sessions and writes."""

from __future__ import annotations

from pathlib import Path

from fleet.operations.catalogue import CATALOGUE
from fleet.scheduling.scheduler import RunOptions
from fleet.simulator.fleet import SimulatedFleet, build_specs
from fleet.transport.cookie_store import CookieStore
from tests.e2e.support import by_panel, panels_of, run_scheduler

THREE_READS = [CATALOGUE[name] for name in ("system", "disks", "network")]


def overlaps(first: tuple[float, float], second: tuple[float, float]) -> bool:
    return first[0] < second[1] and second[0] < first[1]


class TestOperationOrder:
    async def test_busy_run_sends_one_at_a_time(self, tmp_path: Path) -> None:
        """While other panels wait, a panel's operations do not overlap."""
        specs = build_specs(6, latency=0.05)
        async with SimulatedFleet(specs) as sim:
            panels = await panels_of(sim, tmp_path)
            outcome = await run_scheduler(
                panels, THREE_READS, RunOptions(concurrency=2)
            )
        results = by_panel(outcome.results, "sim-0001")
        spans = [(r.started_at, r.started_at + r.duration_s) for r in results]
        assert all(r.ok for r in outcome.results)
        assert not overlaps(spans[1], spans[2])

    async def test_last_panels_send_together(self, tmp_path: Path) -> None:
        """With no panel waiting, the operations after the first overlap."""
        specs = build_specs(1, latency=0.1)
        async with SimulatedFleet(specs) as sim:
            panels = await panels_of(sim, tmp_path)
            outcome = await run_scheduler(panels, THREE_READS)
        spans = [(r.started_at, r.started_at + r.duration_s) for r in outcome.results]
        assert overlaps(spans[1], spans[2])


class TestCookieFiles:
    async def test_unchanged_cookie_file_is_not_rewritten(self, tmp_path: Path) -> None:
        """A second run that reuses the saved cookie leaves its file untouched."""
        store = CookieStore(tmp_path / "state")
        async with SimulatedFleet(build_specs(1)) as sim:
            panels = await panels_of(sim, tmp_path)
            await run_scheduler(panels, THREE_READS, RunOptions(cookie_store=store))
            path = store.path_for("sim-0001")
            before = path.stat().st_mtime_ns
            second = await run_scheduler(
                panels, THREE_READS, RunOptions(cookie_store=store)
            )
            sessions = sim.stats("sim-0001").sessions_created
        assert path.stat().st_mtime_ns == before
        assert sum(r.sessions_created for r in second.results) == 0
        assert sessions == 1
