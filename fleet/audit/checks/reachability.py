"""Whether each panel could be audited, and which operations failed."""

from __future__ import annotations

from fleet.audit.checks.context import FleetContext
from fleet.audit.config import Thresholds
from fleet.audit.facts import PanelFacts
from fleet.audit.model import PANEL, Finding, Severity

OPERATION = "operation"


def check_reachability(
    facts: PanelFacts, thresholds: Thresholds, context: FleetContext
) -> list[Finding]:
    """Report an unreachable panel once, and each failed operation of the others.

    Both are unknown: the checks that needed the missing data were skipped,
    so nothing is known about what they would have found.
    """
    if not facts.reached:
        first = facts.failures[0] if facts.failures else None
        kind = first.error_kind if first else "no result"
        detail = f": {first.message}" if first and first.message else ""
        message = f"not audited, {kind}{detail}"
        return [
            Finding(
                "reachability", Severity.UNKNOWN, facts.name, PANEL, "", message, kind
            )
        ]
    findings = [
        Finding(
            "reachability",
            Severity.UNKNOWN,
            facts.name,
            OPERATION,
            failure.operation,
            f"{failure.operation} not collected, {failure.error_kind}: "
            f"{failure.message}; its checks were skipped",
            failure.error_kind,
        )
        for failure in facts.failures
    ]
    if not findings:
        findings.append(
            Finding(
                "reachability",
                Severity.OK,
                facts.name,
                PANEL,
                "",
                "every operation succeeded",
            )
        )

    return findings
