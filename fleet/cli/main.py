"""Entry point of the ``fleet`` command: parse, dispatch, map errors to exit codes.

User mistakes end with one clear line on stderr and a sysexits code, never a
traceback.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import sys
from collections.abc import Awaitable, Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

from rich.console import Console

from fleet.cli.parser import build_parser
from fleet.cli.runner import RunRequest, execute
from fleet.errors import ConfigError, ExitCode, UsageError
from fleet.inventory.loader import load_inventory
from fleet.inventory.model import Panel
from fleet.inventory.selection import select_panels
from fleet.operations.catalogue import CATALOGUE, raw_call, resolve_operations
from fleet.report.files import EarlierRun, read_earlier_run
from fleet.scheduling.collector import collector_tuned
from fleet.scheduling.scheduler import RunOptions
from fleet.transport.cookie_store import CookieStore, default_state_dir

log = logging.getLogger("fleet")

PIPE_WIDTH = 160


def main(argv: Sequence[str] | None = None) -> int:
    # Off a terminal (cron mail, CI logs) rich would wrap at 80 columns.
    width = None if sys.stdout.isatty() else PIPE_WIDTH
    console = Console(highlight=False, width=width)
    try:
        args = build_parser().parse_args(argv)
        with logging_configured(args):
            return dispatch(args, console)
    except UsageError as error:
        print(f"fleet: usage error: {error}", file=sys.stderr)
        return ExitCode.USAGE
    except ConfigError as error:
        print(f"fleet: configuration error: {error}", file=sys.stderr)
        return ExitCode.CONFIG
    except KeyboardInterrupt:
        print("fleet: interrupted", file=sys.stderr)
        return 130
    except OSError as error:
        # An output or state path that cannot be written: the user's to fix.
        where = f" {error.filename}" if error.filename else ""
        print(
            f"fleet: cannot write{where}: {error.strerror or error}; choose a "
            "writable --out, --json, --jsonl or --state-dir",
            file=sys.stderr,
        )
        return ExitCode.CANT_CREATE


def dispatch(args: argparse.Namespace, console: Console) -> int:
    command = args.command
    if command == "operations":
        for operation in CATALOGUE.values():
            console.print(
                f"{operation.name:10} {operation.route} {operation.action}: "
                f"{operation.description}"
            )
        return ExitCode.OK
    if command == "simulate":
        import fleet.simulator.command as simulate

        return simulate.run(args)
    if command == "demo":
        from fleet.cli.demo import run_demo

        return run_async(run_demo(args, console))
    if command in ("audit", "history", "diff"):
        import fleet.cli.audit as audit

        return audit.dispatch(args, console)

    return run_async(execute(build_request(args), console))


def build_request(args: argparse.Namespace) -> RunRequest:
    """Load and check everything before any panel is contacted."""
    earlier: EarlierRun | None = None
    if args.command == "call":
        operations = [
            raw_call(args.route, args.action, parse_params(args.params), args.write)
        ]
    else:
        earlier = read_earlier(args)
        names = args.operations or (list(earlier.operations) if earlier else [])
        operations = resolve_operations(names)
    inventory = load_inventory(args.inventory)
    for warning in inventory.warnings:
        log.warning("%s", warning)
    try:
        panels = select_panels(inventory, args.limit, args.group, args.tag)
    except ConfigError as error:
        raise UsageError(str(error)) from error
    if earlier is not None:
        panels = earlier_selection(panels, earlier)

    return RunRequest(
        command=args.command,
        inventory=str(args.inventory),
        panels=panels,
        operations=operations,
        options=RunOptions(
            concurrency=args.concurrency,
            deadline_s=args.deadline,
            cookie_store=cookie_store(args),
        ),
        inventory_panels=tuple(panel.name for panel in inventory.panels),
        earlier_results=tuple(earlier.results) if earlier else (),
        out_dir=args.out,
        json_path=args.json,
        jsonl_path=args.jsonl,
        show_all=args.all,
        print_json=args.format == "json",
        show_progress=not args.quiet,
    )


def read_earlier(args: argparse.Namespace) -> EarlierRun | None:
    if not getattr(args, "only_failed", None):
        return None
    earlier = read_earlier_run(Path(args.only_failed))
    if earlier.command not in ("run", "demo"):
        raise UsageError(
            f"{args.only_failed} is a report of 'fleet {earlier.command}'; "
            "--only-failed re-runs reports of 'fleet run' only"
        )
    return earlier


def earlier_selection(panels: list[Panel], earlier: EarlierRun) -> list[Panel]:
    """Keep only the panels the earlier run selected, so none is added."""
    if not earlier.panels:
        return panels  # a report from before runs recorded their panels
    wanted = set(earlier.panels)
    kept = [panel for panel in panels if panel.name in wanted]
    if not kept:
        raise UsageError(
            "none of the selected panels was part of the earlier run; "
            "drop --limit, --group and --tag or use the same ones"
        )
    return kept


def cookie_store(args: argparse.Namespace) -> CookieStore | None:
    if args.no_state:
        return None
    state_dir = Path(args.state_dir) if args.state_dir else default_state_dir()

    return CookieStore(state_dir)


def parse_params(items: Sequence[str]) -> dict[str, str]:
    params: dict[str, str] = {}
    for item in items:
        name, sep, value = item.partition("=")
        if not sep or not name:
            raise UsageError(f"parameter {item!r} is not KEY=VALUE")
        if name in ("request_time", "request_token"):
            raise UsageError(f"parameter {name!r} is set by fleet when it signs")
        params[name] = value
    return params


def run_async(coroutine: Awaitable[int]) -> int:
    """Run a coroutine on uvloop when it is installed, else on asyncio's loop.

    The garbage collector runs less often meanwhile (see ``collector_tuned``).
    """
    loop_factory: Callable[[], asyncio.AbstractEventLoop] | None = None
    try:
        import uvloop

        loop_factory = uvloop.new_event_loop
    except ImportError:
        pass
    with collector_tuned(), asyncio.Runner(loop_factory=loop_factory) as runner:
        return runner.run(as_coroutine(coroutine))


async def as_coroutine(awaitable: Awaitable[int]) -> int:
    return await awaitable


@contextlib.contextmanager
def logging_configured(args: Any) -> Iterator[None]:
    """Send fleet's log records to stderr at the level the flags ask for.

    The previous handlers and level come back afterwards, so calling ``main``
    from Python (tests, other tools) leaves their logging as it was.
    """
    quiet = getattr(args, "quiet", False)
    verbose = getattr(args, "verbose", 0)
    level = (
        logging.ERROR
        if quiet
        else {0: logging.WARNING, 1: logging.INFO}.get(verbose, logging.DEBUG)
    )
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))
    package_logger = logging.getLogger("fleet")
    saved = (package_logger.handlers[:], package_logger.level)
    package_logger.handlers[:] = [handler]
    package_logger.setLevel(level)
    try:
        yield
    finally:
        package_logger.handlers[:], level = saved
        package_logger.setLevel(level)
