"""``fleet audit``, ``fleet history`` and ``fleet diff``: syntax and drivers."""

from __future__ import annotations

import argparse
import datetime
import json
import logging
import sys
from pathlib import Path

from rich.console import Console
from rich.table import Table

from fleet.audit.config import AuditConfig
from fleet.audit.config_file import load_audit_config
from fleet.audit.diff import diff_runs
from fleet.audit.runner import AuditRequest, run_audit
from fleet.cli.parser import (
    EPILOG,
    Parser,
    add_selection_options,
    positive_float,
    positive_int,
)
from fleet.errors import ConfigError, UsageError
from fleet.inventory.loader import load_inventory
from fleet.inventory.selection import select_panels
from fleet.report.formats import ALL_FORMATS, parse_formats
from fleet.report.formats.terminal import print_changes
from fleet.scheduling.scheduler import DEFAULT_CONCURRENCY, RunOptions
from fleet.store.history import DEFAULT_KEEP_RUNS, HistoryStore, RunEntry
from fleet.transport.cookie_store import CookieStore, default_state_dir

log = logging.getLogger("fleet")

AUDIT_EPILOG = """\
exit codes: 0 every check ok; 1 warnings; 2 critical findings; 3 unknown (some
panels or checks could not be audited, and nothing is critical); 64 usage
error; 78 inventory or audit configuration error; 130 stopped by Ctrl-C or
SIGTERM (the reports are still written)."""

STATE_DIR_HELP = (
    "directory of the history database and session cookies "
    "(default $XDG_STATE_HOME/fleet or ~/.local/state/fleet)"
)


def add_commands(commands: argparse._SubParsersAction[Parser]) -> None:
    """Add the audit, history and diff subcommands."""
    add_audit(commands)
    add_history(commands)
    add_diff(commands)


