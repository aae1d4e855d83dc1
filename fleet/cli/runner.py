"""Drive one run: select panels, fan out, stream results, write the report.

Results go to the JSONL file as they complete, and the JSON report is written
in a ``finally`` block, so Ctrl-C, SIGTERM, the deadline or a failing panel
never lose what was collected.
"""

from __future__ import annotations

import asyncio
import dataclasses
import json
import logging
import os
import secrets
import signal
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from rich.console import Console

from fleet.errors import ErrorKind, ExitCode
from fleet.inventory.model import Panel
from fleet.operations.catalogue import Operation
from fleet.report.files import JsonlSink, RunInfo, build_report, write_json_atomic
from fleet.report.model import Result
from fleet.report.progress import PanelProgress
from fleet.report.table import render
from fleet.scheduling.scheduler import RunOptions, RunOutcome, Scheduler

log = logging.getLogger(__name__)

EXIT_INTERRUPTED = 130


@dataclasses.dataclass(frozen=True, slots=True)
class OutputPaths:
    """The paths of a run's JSON report and JSONL stream."""

    json: Path
    jsonl: Path

    @classmethod
    def choose(
        cls, out_dir: str, run_id: str, json_path: str | None, jsonl_path: str | None
    ) -> OutputPaths:
        base = Path(out_dir)
        return cls(
            json=Path(json_path) if json_path else base / f"{run_id}.json",
            jsonl=Path(jsonl_path) if jsonl_path else base / f"{run_id}.jsonl",
        )


@dataclasses.dataclass(frozen=True, slots=True)
class RunRequest:
    """Everything a run needs, gathered from the command line."""

    command: str
    inventory: str
    panels: Sequence[Panel]
    operations: Sequence[Operation]
    options: RunOptions
    out_dir: str = "fleet-reports"
    json_path: str | None = None
    jsonl_path: str | None = None
    show_all: bool = False
    print_json: bool = False
    # Every panel name in the inventory, selected or not: cookie files of
    # other names belong to panels that were removed and are pruned.
    inventory_panels: tuple[str, ...] = ()
    # Results of an earlier run; its successes are kept, the rest re-run.
    earlier_results: tuple[Result, ...] = ()
    # Draw a progress bar on stderr when stdout and stderr are terminals.
    show_progress: bool = False


def new_run_id() -> str:
    stamp = time.strftime("%Y%m%dT%H%M%SZ", time.gmtime())
    return f"{stamp}-{secrets.token_hex(2)}"


async def execute(request: RunRequest, console: Console) -> int:
    """Run the request, write every output, and return the exit code."""
    run = RunInfo(
        run_id=new_run_id(),
        command=request.command,
        inventory=request.inventory,
        operations=tuple(op.name for op in request.operations),
        panels=tuple(panel.name for panel in request.panels),
        started_at=time.time(),
    )
    paths = OutputPaths.choose(
        request.out_dir, run.run_id, request.json_path, request.jsonl_path
    )
    check_writable(paths.json)
    sink = JsonlSink(paths.jsonl, run)
    progress = PanelProgress.for_terminal(
        [panel.name for panel in request.panels],
        len(request.operations),
        request.show_progress,
    )
    scheduler = Scheduler(
        request.panels, request.operations, request.options, progress.wrap(sink.write)
    )
    scheduler.carry_over(request.earlier_results)
    log.info(
        "run %s: %d panels, operations %s",
        run.run_id,
        len(request.panels),
        ", ".join(run.operations),
    )
    outcome = RunOutcome(results=[], stopped=ErrorKind.CANCELLED)
    try:
        with progress, stop_on_signals(scheduler):
            outcome = await scheduler.run()
    finally:
        sink.close()
        if not outcome.results:
            scheduler.fill_unfinished(ErrorKind.CANCELLED)
            outcome.results = scheduler.ordered_results()
        stopped = outcome.stopped.value if outcome.stopped else None
        report = build_report(run, outcome.results, time.time(), stopped)
        write_json_atomic(paths.json, report)
        log.info("run %s: report written to %s", run.run_id, paths.json)
        prune_cookies(request)
    show(console, request, outcome.results, report)
    where = f"report: {paths.json}\nresults stream: {paths.jsonl}"
    if request.print_json:
        print(where, file=sys.stderr)  # stdout carries only the JSON document
    else:
        console.print(where, style="dim")

    return exit_code(outcome)


def check_writable(path: Path) -> None:
    """Fail before any panel is contacted if the report cannot be written there."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if not os.access(path.parent, os.W_OK):
        raise PermissionError(13, "directory is not writable", str(path.parent))


def prune_cookies(request: RunRequest) -> None:
    store = request.options.cookie_store
    if store is None or not request.inventory_panels:
        return
    removed = store.prune(request.inventory_panels)
    if removed:
        log.info(
            "removed %d cookie files of panels no longer in the inventory", removed
        )


def show(
    console: Console, request: RunRequest, results: list[Result], report: object
) -> None:
    if request.print_json:
        sys.stdout.write(json.dumps(report, ensure_ascii=False, indent=1) + "\n")
        return
    names = [op.name for op in request.operations]
    render(console, results, names, request.show_all)


def exit_code(outcome: RunOutcome) -> int:
    if outcome.stopped == ErrorKind.CANCELLED:
        return EXIT_INTERRUPTED
    if all(result.ok for result in outcome.results):
        return ExitCode.OK
    return ExitCode.FAILED


class stop_on_signals:  # noqa: N801 - used like a function, as a context manager
    """Turn the first SIGINT or SIGTERM into a clean stop of the scheduler.

    A second signal gets the default behaviour back, so a stuck run can still
    be killed with another Ctrl-C.
    """

    SIGNALS = (signal.SIGINT, signal.SIGTERM)

    def __init__(self, scheduler: Scheduler) -> None:
        self.scheduler = scheduler
        self.loop = asyncio.get_running_loop()

    def __enter__(self) -> None:
        for number in self.SIGNALS:
            self.loop.add_signal_handler(number, self.on_signal, number)

    def __exit__(self, *exc_info: object) -> None:
        for number in self.SIGNALS:
            self.loop.remove_signal_handler(number)

    def on_signal(self, number: int) -> None:
        name = signal.Signals(number).name
        log.warning("%s received: stopping, the report is still written", name)
        self.scheduler.stop()
        for other in self.SIGNALS:
            self.loop.remove_signal_handler(other)
