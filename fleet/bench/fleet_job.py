"""fleet's main job as ``fleet run INVENTORY system disks network`` runs it.

Set-up loads the inventory with fleet's own loader. The job is
``fleet.cli.runner.execute`` on fleet's event loop, so it includes the JSONL
stream, the JSON report, the table (to /dev/null) and loading and saving
each panel's cookies in the given state directory.
"""

from __future__ import annotations

import json
import logging
import os
import sys
from pathlib import Path
from typing import Any

from rich.console import Console

from fleet.bench.ceiling import Tally
from fleet.bench.probes import DescriptorWatch
from fleet.bench.targets import OPERATION_NAMES
from fleet.cli.main import run_async
from fleet.cli.runner import RunRequest, execute
from fleet.inventory.loader import load_inventory
from fleet.operations.catalogue import resolve_operations
from fleet.scheduling.scheduler import RunOptions
from fleet.transport.cookie_store import CookieStore

TABLE_WIDTH = 160


def log_warnings_to_stderr() -> None:
    """Configure fleet's logger as the CLI does by default: WARNING to stderr."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))
    package_logger = logging.getLogger("fleet")
    package_logger.handlers[:] = [handler]
    package_logger.setLevel(logging.WARNING)


class FleetJob:
    """One ``fleet run`` of the benchmark's operations, split into set-up and job."""

    def __init__(
        self, inventory: Path, concurrency: int, work_dir: Path, state_dir: Path
    ) -> None:
        log_warnings_to_stderr()
        loaded = load_inventory(inventory)
        self.reports = work_dir / "reports"
        self.request = RunRequest(
            command="run",
            inventory=str(inventory),
            panels=loaded.panels,
            operations=resolve_operations(list(OPERATION_NAMES)),
            options=RunOptions(
                concurrency=concurrency,
                cookie_store=CookieStore(state_dir),
            ),
            inventory_panels=tuple(panel.name for panel in loaded.panels),
            out_dir=str(self.reports),
        )
        self.console = Console(
            file=open(os.devnull, "w"),  # noqa: SIM115 - lives as long as the job
            width=TABLE_WIDTH,
            highlight=False,
        )

    def run(self, watch: DescriptorWatch) -> int:
        """Run the job on fleet's loop and return fleet's exit code."""
        return run_async(watch.watch(execute(self.request, self.console)))

    def report(self) -> dict[str, Any]:
        (path,) = self.reports.glob("*.json")
        document: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
        return document

    def count(self) -> Tally:
        """Count requests sent (attempts) and successful results in the report."""
        results = self.report()["results"]
        requests = sum(result["attempts"] for result in results)
        ok = sum(1 for result in results if result["ok"])

        return Tally(requests, ok)

    def failures(self) -> dict[str, int]:
        failures: dict[str, int] = self.report()["summary"]["failures_by_kind"]
        return failures
