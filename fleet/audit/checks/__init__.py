"""Every audit check, and the evaluation of all of them over a fleet.

A check takes one panel's facts, its thresholds and the fleet context, and
returns findings. It skips a section that was not collected (None); the
reachability check reports those gaps instead.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from fleet.audit.checks.context import FleetContext, newest_versions
from fleet.audit.checks.reachability import check_reachability
from fleet.audit.checks.resources import (
    check_disk,
    check_inodes,
    check_load,
    check_memory,
)
from fleet.audit.checks.sites import (
    check_backups,
    check_certificates,
    check_stopped_sites,
)
from fleet.audit.checks.versions import check_panel_version, check_php_eol
from fleet.audit.config import AuditConfig, Thresholds
from fleet.audit.facts import PanelFacts
from fleet.audit.model import Finding

Check = Callable[[PanelFacts, Thresholds, FleetContext], list[Finding]]

# Check ids are the names of their sections in the audit configuration.
CHECKS: dict[str, Check] = {
    "reachability": check_reachability,
    "disk": check_disk,
    "inodes": check_inodes,
    "memory": check_memory,
    "load": check_load,
    "panel_version": check_panel_version,
    "certificates": check_certificates,
    "backups": check_backups,
    "stopped_sites": check_stopped_sites,
    "php_eol": check_php_eol,
}


def evaluate(
    facts: Sequence[PanelFacts], config: AuditConfig, now: float
) -> list[Finding]:
    """Run every check on every panel; findings come worst first."""
    context = FleetContext(now=now, newest=newest_versions(facts))
    findings = [
        finding
        for panel in facts
        for check in CHECKS.values()
        for finding in check(panel, config.for_panel(panel.name), context)
    ]

    return sorted(findings, key=Finding.sort_key)
