"""Slow panels, connections that never open, and the run deadline."""

from __future__ import annotations

from pathlib import Path

from fleet.errors import ErrorKind
from fleet.report.model import Result
from fleet.scheduling.scheduler import RunOptions

from .support import (
    ALL_OPERATIONS,
    SYSTEM,
    load_panels,
    make_spec,
    only_result,
    results_of,
    run_fleet,
    running,
)

# Scaled down from a panel that sends its headers after 15 s, read with a
# 30 s default and a 60 s override: the same ratios, ten times faster.
SCALED_DELAY_S = 1.5
SCALED_TIMEOUTS = {"connect": 1, "read": 1}
SCALED_OVERRIDE = {"timeouts": {"read": 6}}
REAL_DELAY_S = 15.0
REAL_TIMEOUTS = {"connect": 5, "read": 10}
REAL_OVERRIDE = {"timeouts": {"read": 60}}


class TestSlowHeaders:
    async def test_read_override_waits_for_headers(self, tmp_path: Path) -> None:
        """Headers after 1.5 s (15 s scaled tenfold) pass only a 6 s read override."""
        specs = [
            make_spec("patient", fault="slow", slow_seconds=SCALED_DELAY_S),
            make_spec("hasty", fault="slow", slow_seconds=SCALED_DELAY_S),
        ]
        async with running(specs) as sim:
            panels = await load_panels(
                sim,
                tmp_path,
                {"timeouts": SCALED_TIMEOUTS, "limits": {"retries": 0}},
                {"patient": SCALED_OVERRIDE},
            )
            outcome = await run_fleet(panels, SYSTEM)

        patient = only_result(outcome, "patient")
        hasty = only_result(outcome, "hasty")
        assert patient.ok
        assert patient.duration_s >= SCALED_DELAY_S
        assert hasty.error_kind == ErrorKind.TIMEOUT_READ

    async def test_fifteen_second_headers_real_time(self, tmp_path: Path) -> None:
        """Headers after a real 15 s pass a 60 s override and fail a 10 s default."""
        specs = [
            make_spec("patient", fault="slow", slow_seconds=REAL_DELAY_S),
            make_spec("hasty", fault="slow", slow_seconds=REAL_DELAY_S),
        ]
        async with running(specs) as sim:
            panels = await load_panels(
                sim,
                tmp_path,
                {"timeouts": REAL_TIMEOUTS, "limits": {"retries": 0}},
                {"patient": REAL_OVERRIDE},
            )
            outcome = await run_fleet(panels, SYSTEM)

        patient = only_result(outcome, "patient")
        hasty = only_result(outcome, "hasty")
        assert patient.ok
        assert patient.duration_s >= REAL_DELAY_S
        assert hasty.error_kind == ErrorKind.TIMEOUT_READ


class TestConnectBlackHole:
    async def test_connect_phase_times_out(self, tmp_path: Path) -> None:
        """A listener whose accept queue is full ends as timeout.connect."""
        async with running([make_spec("p1", fault="connect_black_hole")]) as sim:
            panels = await load_panels(
                sim,
                tmp_path,
                {"timeouts": {"connect": 0.5, "read": 5}, "limits": {"retries": 1}},
            )
            outcome = await run_fleet(panels, ALL_OPERATIONS)
            requests = sim.stats("p1").requests

        probe = only_result_of(outcome.results, "system")
        kinds = {result.error_kind for result in results_of(outcome, "p1")}
        assert kinds == {ErrorKind.TIMEOUT_CONNECT}
        assert probe.attempts == 2
        assert requests == 0


class TestDeadline:
    async def test_unfinished_work_is_timed_out(self, tmp_path: Path) -> None:
        """The deadline marks a hung panel's work timeout.deadline, not the rest."""
        specs = [make_spec("hung", fault="black_hole"), make_spec("fine")]
        async with running(specs) as sim:
            panels = await load_panels(
                sim, tmp_path, {"timeouts": {"connect": 1, "read": 60}}
            )
            outcome = await run_fleet(
                panels, ALL_OPERATIONS, RunOptions(deadline_s=1.0)
            )

        hung = results_of(outcome, "hung")
        assert outcome.stopped == ErrorKind.TIMEOUT_DEADLINE
        assert {result.error_kind for result in hung} == {ErrorKind.TIMEOUT_DEADLINE}
        assert {result.status for result in hung} == {"timed_out"}
        assert all(result.ok for result in results_of(outcome, "fine"))


def only_result_of(results: list[Result], operation: str) -> Result:
    (result,) = [result for result in results if result.operation == operation]
    return result
