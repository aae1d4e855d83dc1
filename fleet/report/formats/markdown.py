"""A Markdown summary for a ticket or an e-mail: counts, problems, changes."""

from __future__ import annotations

import time
from pathlib import Path

from fleet.atomic import write_text_atomic
from fleet.audit.report import AuditReport
from fleet.report.formats.diff_text import diff_sections

# Longer lists are cut, so a ticket stays readable; the other formats have all.
MAX_ROWS = 200


def render_markdown(report: AuditReport) -> str:
    run = report.run
    summary = report.summary()
    started = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime(run.started_at))
    lines = [
        f"# Fleet audit {run.run_id}: {summary['severity']}",
        "",
        f"Inventory `{cell(run.inventory)}`, started {started}, "
        f"{summary['panels']} panels, {summary['panels_reached']} reached.",
        "",
        "| panels | ok | warning | critical | unknown |",
        "|---:|---:|---:|---:|---:|",
        "| {} | {} | {} | {} | {} |".format(
            summary["panels"], *summary["panels_by_status"].values()
        ),
        "",
    ]
    unreached = summary["unreached_by_kind"]
    if unreached:
        kinds = ", ".join(f"{count} {kind}" for kind, count in unreached.items())
        lines += [f"Panels not reached: {kinds}.", ""]
    lines += problem_table(report)
    lines += diff_part(report)

    return "\n".join(lines) + "\n"


def problem_table(report: AuditReport) -> list[str]:
    problems = report.problems()
    if not problems:
        return ["No problems found.", ""]
    lines = [
        f"## Problems ({len(problems)})",
        "",
        "| severity | panel | check | object | what to do |",
        "|---|---|---|---|---|",
    ]
    for finding in problems[:MAX_ROWS]:
        lines.append(
            f"| {finding.severity.value} | {cell(finding.panel)} | {finding.check} "
            f"| {cell(finding.object_name)} | {cell(finding.message)} |"
        )
    if len(problems) > MAX_ROWS:
        lines.append(f"\n{len(problems) - MAX_ROWS} more in the CSV and JSON reports.")

    return [*lines, ""]


def diff_part(report: AuditReport) -> list[str]:
    diff = report.diff
    if diff is None:
        return ["No earlier run of this inventory to compare with.", ""]
    if diff.is_empty:
        return [f"Nothing changed since run {diff.before_run}.", ""]
    lines = [f"## Changes since run {diff.before_run}", ""]
    for title, items in diff_sections(diff):
        lines += [f"### {title}", ""]
        lines += [f"- {cell(item)}" for item in items[:MAX_ROWS]]
        lines.append("")

    return lines


def cell(text: str) -> str:
    """Escape text for a Markdown table cell or list item."""
    escaped = text.replace("\\", "\\\\").replace("|", "\\|").replace("`", "\\`")
    return " ".join(escaped.split())


def write_markdown(report: AuditReport, path: Path) -> None:
    write_text_atomic(path, render_markdown(report))
