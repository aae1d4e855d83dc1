"""Turn the results of a run into an ``AuditReport``."""

from __future__ import annotations

import dataclasses
import hashlib
import json
from collections.abc import Sequence

from fleet.audit.checks import evaluate
from fleet.audit.config import AuditConfig
from fleet.audit.diff import diff_runs
from fleet.audit.facts import collect_facts
from fleet.audit.report import AuditReport, AuditRun
from fleet.inventory.model import Panel
from fleet.report.model import Result


def inventory_digest(panels: Sequence[Panel]) -> str:
    """Return the SHA-256 of the panels' names, URLs, groups and tags, never keys."""
    described = [
        {
            "name": panel.name,
            "url": panel.url,
            "groups": list(panel.groups),
            "tags": dict(sorted(panel.tags.items())),
        }
        for panel in panels
    ]
    text = json.dumps(described, sort_keys=True, separators=(",", ":"))

    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def assemble_report(
    run: AuditRun,
    panels: Sequence[Panel],
    results: Sequence[Result],
    config: AuditConfig,
    previous: AuditReport | None = None,
) -> AuditReport:
    """Collect facts, run the checks as of the run's end, diff with ``previous``."""
    facts = collect_facts(panels, results)
    findings = evaluate(facts, config, now=run.finished_at)
    report = AuditReport(run=run, panels=tuple(facts), findings=tuple(findings))
    if previous is None:
        return report

    return dataclasses.replace(report, diff=diff_runs(previous, report))
