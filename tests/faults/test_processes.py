"""fleet as a command against a simulator in another process: limits and kill -9."""

from __future__ import annotations

import asyncio
import json
import re
from pathlib import Path
from typing import Any

from .processes import fleet_simulate, start_fleet

FD_PANELS = 2000
FD_LIMIT = 256
# Far more than 256 descriptors allow at two connections per panel.
FD_CONCURRENCY = 400
KILL_PANELS = 1000
KILL_OPERATIONS = ("system", "disks", "sites")
KILL_AFTER_RESULTS = 300
# Server think time and a modest concurrency make the run last seconds.
KILL_LATENCY_MS = 50
KILL_CONCURRENCY = 32
SIMULATOR_MAX_S = 120.0
RUN_MAX_S = 90.0


def read_report(path: Path) -> dict[str, Any]:
    document: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return document


def complete_lines(path: Path) -> list[str]:
    """Return the lines of a file that end with a newline; none if it is missing."""
    if not path.exists():
        return []
    text = path.read_text(encoding="utf-8")
    return [line for line in text.splitlines(keepends=True) if line.endswith("\n")]


async def wait_for_results(path: Path, count: int, max_seconds: float) -> None:
    """Poll a JSONL stream until it contains ``count`` complete result lines."""
    async with asyncio.timeout(max_seconds):
        while True:
            lines = await asyncio.to_thread(complete_lines, path)
            if sum('"type": "result"' in line for line in lines) >= count:
                return
            await asyncio.sleep(0.05)


class TestDescriptorLimit:
    async def test_clamped_run_answers_every_panel(self, tmp_path: Path) -> None:
        """Under ulimit -n 256, fleet warns, clamps and still reaches 2,000 panels."""
        inventory = tmp_path / "inventory.yaml"
        report = tmp_path / "report.json"
        arguments = [
            "run",
            str(inventory),
            "system",
            "disks",
            "--concurrency",
            str(FD_CONCURRENCY),
            "--no-state",
            "--out",
            str(tmp_path),
            "--json",
            str(report),
            "--jsonl",
            str(tmp_path / "report.jsonl"),
        ]
        simulator_arguments = ["--panels", str(FD_PANELS)]
        async with fleet_simulate(inventory, simulator_arguments, SIMULATOR_MAX_S):
            fleet = await start_fleet(arguments, tmp_path / "fleet", FD_LIMIT)
            code = await fleet.finish(RUN_MAX_S)

        errors = fleet.error_output()
        summary = read_report(report)["summary"]
        assert code == 0, errors
        # The clamp warning names the limit it found.
        assert re.search(rf"WARNING .*\b{FD_LIMIT}\b", errors), errors
        assert summary["results"] == FD_PANELS * 2
        assert summary["results_ok"] == FD_PANELS * 2


class TestKill:
    async def test_kill_9_then_only_failed(self, tmp_path: Path) -> None:
        """A run killed with SIGKILL keeps its JSONL, and --only-failed finishes it."""
        inventory = tmp_path / "inventory.yaml"
        stream = tmp_path / "killed.jsonl"
        final = tmp_path / "final.json"
        simulator_arguments = [
            "--panels",
            str(KILL_PANELS),
            "--latency",
            str(KILL_LATENCY_MS),
        ]
        async with fleet_simulate(inventory, simulator_arguments, SIMULATOR_MAX_S):
            killed = await start_fleet(
                [
                    "run",
                    str(inventory),
                    *KILL_OPERATIONS,
                    "--concurrency",
                    str(KILL_CONCURRENCY),
                    "--no-state",
                    "--out",
                    str(tmp_path),
                    "--jsonl",
                    str(stream),
                    "--json",
                    str(tmp_path / "killed.json"),
                ],
                tmp_path / "killed",
            )
            await wait_for_results(stream, KILL_AFTER_RESULTS, RUN_MAX_S)
            killed.kill()
            killed_code = await killed.finish(RUN_MAX_S)
            records = [json.loads(line) for line in complete_lines(stream)]

            rerun = await start_fleet(
                [
                    "run",
                    str(inventory),
                    "--only-failed",
                    str(stream),
                    "--no-state",
                    "--out",
                    str(tmp_path),
                    "--json",
                    str(final),
                    "--jsonl",
                    str(tmp_path / "final.jsonl"),
                ],
                tmp_path / "rerun",
            )
            rerun_code = await rerun.finish(RUN_MAX_S)

        kept = [record for record in records if record["type"] == "result"]
        total = KILL_PANELS * len(KILL_OPERATIONS)
        summary = read_report(final)["summary"]
        assert killed_code == -9
        assert 0 < len(kept) < total
        assert all(record["ok"] for record in kept)
        assert rerun_code == 0, rerun.error_output()
        assert summary["results"] == total
        assert summary["results_ok"] == total
