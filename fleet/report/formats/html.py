"""A self-contained HTML report: overview, charts, changes and sortable tables.

Everything is inline (CSS, script, SVG charts), and the page's
Content-Security-Policy blocks every request, so the file can be mailed or
archived and opened offline. All text from panels is HTML-escaped.
"""

from __future__ import annotations

import time
from collections import Counter
from html import escape
from pathlib import Path

from fleet.atomic import write_text_atomic
from fleet.audit.model import Finding, Severity
from fleet.audit.report import AuditReport
from fleet.report.formats.charts import Bar, bar_chart
from fleet.report.formats.diff_text import diff_sections
from fleet.report.formats.html_assets import CONTENT_SECURITY_POLICY, SCRIPT, STYLE

SEVERITY_ORDER = (Severity.OK, Severity.WARNING, Severity.CRITICAL, Severity.UNKNOWN)
# (label, lowest percent) of the disk usage buckets, highest first.
DISK_BUCKETS = (
    ("95+", 95.0),
    ("90-94", 90.0),
    ("80-89", 80.0),
    ("70-79", 70.0),
    ("60-69", 60.0),
    ("50-59", 50.0),
    ("<50", float("-inf")),
)
# (label, highest day count) of the certificate buckets, soonest first.
CERTIFICATE_BUCKETS = (
    ("expired", -1),
    ("0-7", 7),
    ("8-14", 14),
    ("15-30", 30),
    ("31-60", 60),
    ("61-90", 90),
    (">90", 10**9),
)


def render_html(report: AuditReport) -> str:
    run = report.run
    severity = report.severity.value
    title = f"Fleet audit {run.run_id}: {severity}"
    body = "".join(
        (
            header(report),
            cards(report),
            charts(report),
            changes(report),
            findings_table(report),
            panels_table(report),
            f"<footer>fleet {escape(run.fleet_version)}, report schema "
            f"fleet.audit/1</footer>",
        )
    )

    return (
        "<!DOCTYPE html>\n"
        '<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        '<meta http-equiv="Content-Security-Policy" '
        f'content="{CONTENT_SECURITY_POLICY}">'
        f"<title>{escape(title)}</title><style>{STYLE}</style></head>"
        f'<body data-script="pending">{body}<script>{SCRIPT}</script></body></html>\n'
    )


def header(report: AuditReport) -> str:
    run = report.run
    started = time.strftime("%Y-%m-%d %H:%M:%S UTC", time.gmtime(run.started_at))
    duration = max(0.0, run.finished_at - run.started_at)
    stopped = f", stopped early ({escape(run.stopped)})" if run.stopped else ""
    severity = report.severity.value

    return (
        f'<header><h1>Fleet audit <span class="badge {severity}">{severity}</span>'
        f"</h1><p class=meta>Run {escape(run.run_id)} of inventory "
        f"{escape(run.inventory)}, started {started}, took {duration:.1f} s"
        f"{stopped}.</p></header>"
    )


def cards(report: AuditReport) -> str:
    summary = report.summary()
    by_status = summary["panels_by_status"]
    items = [
        ("panels", summary["panels"], ""),
        ("reached", summary["panels_reached"], ""),
        ("ok", by_status["ok"], "ok"),
        ("warning", by_status["warning"], "warning"),
        ("critical", by_status["critical"], "critical"),
        ("unknown", by_status["unknown"], "unknown"),
        ("sites", summary["sites"], ""),
        ("certificates", summary["certificates"], ""),
    ]
    parts = [
        f'<div class="card {css}"><b>{value}</b>{label}</div>'
        for label, value, css in items
    ]
    return f'<section class="cards" id="overview">{"".join(parts)}</section>'


def charts(report: AuditReport) -> str:
    figures = [
        ("chart-status", "Panels by status", status_bars(report)),
        ("chart-disk", "Mounts by disk usage (%)", disk_bars(report)),
        (
            "chart-certificates",
            "Certificates by days to expiry",
            certificate_bars(report),
        ),
    ]
    parts = [
        f"<figure><figcaption>{escape(title)}</figcaption>"
        f"{bar_chart(chart_id, title, bars)}</figure>"
        for chart_id, title, bars in figures
    ]
    return f'<section class="charts" id="charts">{"".join(parts)}</section>'


def status_bars(report: AuditReport) -> list[Bar]:
    counts = Counter(report.panel_severity().values())
    return [Bar(s.value, ((counts[s], s.value),)) for s in SEVERITY_ORDER]


def disk_bars(report: AuditReport) -> list[Bar]:
    severities = finding_severities(report, "disk")
    buckets = {label: Counter[Severity]() for label, _ in reversed(DISK_BUCKETS)}
    for panel in report.panels:
        for mount in panel.mounts or ():
            if mount.used_percent is None:
                continue
            label = disk_bucket(mount.used_percent)
            found = severities.get((panel.name, mount.path), Severity.OK)
            buckets[label][found] += 1

    return stacked(buckets)


