"""The terminal rendering of a run: one row per panel, then the fleet summary."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from fleet.report.model import Result, summarize

# Above this many panels the table shows only panels with a failure.
FULL_TABLE_PANELS = 60


def render(
    console: Console,
    results: Sequence[Result],
    operations: Sequence[str],
    show_all: bool = False,
) -> None:
    """Print the per-panel table and the summary."""
    by_panel = group_by_panel(results)
    failed = [name for name, row in by_panel.items() if not all(r.ok for r in row)]
    shown = list(by_panel) if show_all or len(by_panel) <= FULL_TABLE_PANELS else failed
    if shown:
        console.print(panel_table(by_panel, shown, operations))
    hidden = len(by_panel) - len(shown)
    if hidden:
        console.print(f"{hidden} panels with every operation ok are not shown (--all)")
    print_failures(console, by_panel, failed)
    console.print(summary_table(summarize(results)))


def print_failures(
    console: Console, by_panel: dict[str, list[Result]], failed: list[str]
) -> None:
    """Print one line per failed panel: its first error kind and message."""
    if not failed:
        return
    console.print("[bold]Failures[/]")
    for name in failed:
        first = next(r for r in by_panel[name] if not r.ok)
        console.print(
            f"  {escape(name)}  [red]{first.error_kind}[/]  "
            f"{escape(first.error_message or '')}",
            markup=True,
            highlight=False,
            soft_wrap=True,
        )


def group_by_panel(results: Sequence[Result]) -> dict[str, list[Result]]:
    grouped: dict[str, list[Result]] = {}
    for result in results:
        grouped.setdefault(result.panel, []).append(result)
    return grouped


def panel_table(
    by_panel: dict[str, list[Result]], shown: list[str], operations: Sequence[str]
) -> Table:
    table = Table(title="Panels", title_justify="left")
    table.add_column("panel", no_wrap=True)
    table.add_column("panel version", no_wrap=True)
    for operation in operations:
        table.add_column(operation, no_wrap=True)
    table.add_column("slowest", justify="right", no_wrap=True)
    for name in shown:
        table.add_row(*panel_row(name, by_panel[name], operations))

    return table


def panel_row(name: str, row: list[Result], operations: Sequence[str]) -> list[str]:
    by_operation = {result.operation: result for result in row}
    version = next((r.panel_version for r in row if r.panel_version), None)
    flavour = next((r.panel_flavour for r in row if r.panel_flavour), "")
    # Panel text goes through escape(): a "[/x]" in it is not rich markup.
    cells = [escape(name), escape(f"{flavour} {version}") if version else "-"]
    for operation in operations:
        result = by_operation.get(operation)
        cells.append(cell(result))
    slowest = max((result.duration_s for result in row), default=0.0)
    cells.append(f"{slowest:.2f}s")

    return cells


def cell(result: Result | None) -> str:
    if result is None:
        return "-"
    if result.ok:
        return f"[green]ok[/] {brief(result)}".rstrip()
    return f"[red]{escape(result.error_kind or '')}[/]"


def brief(result: Result) -> str:
    """Return a few words on what an operation found, for its table cell."""
    data: Any = result.data
    if result.operation == "system" and isinstance(data, dict):
        return escape(f"{data.get('cpu_count')} CPU")
    if result.operation == "sites" and isinstance(data, dict):
        return f"{data.get('count', 0)} sites"
    if result.operation == "disks" and isinstance(data, list):
        fullest = max((m.get("used_percent") or 0 for m in data), default=0)
        return f"max {fullest:.0f}%"
    if result.operation == "network" and isinstance(data, dict):
        return escape(f"load {data.get('load_1m')}")
    return ""


def summary_table(summary: dict[str, Any]) -> Table:
    table = Table(title="Fleet summary", title_justify="left", show_header=False)
    table.add_column("what")
    table.add_column("value", justify="right")
    table.add_row("panels", str(summary["panels"]))
    table.add_row("panels ok", f"[green]{summary['panels_ok']}[/]")
    table.add_row("panels failed", f"[red]{summary['panels_failed']}[/]")
    table.add_row("operations ok", f"{summary['results_ok']} / {summary['results']}")
    for kind, count in summary["failures_by_kind"].items():
        table.add_row(f"  failed: {kind}", str(count))
    totals = summary["totals"]
    table.add_row("sites", str(totals["sites"]))
    table.add_row("disk used", human_bytes(totals["disk_used_bytes"]))
    table.add_row("disk free", human_bytes(totals["disk_free_bytes"]))

    return table


def human_bytes(count: int) -> str:
    size = float(count)
    for unit in ("B", "KiB", "MiB", "GiB", "TiB"):
        if size < 1024 or unit == "TiB":
            return f"{size:.1f} {unit}"
        size /= 1024
    return f"{size:.1f} PiB"
