"""The audit on the terminal: problems worst first, a summary and the changes."""

from __future__ import annotations

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from fleet.audit.diff import RunDiff
from fleet.audit.model import Finding
from fleet.audit.report import AuditReport
from fleet.report.formats.diff_text import diff_sections

# Above this many problems the table shows the worst ones only, unless --all.
MAX_ROWS = 60
MAX_CHANGE_LINES = 20
STYLES = {"ok": "green", "warning": "yellow", "critical": "red", "unknown": "dim"}


def render_terminal(console: Console, report: AuditReport, show_all: bool) -> None:
    problems = report.problems()
    shown = problems if show_all else problems[:MAX_ROWS]
    if shown:
        console.print(problem_table(shown))
    if len(problems) > len(shown):
        console.print(
            f"{len(problems) - len(shown)} more problems are not shown (--all)"
        )
    if not problems:
        console.print("[green]no problems found[/]")
    console.print(summary_table(report))
    print_changes(console, report.diff)


def problem_table(problems: list[Finding]) -> Table:
    table = Table(title="Problems", title_justify="left")
    for column in ("severity", "panel", "check", "object"):
        table.add_column(column, no_wrap=True)
    table.add_column("what to do")
    for finding in problems:
        severity = finding.severity.value
        table.add_row(
            f"[{STYLES[severity]}]{severity}[/]",
            escape(finding.panel),
            finding.check,
            escape(finding.object_name),
            escape(finding.message),
        )

    return table


def summary_table(report: AuditReport) -> Table:
    summary = report.summary()
    table = Table(title="Audit summary", title_justify="left", show_header=False)
    table.add_column("what")
    table.add_column("value", justify="right")
    severity = summary["severity"]
    table.add_row("result", f"[{STYLES[severity]}]{severity}[/]")
    table.add_row("panels", str(summary["panels"]))
    table.add_row("panels reached", str(summary["panels_reached"]))
    for status, count in summary["panels_by_status"].items():
        table.add_row(f"  panels {status}", f"[{STYLES[status]}]{count}[/]")
    for kind, count in summary["unreached_by_kind"].items():
        table.add_row(f"  not reached: {kind}", str(count))
    for check, counts in summary["findings_by_check"].items():
        bad = {s: n for s, n in counts.items() if s != "ok" and n}
        if bad:
            text = ", ".join(f"[{STYLES[s]}]{n} {s}[/]" for s, n in bad.items())
            table.add_row(f"  {check}", text)

    return table


def print_changes(console: Console, diff: RunDiff | None) -> None:
    if diff is None:
        console.print("no earlier run of this inventory to compare with", style="dim")
        return
    if diff.is_empty:
        console.print(f"nothing changed since run {diff.before_run}", style="dim")
        return
    console.print(f"[bold]Changes since run {diff.before_run}[/]")
    for title, lines in diff_sections(diff):
        console.print(f"  {title}:")
        for line in lines[:MAX_CHANGE_LINES]:
            console.print(f"    {escape(line)}", soft_wrap=True)
        if len(lines) > MAX_CHANGE_LINES:
            console.print(f"    and {len(lines) - MAX_CHANGE_LINES} more")