def disk_bucket(percent: float) -> str:
    return next(label for label, low in DISK_BUCKETS if percent >= low)


def certificate_bars(report: AuditReport) -> list[Bar]:
    severities = finding_severities(report, "certificates")
    buckets = {label: Counter[Severity]() for label, _ in CERTIFICATE_BUCKETS}
    for panel in report.panels:
        for cert in panel.certificates or ():
            if cert.days_left is None:
                continue
            label = certificate_bucket(cert.days_left)
            found = severities.get((panel.name, cert.site), Severity.OK)
            buckets[label][found] += 1

    return stacked(buckets)


def certificate_bucket(days_left: int) -> str:
    return next(label for label, high in CERTIFICATE_BUCKETS if days_left <= high)


def stacked(buckets: dict[str, Counter[Severity]]) -> list[Bar]:
    return [
        Bar(label, tuple((counts[s], s.value) for s in SEVERITY_ORDER))
        for label, counts in buckets.items()
    ]


def finding_severities(
    report: AuditReport, check: str
) -> dict[tuple[str, str], Severity]:
    return {
        (f.panel, f.object_name): f.severity
        for f in report.findings
        if f.check == check
    }


def changes(report: AuditReport) -> str:
    diff = report.diff
    if diff is None:
        inner = "<p>No earlier run of this inventory to compare with.</p>"
    elif diff.is_empty:
        inner = f"<p>Nothing changed since run {escape(diff.before_run)}.</p>"
    else:
        inner = f"<p>Compared with run {escape(diff.before_run)}.</p>"
        for title, lines in diff_sections(diff):
            items = "".join(f"<li>{escape(line)}</li>" for line in lines)
            inner += f'<h3>{escape(title)}</h3><ul class="changes">{items}</ul>'

    return f'<section id="changes"><h2>Changes</h2>{inner}</section>'


def findings_table(report: AuditReport) -> str:
    rows = "".join(finding_row(finding) for finding in report.findings)
    return (
        '<section id="findings"><h2>Findings</h2><div class="controls">'
        '<input type="search" id="filter" placeholder="Filter findings" '
        'aria-label="Filter findings">'
        '<label><input type="checkbox" id="show-ok"> show ok</label>'
        '<span id="shown-count"></span></div>'
        '<table class="sortable" id="findings-table"><thead><tr>'
        '<th data-type="number">severity</th><th>panel</th><th>check</th>'
        '<th>object</th><th data-type="number">value</th><th>message</th>'
        f"</tr></thead><tbody>{rows}</tbody></table></section>"
    )


def finding_row(finding: Finding) -> str:
    severity = finding.severity.value
    value = "" if finding.value is None else format_value(finding.value)
    return (
        f'<tr data-severity="{severity}">'
        f'<td data-value="{finding.severity.rank}"><span class="sev {severity}">'
        f'{severity}</span></td><td class="name">{escape(finding.panel)}</td>'
        f'<td class="name">{escape(finding.check)}</td>'
        f'<td class="name">{escape(finding.object_name)}</td>'
        f'<td class="num">{escape(value)}</td><td>{escape(finding.message)}</td></tr>'
    )


def format_value(value: float | str) -> str:
    return f"{value:g}" if isinstance(value, float | int) else str(value)


def panels_table(report: AuditReport) -> str:
    severities = report.panel_severity()
    problems = Counter(f.panel for f in report.problems())
    rows = []
    for panel in report.panels:
        severity = severities.get(panel.name, Severity.OK)
        fullest = max((m.used_percent or 0.0 for m in panel.mounts or ()), default=None)
        software = f"{panel.flavour or ''} {panel.version or ''}".strip() or "-"
        error = panel.failures[0].error_kind if panel.failures else ""
        rows.append(
            f'<tr><td class="name">{escape(panel.name)}</td>'
            f'<td data-value="{severity.rank}">'
            f'<span class="sev {severity.value}">{severity.value}</span></td>'
            f"<td>{escape(software)}</td>"
            f'<td class="num">{"" if fullest is None else f"{fullest:.1f}"}</td>'
            f'<td class="num">{count(panel.sites)}</td>'
            f'<td class="num">{count(panel.certificates)}</td>'
            f'<td class="num">{problems[panel.name]}</td><td>{escape(error)}</td></tr>'
        )

    return (
        '<section id="panels"><h2>Panels</h2><table class="sortable" '
        'id="panels-table"><thead><tr><th>panel</th><th data-type="number">status</th>'
        '<th>panel version</th><th data-type="number">fullest mount %</th>'
        '<th data-type="number">sites</th><th data-type="number">certificates</th>'
        '<th data-type="number">problems</th><th>first error</th></tr></thead>'
        f"<tbody>{''.join(rows)}</tbody></table></section>"
    )


def count(items: tuple[object, ...] | None) -> str:
    return "" if items is None else str(len(items))


def write_html(report: AuditReport, path: Path) -> None:
    write_text_atomic(path, render_html(report))