def add_audit(commands: argparse._SubParsersAction[Parser]) -> None:
    audit = commands.add_parser(
        "audit",
        help="check every selected panel and write audit reports",
        description="Collect facts from every selected panel, check them against "
        "the thresholds of the audit configuration and write the reports.",
        epilog=AUDIT_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    audit.add_argument("inventory", help="inventory YAML file")
    audit.add_argument(
        "--config",
        metavar="AUDIT.yaml",
        help="audit configuration with thresholds (default: built-in thresholds)",
    )
    add_selection_options(audit)
    add_audit_run_options(audit)
    add_audit_output_options(audit)


def add_audit_run_options(audit: Parser) -> None:
    tuning = audit.add_argument_group("run")
    tuning.add_argument(
        "--concurrency",
        type=positive_int,
        default=DEFAULT_CONCURRENCY,
        metavar="N",
        help=f"requests in flight over all panels (default {DEFAULT_CONCURRENCY})",
    )
    tuning.add_argument(
        "--deadline",
        type=positive_float,
        metavar="SECONDS",
        help="end the run after this long; unfinished panels are reported as unknown",
    )
    tuning.add_argument("--state-dir", metavar="DIR", help=STATE_DIR_HELP)
    tuning.add_argument(
        "--no-state",
        action="store_true",
        help="keep no cookies between runs (the history is still recorded)",
    )
    tuning.add_argument(
        "--no-history",
        action="store_true",
        help="record nothing in the history and compare with no earlier run",
    )
    tuning.add_argument(
        "--keep-runs",
        type=positive_int,
        default=DEFAULT_KEEP_RUNS,
        metavar="N",
        help=f"runs kept in the history; older ones are deleted "
        f"(default {DEFAULT_KEEP_RUNS})",
    )


def add_audit_output_options(audit: Parser) -> None:
    output = audit.add_argument_group("output")
    output.add_argument(
        "--out",
        default="fleet-reports",
        metavar="DIR",
        help="directory for the report files (default ./fleet-reports)",
    )
    output.add_argument(
        "--formats",
        default="all",
        metavar="LIST",
        help=f"comma list of {', '.join(ALL_FORMATS)}, or all (default all); "
        "table prints to stdout, the others write files",
    )
    output.add_argument(
        "--prometheus-file",
        metavar="PATH",
        help="write the Prometheus metrics here instead of OUT/fleet-audit.prom, "
        "for example into node_exporter's textfile directory",
    )
    output.add_argument(
        "--all", action="store_true", help="list every problem, not only the worst 60"
    )
    output.add_argument("-q", "--quiet", action="store_true", help="log errors only")
    output.add_argument(
        "-v", "--verbose", action="count", default=0, help="more log detail (-vv)"
    )


def add_history(commands: argparse._SubParsersAction[Parser]) -> None:
    history = commands.add_parser(
        "history",
        help="list the recorded audit runs",
        description="List audit runs recorded in the history, newest first.",
        epilog=EPILOG,
    )
    history.add_argument("--state-dir", metavar="DIR", help=STATE_DIR_HELP)
    history.add_argument(
        "--limit", type=positive_int, default=20, metavar="N", help="runs (default 20)"
    )
    add_print_format(history)


def add_diff(commands: argparse._SubParsersAction[Parser]) -> None:
    diff = commands.add_parser(
        "diff",
        help="show what changed between two recorded audit runs",
        description="Compare two audit runs: panels and sites added or removed, "
        "version changes, panels that newly fail, findings appeared and resolved. "
        "Without run ids: the last two complete runs; with one: that run and the "
        "latest complete run. A unique prefix of a run id is enough.",
        epilog=EPILOG,
    )
    diff.add_argument("before", nargs="?", metavar="RUN_A", help="the earlier run")
    diff.add_argument("after", nargs="?", metavar="RUN_B", help="the later run")
    diff.add_argument("--state-dir", metavar="DIR", help=STATE_DIR_HELP)
    add_print_format(diff)


def add_print_format(command: Parser) -> None:
    command.add_argument(
        "--format",
        choices=("table", "json"),
        default="table",
        help="what to print on stdout (default table)",
    )
    command.add_argument("-q", "--quiet", action="store_true", help="log errors only")
    command.add_argument("-v", "--verbose", action="count", default=0)


def dispatch(args: argparse.Namespace, console: Console) -> int:
    """Run the audit, history or diff command named in ``args``."""
    if args.command == "history":
        return show_history(args, console)
    if args.command == "diff":
        return show_diff(args, console)
    from fleet.cli.main import run_async

    return run_async(run_audit_code(build_request(args), console))


async def run_audit_code(request: AuditRequest, console: Console) -> int:
    outcome = await run_audit(request, console)
    return outcome.exit_code


def build_request(args: argparse.Namespace) -> AuditRequest:
    """Load and check the inventory and the audit configuration, contacting nothing."""
    formats = parse_formats(args.formats)
    inventory = load_inventory(args.inventory)
    for warning in inventory.warnings:
        log.warning("%s", warning)
    config = load_audit_config(args.config, inventory) if args.config else AuditConfig()
    try:
        panels = select_panels(inventory, args.limit, args.group, args.tag)
    except ConfigError as error:
        raise UsageError(str(error)) from error
    state_dir = state_directory(args)

    return AuditRequest(
        command="audit",
        inventory=str(args.inventory),
        panels=panels,
        config=config,
        options=RunOptions(
            concurrency=args.concurrency,
            deadline_s=args.deadline,
            cookie_store=None if args.no_state else CookieStore(state_dir),
        ),
        out_dir=Path(args.out),
        formats=formats,
        prometheus_path=Path(args.prometheus_file) if args.prometheus_file else None,
        history=None if args.no_history else HistoryStore.in_state_dir(state_dir),
        keep_runs=args.keep_runs,
        show_all=args.all,
        show_progress=not args.quiet,
    )


def state_directory(args: argparse.Namespace) -> Path:
    return Path(args.state_dir) if args.state_dir else default_state_dir()


def open_history(args: argparse.Namespace) -> HistoryStore:
    path = state_directory(args) / "history.sqlite3"
    if not path.exists():
        raise UsageError(
            f"no audit history at {path}; run 'fleet audit' first or pass the "
            "--state-dir that the audits used"
        )
    return HistoryStore(path)


def show_history(args: argparse.Namespace, console: Console) -> int:
    entries = open_history(args).runs(limit=args.limit)
    if args.format == "json":
        records = [entry_record(entry) for entry in entries]
        sys.stdout.write(json.dumps(records, ensure_ascii=False, indent=1) + "\n")
        return 0
    if not entries:
        console.print("no runs recorded yet")
        return 0
    console.print(history_table(entries))

    return 0


def entry_record(entry: RunEntry) -> dict[str, object]:
    record: dict[str, object] = {
        field: getattr(entry, field) for field in entry.__dataclass_fields__
    }
    return record


def history_table(entries: list[RunEntry]) -> Table:
    table = Table(title="Audit runs, newest first", title_justify="left")
    for column in ("run", "started (UTC)", "status", "result", "panels", "reached"):
        table.add_column(column, no_wrap=True)
    table.add_column("warning / critical / unknown", justify="right")
    table.add_column("inventory")
    for entry in entries:
        counts = "-"
        if entry.status == "complete":
            counts = f"{entry.warnings} / {entry.criticals} / {entry.unknowns}"
        status = entry.status if entry.status == "complete" else "incomplete"
        if entry.stopped:
            status += f" ({entry.stopped})"
        table.add_row(
            entry.run_id,
            utc_text(entry.started_at),
            status,
            entry.severity or "-",
            str(entry.panels or "-"),
            str(entry.panels_reached if entry.panels_reached is not None else "-"),
            counts,
            entry.inventory,
        )

    return table


def utc_text(epoch: float) -> str:
    moment = datetime.datetime.fromtimestamp(epoch, datetime.UTC)
    return moment.strftime("%Y-%m-%d %H:%M:%S")


def show_diff(args: argparse.Namespace, console: Console) -> int:
    history = open_history(args)
    before_id, after_id = pick_runs(history, args.before, args.after)
    diff = diff_runs(history.load(before_id), history.load(after_id))
    if args.format == "json":
        sys.stdout.write(json.dumps(diff.to_record(), ensure_ascii=False, indent=1))
        sys.stdout.write("\n")
        return 0
    console.print(f"from run {before_id} to run {after_id}")
    print_changes(console, diff)

    return 0


def pick_runs(
    history: HistoryStore, before: str | None, after: str | None
) -> tuple[str, str]:
    """Resolve the runs to compare; missing ones default to the latest complete."""
    if before is not None and after is not None:
        return history.resolve(before), history.resolve(after)
    latest = history.latest_complete(2)
    if before is not None:
        if not latest:
            raise UsageError("no complete run to compare with")
        return history.resolve(before), latest[0]
    if len(latest) < 2:
        raise UsageError(f"the history has {len(latest)} complete runs; diff needs two")

    return latest[1], latest[0]
