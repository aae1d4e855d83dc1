"""One audit run as every report format and the history store see it."""

from __future__ import annotations

import dataclasses
from collections import Counter
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from fleet.audit.facts import PanelFacts
from fleet.audit.model import Finding, Severity, worst

if TYPE_CHECKING:
    from fleet.audit.diff import RunDiff

SCHEMA = "fleet.audit/1"


@dataclasses.dataclass(frozen=True, slots=True)
class AuditRun:
    """The identity of a run: its id, times, inventory and configuration.

    ``inventory_digest`` is the SHA-256 of the selected panels' names, URLs,
    groups and tags, never of their keys, so two runs over the same fleet
    share it even if comments or key sources changed.
    """

    run_id: str
    command: str
    inventory: str
    inventory_digest: str
    config: str | None
    started_at: float
    finished_at: float
    stopped: str | None = None  # "timeout.deadline", "cancelled" or None
    fleet_version: str = ""

    def to_record(self) -> dict[str, Any]:
        return {
            "run_id": self.run_id,
            "command": self.command,
            "inventory": self.inventory,
            "inventory_digest": self.inventory_digest,
            "config": self.config,
            "started_at": round(self.started_at, 3),
            "finished_at": round(self.finished_at, 3),
            "stopped": self.stopped,
            "fleet_version": self.fleet_version,
        }


@dataclasses.dataclass(frozen=True, slots=True)
class AuditReport:
    """The facts and findings of one run, and what changed since the one before."""

    run: AuditRun
    panels: tuple[PanelFacts, ...]
    findings: tuple[Finding, ...]
    diff: RunDiff | None = None

    @property
    def severity(self) -> Severity:
        return worst(finding.severity for finding in self.findings)

    @property
    def exit_code(self) -> int:
        return self.severity.exit_code

    def problems(self) -> list[Finding]:
        """Return the findings that are not ok, worst first."""
        return [f for f in self.findings if f.severity is not Severity.OK]

    def panel_severity(self) -> dict[str, Severity]:
        """Return the worst severity of each panel, in inventory order."""
        by_panel: dict[str, list[Severity]] = {p.name: [] for p in self.panels}
        for finding in self.findings:
            by_panel.setdefault(finding.panel, []).append(finding.severity)

        return {name: worst(found) for name, found in by_panel.items()}

    def summary(self) -> dict[str, Any]:
        """Count panels by their worst severity and findings by check and severity."""
        panel_status = Counter(s.value for s in self.panel_severity().values())
        by_check: dict[str, Counter[str]] = {}
        for finding in self.findings:
            counts = by_check.setdefault(finding.check, Counter())
            counts[finding.severity.value] += 1

        return {
            "severity": self.severity.value,
            "exit_code": self.exit_code,
            "panels": len(self.panels),
            "panels_reached": sum(1 for p in self.panels if p.reached),
            "unreached_by_kind": self.unreached_by_kind(),
            "panels_by_status": {s.value: panel_status[s.value] for s in Severity},
            "findings_by_severity": count_severities(self.findings),
            "findings_by_check": {
                check: {s.value: counts[s.value] for s in Severity}
                for check, counts in sorted(by_check.items())
            },
            "sites": sum(len(p.sites or ()) for p in self.panels),
            "certificates": sum(len(p.certificates or ()) for p in self.panels),
        }

    def unreached_by_kind(self) -> dict[str, int]:
        """Count the panels that sent no response, by their first error kind."""
        kinds = Counter(
            panel.failures[0].error_kind if panel.failures else "unknown"
            for panel in self.panels
            if not panel.reached
        )
        return dict(sorted(kinds.items()))

    def to_document(self) -> dict[str, Any]:
        """Return the JSON report: run, summary, findings, panel facts and diff."""
        return {
            "schema": SCHEMA,
            "run": self.run.to_record(),
            "summary": self.summary(),
            "findings": [finding.to_record() for finding in self.findings],
            "panels": [panel.to_record() for panel in self.panels],
            "diff": self.diff.to_record() if self.diff else None,
        }


def count_severities(findings: Sequence[Finding]) -> dict[str, int]:
    counts = Counter(finding.severity.value for finding in findings)
    return {severity.value: counts[severity.value] for severity in Severity}
