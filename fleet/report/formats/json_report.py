"""The audit's JSON report, schema ``fleet.audit/1``."""

from __future__ import annotations

import json
from pathlib import Path

from fleet.atomic import write_text_atomic
from fleet.audit.report import AuditReport


def render_json(report: AuditReport) -> str:
    return json.dumps(report.to_document(), ensure_ascii=False, indent=1) + "\n"


def write_json(report: AuditReport, path: Path) -> None:
    write_text_atomic(path, render_json(report))
