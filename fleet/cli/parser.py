"""Command-line syntax of every ``fleet`` subcommand."""

from __future__ import annotations

import argparse
import math
from typing import NoReturn

from fleet import __version__
from fleet.errors import UsageError
from fleet.operations.catalogue import CATALOGUE
from fleet.scheduling.scheduler import DEFAULT_CONCURRENCY

EPILOG = """\
exit codes: 0 every operation succeeded; 1 some panels or operations failed;
64 usage error; 78 inventory or configuration error; 130 stopped by Ctrl-C or
SIGTERM (the report is still written)."""


class Parser(argparse.ArgumentParser):
    """An argument parser whose errors exit with the usage code, 64."""

    def error(self, message: str) -> NoReturn:
        raise UsageError(f"{self.prog}: {message}")


def build_parser() -> Parser:
    parser = Parser(
        prog="fleet",
        description="Audit and manage fleets of BaoTa / aaPanel panels over their API.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"fleet {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    add_run(commands)
    add_call(commands)
    add_operations(commands)
    add_demo(commands)
    add_simulate(commands)
    add_audit(commands)

    return parser


def add_run(commands: argparse._SubParsersAction[Parser]) -> None:
    catalogue = ", ".join(f"{op.name} ({op.description})" for op in CATALOGUE.values())
    run = commands.add_parser(
        "run",
        help="run named read operations on every selected panel",
        description=f"Run operations on the selected panels. Operations: {catalogue}.",
        epilog=EPILOG,
    )
    run.add_argument("inventory", help="inventory YAML file")
    run.add_argument(
        "operations",
        nargs="*",
        metavar="OPERATION",
        help="operations to run; with --only-failed, defaults to the earlier run's",
    )
    run.add_argument(
        "--only-failed",
        metavar="REPORT",
        help="re-run only what failed or was not reached in an earlier RUN_ID.json "
        "or RUN_ID.jsonl; its successful results are carried into the new report",
    )
    add_run_options(run)


def add_call(commands: argparse._SubParsersAction[Parser]) -> None:
    call = commands.add_parser(
        "call",
        help="send one API action with parameters to every selected panel",
        description="Send ROUTE?action=ACTION with form parameters to each panel. "
        "Actions not known to be reads are rejected unless --write is given.",
        epilog=EPILOG,
    )
    call.add_argument("inventory", help="inventory YAML file")
    call.add_argument("route", help="API route, for example /system or /data")
    call.add_argument("action", help="action name, for example GetSystemTotal")
    call.add_argument("params", nargs="*", metavar="KEY=VALUE", help="form parameters")
    call.add_argument(
        "--write",
        action="store_true",
        help="allow an action that may change the panel (never retried once sent)",
    )
    add_run_options(call)


def add_selection_options(command: Parser) -> None:
    """Add --limit, --group and --tag, shared by every command that runs panels."""
    select = command.add_argument_group("panel selection")
    select.add_argument(
        "--limit",
        action="append",
        default=[],
        metavar="PATTERN",
        help="panel name glob; comma lists allowed; prefix ! to exclude (repeatable)",
    )
    select.add_argument(
        "--group",
        action="append",
        default=[],
        metavar="NAME",
        help="panels in this group (repeatable: any of them)",
    )
    select.add_argument(
        "--tag",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="panels with this tag; the value may be a glob (repeatable: all)",
    )


def add_run_options(command: Parser) -> None:
    add_selection_options(command)
    tuning = command.add_argument_group("run")
    tuning.add_argument(
        "--concurrency",
        type=positive_int,
        default=DEFAULT_CONCURRENCY,
        help=f"requests in flight over all panels (default {DEFAULT_CONCURRENCY})",
    )
    tuning.add_argument(
        "--deadline",
        type=positive_float,
        metavar="SECONDS",
        help="end the run after this long; unfinished work is reported as timed out",
    )
    tuning.add_argument(
        "--state-dir",
        metavar="DIR",
        help="where session cookies persist between runs "
        "(default $XDG_STATE_HOME/fleet or ~/.local/state/fleet)",
    )
    tuning.add_argument(
        "--no-state",
        action="store_true",
        help="keep no cookies between runs (each run opens new panel sessions)",
    )
    add_output_options(command)


def add_output_options(command: Parser) -> None:
    output = command.add_argument_group("output")
    output.add_argument(
        "--out",
        default="fleet-reports",
        metavar="DIR",
        help="directory for RUN_ID.json and RUN_ID.jsonl (default ./fleet-reports)",
    )
    output.add_argument("--json", metavar="PATH", help="JSON report path instead")
    output.add_argument("--jsonl", metavar="PATH", help="JSONL results path instead")
    output.add_argument(
        "--all", action="store_true", help="list every panel, not only failed ones"
    )
    output.add_argument(
        "--format",
        choices=("table", "json"),
        default="table",
        help="what to print on stdout (default table)",
    )
    output.add_argument("-q", "--quiet", action="store_true", help="log errors only")
    output.add_argument(
        "-v", "--verbose", action="count", default=0, help="more log detail (-vv)"
    )


def add_operations(commands: argparse._SubParsersAction[Parser]) -> None:
    commands.add_parser("operations", help="list the named operations")


def add_demo(commands: argparse._SubParsersAction[Parser]) -> None:
    demo = commands.add_parser(
        "demo",
        help="run the main job and an audit on a simulated fleet on loopback",
        description="Start a simulated fleet on 127.0.0.1 (some panels faulty, "
        "others with expiring certificates, full disks, old versions and missing "
        "backups), run every catalogue and audit operation on it, print the "
        "combined report and write every audit report format.",
    )
    demo.add_argument("--panels", type=positive_int, default=50)
    demo.add_argument(
        "--out",
        default="fleet-demo",
        metavar="DIR",
        help="directory for the inventory and reports (default ./fleet-demo)",
    )
    demo.add_argument("--all", action="store_true", help="list every panel")
    demo.add_argument(
        "--variant",
        type=int,
        choices=(1, 2),
        default=1,
        help="2 upgrades one simulated panel (sim-0007, 11.5.0 to 11.7.0), so a "
        "second demo into the same --out shows exactly that change in its diff",
    )
    demo.add_argument(
        "--state-dir",
        metavar="DIR",
        help="history database of the demo audits (default OUT/state)",
    )
    demo.add_argument("-q", "--quiet", action="store_true")
    demo.add_argument("-v", "--verbose", action="count", default=0)


def add_simulate(commands: argparse._SubParsersAction[Parser]) -> None:
    import fleet.simulator.command as command

    simulate = commands.add_parser(
        "simulate",
        help="serve a simulated fleet on loopback until stopped",
        description="Serve simulated panels on loopback and write their inventory.",
    )
    command.add_arguments(simulate)


def add_audit(commands: argparse._SubParsersAction[Parser]) -> None:
    import fleet.cli.audit as audit

    audit.add_commands(commands)


def positive_int(text: str) -> int:
    value = int(text)
    if value <= 0:
        raise argparse.ArgumentTypeError(f"must be > 0, got {value}")
    return value


def positive_float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value) or value <= 0:
        raise argparse.ArgumentTypeError(f"must be a number > 0, got {text!r}")
    return value
