"""Drive one audit: run the operations, check, record the history, write reports.

Results stream into the JSONL file as they arrive. The checks, the history
record and every report file are produced in a ``finally`` block, so Ctrl-C,
SIGTERM or the deadline still leave a complete report of what was collected,
with the missing parts reported as unknown.
"""

from __future__ import annotations

import asyncio
import dataclasses
import logging
import os
import time
from collections.abc import Sequence
from pathlib import Path

from rich.console import Console

from fleet import __version__
from fleet.audit.build import assemble_report, inventory_digest
from fleet.audit.config import AuditConfig
from fleet.audit.operations import AUDIT_OPERATIONS
from fleet.audit.report import AuditReport, AuditRun
from fleet.cli.runner import EXIT_INTERRUPTED, new_run_id, stop_on_signals
from fleet.errors import ErrorKind
from fleet.inventory.model import Panel
from fleet.operations.catalogue import Operation
from fleet.report.formats import report_paths, write_reports
from fleet.report.formats.jsonl import JsonlStream
from fleet.report.formats.terminal import render_terminal
from fleet.report.model import Result
from fleet.report.progress import PanelProgress
from fleet.scheduling.scheduler import RunOptions, RunOutcome, Scheduler
from fleet.store.history import DEFAULT_KEEP_RUNS, HistoryStore

log = logging.getLogger(__name__)


@dataclasses.dataclass(frozen=True, slots=True)
class AuditRequest:
    """Everything an audit needs, checked before any panel is contacted."""

    command: str
    inventory: str
    panels: Sequence[Panel]
    config: AuditConfig
    options: RunOptions
    out_dir: Path
    formats: tuple[str, ...]
    prometheus_path: Path | None = None
    history: HistoryStore | None = None
    keep_runs: int = DEFAULT_KEEP_RUNS
    show_all: bool = False
    show_progress: bool = False
    operations: Sequence[Operation] = AUDIT_OPERATIONS


@dataclasses.dataclass(frozen=True, slots=True)
class AuditOutcome:
    """The finished audit: its report, raw results, files and exit code."""

    report: AuditReport
    results: list[Result]
    paths: dict[str, Path]
    exit_code: int


async def run_audit(request: AuditRequest, console: Console) -> AuditOutcome:
    """Run the audit, write every selected output and return the outcome."""
    run = start_run(request)
    paths = report_paths(
        request.out_dir, run.run_id, request.formats, request.prometheus_path
    )
    stream = JsonlStream(paths["jsonl"], run) if "jsonl" in paths else None
    if request.history is not None:
        await asyncio.to_thread(request.history.begin_run, run)
    progress = PanelProgress.for_terminal(
        [panel.name for panel in request.panels],
        len(request.operations),
        request.show_progress,
    )
    scheduler = Scheduler(
        request.panels,
        request.operations,
        request.options,
        progress.wrap(stream.write_result if stream else ignore_result),
    )
    outcome = RunOutcome(results=[], stopped=ErrorKind.CANCELLED)
    try:
        with progress, stop_on_signals(scheduler):
            outcome = await scheduler.run()
    finally:
        if not outcome.results:
            scheduler.fill_unfinished(ErrorKind.CANCELLED)
            outcome.results = scheduler.ordered_results()
        report = await finish(request, run, outcome, stream, paths)
    if "table" in request.formats:
        render_terminal(console, report, request.show_all)
    for name, path in paths.items():
        console.print(f"{name}: {path}", style="dim", highlight=False)
    exit_code = report.exit_code
    if outcome.stopped == ErrorKind.CANCELLED:
        exit_code = EXIT_INTERRUPTED

    return AuditOutcome(report, outcome.results, paths, exit_code)


def start_run(request: AuditRequest) -> AuditRun:
    started = time.time()
    return AuditRun(
        run_id=new_run_id(),
        command=request.command,
        inventory=os.path.abspath(request.inventory),
        inventory_digest=inventory_digest(request.panels),
        config=os.path.abspath(request.config.path) if request.config.path else None,
        started_at=started,
        finished_at=started,
        fleet_version=__version__,
    )


async def finish(
    request: AuditRequest,
    run: AuditRun,
    outcome: RunOutcome,
    stream: JsonlStream | None,
    paths: dict[str, Path],
) -> AuditReport:
    """Check the results, compare with the previous run, record and write them."""
    stopped = outcome.stopped.value if outcome.stopped else None
    run = dataclasses.replace(run, finished_at=time.time(), stopped=stopped)
    history = request.history
    previous = await asyncio.to_thread(load_previous, history, run) if history else None
    report = assemble_report(
        run, request.panels, outcome.results, request.config, previous
    )
    write_reports(report, paths)
    if stream is not None:
        stream.finish(report)
    if history is not None:
        await asyncio.to_thread(
            history.finish_run, report, outcome.results, request.keep_runs
        )

    return report


def load_previous(history: HistoryStore, run: AuditRun) -> AuditReport | None:
    """Return the latest complete earlier run of the same inventory file, if any."""
    earlier = history.latest_complete(1, inventory=run.inventory, before=run.run_id)
    return history.load(earlier[0]) if earlier else None


def ignore_result(result: Result) -> None:
    return None
