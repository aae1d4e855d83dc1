"""Findings as CSV, one row per finding, for spreadsheets and scripts.

A cell that a spreadsheet would run as a formula (starting with ``=``, ``+``,
``-``, ``@``, a tab or a carriage return) gets a leading ``'``, because site
names and messages come from the panels and must not execute anything.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from fleet.atomic import write_text_atomic
from fleet.audit.report import AuditReport

COLUMNS = (
    "run_id",
    "severity",
    "check",
    "panel",
    "object_kind",
    "object",
    "value",
    "limit",
    "message",
)
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def render_csv(report: AuditReport) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for finding in report.findings:
        record = finding.to_record()
        row = [report.run.run_id] + [record[column] for column in COLUMNS[1:]]
        writer.writerow([safe_cell(value) for value in row])

    return buffer.getvalue()


def safe_cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float | int):
        return f"{value:g}"
    text = str(value)
    return "'" + text if text.startswith(_FORMULA_STARTS) else text


def write_csv(report: AuditReport, path: Path) -> None:
    write_text_atomic(path, render_csv(report))
