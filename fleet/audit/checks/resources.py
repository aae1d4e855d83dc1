"""Checks of the machine: disk and inode use per mount, memory, load per CPU."""

from __future__ import annotations

from fleet.audit.checks.context import FleetContext
from fleet.audit.checks.levels import at_or_above, level_text
from fleet.audit.config import Thresholds
from fleet.audit.facts import PanelFacts
from fleet.audit.model import MOUNT, PANEL, Finding, Severity


def check_disk(
    facts: PanelFacts, thresholds: Thresholds, context: FleetContext
) -> list[Finding]:
    limits = thresholds.disk
    findings = []
    for mount in facts.mounts or ():
        if not limits.enabled or mount.used_percent is None:
            continue
        severity = at_or_above(mount.used_percent, limits.warning, limits.critical)
        message = f"{mount.path} is {mount.used_percent:.1f}% full"
        if severity is not Severity.OK:
            level = level_text(severity, limits.warning, limits.critical)
            message += f" ({level}%); free space (logs, old backups) or grow the disk"
        findings.append(
            Finding(
                "disk",
                severity,
                facts.name,
                MOUNT,
                mount.path,
                message,
                value=mount.used_percent,
                limit=limit_for(severity, limits.warning, limits.critical),
            )
        )

    return findings


def check_inodes(
    facts: PanelFacts, thresholds: Thresholds, context: FleetContext
) -> list[Finding]:
    limits = thresholds.inodes
    findings = []
    for mount in facts.mounts or ():
        used = mount.inodes_used_percent
        if not limits.enabled or used is None:
            continue
        severity = at_or_above(used, limits.warning, limits.critical)
        message = f"{mount.path} uses {used:.1f}% of its inodes"
        if severity is not Severity.OK:
            level = level_text(severity, limits.warning, limits.critical)
            message += (
                f" ({level}%); delete small files such as sessions, caches and "
                "mail queues, or grow the file system"
            )
        findings.append(
            Finding(
                "inodes",
                severity,
                facts.name,
                MOUNT,
                mount.path,
                message,
                value=used,
                limit=limit_for(severity, limits.warning, limits.critical),
            )
        )

    return findings


def check_memory(
    facts: PanelFacts, thresholds: Thresholds, context: FleetContext
) -> list[Finding]:
    limits = thresholds.memory
    total, used = facts.memory_total_mb, facts.memory_used_mb
    if not limits.enabled or not total or used is None:
        return []
    percent = round(100.0 * used / total, 1)
    severity = at_or_above(percent, limits.warning, limits.critical)
    message = f"memory {percent:.1f}% used ({used} of {total} MB)"
    if severity is not Severity.OK:
        level = level_text(severity, limits.warning, limits.critical)
        message += f", {level}%; find the processes that use it or add memory"

    return [
        Finding(
            "memory",
            severity,
            facts.name,
            PANEL,
            "",
            message,
            value=percent,
            limit=limit_for(severity, limits.warning, limits.critical),
        )
    ]


def check_load(
    facts: PanelFacts, thresholds: Thresholds, context: FleetContext
) -> list[Finding]:
    limits = thresholds.load
    load = {"1m": facts.load_1m, "5m": facts.load_5m, "15m": facts.load_15m}[
        limits.average
    ]
    if not limits.enabled or load is None or not facts.cpu_count:
        return []
    per_cpu = round(load / facts.cpu_count, 2)
    severity = at_or_above(per_cpu, limits.warning, limits.critical)
    message = (
        f"{limits.average} load average {load:g} on {facts.cpu_count} CPUs, "
        f"{per_cpu:g} per CPU"
    )
    if severity is not Severity.OK:
        level = level_text(severity, limits.warning, limits.critical)
        message += f" ({level}); find what keeps the CPUs busy or add CPUs"

    return [
        Finding(
            "load",
            severity,
            facts.name,
            PANEL,
            "",
            message,
            value=per_cpu,
            limit=limit_for(severity, limits.warning, limits.critical),
        )
    ]


def limit_for(severity: Severity, warning: float, critical: float) -> float:
    """Return the critical level once it is crossed, else the warning level."""
    return critical if severity is Severity.CRITICAL else warning
