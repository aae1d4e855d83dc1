"""Metrics in the Prometheus text format for node_exporter's textfile collector.

The file is replaced atomically, because the collector may read it at any
moment, and it carries no sample timestamps, which that collector rejects.
Severities use the exit code numbers: 0 ok, 1 warning, 2 critical, 3 unknown.
"""

from __future__ import annotations

import dataclasses
import math
from collections import Counter
from pathlib import Path

from fleet.atomic import write_text_atomic
from fleet.audit.model import Severity
from fleet.audit.report import AuditReport

PREFIX = "fleet_audit_"


@dataclasses.dataclass
class Family:
    """One metric family: its HELP and TYPE lines and its samples."""

    name: str
    help: str
    samples: list[tuple[dict[str, str], float]] = dataclasses.field(
        default_factory=list
    )

    def add(self, value: float | None, **labels: str) -> None:
        if value is not None and math.isfinite(value):
            self.samples.append((labels, float(value)))

    def lines(self) -> list[str]:
        name = PREFIX + self.name
        help_text = self.help.replace("\\", "\\\\").replace("\n", "\\n")
        lines = [f"# HELP {name} {help_text}", f"# TYPE {name} gauge"]
        for labels, value in self.samples:
            lines.append(f"{name}{label_text(labels)} {value_text(value)}")

        return lines


def label_text(labels: dict[str, str]) -> str:
    if not labels:
        return ""
    pairs = ",".join(f'{key}="{escape_label(value)}"' for key, value in labels.items())
    return "{" + pairs + "}"


def escape_label(value: str) -> str:
    return value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")


def value_text(value: float) -> str:
    return str(int(value)) if value.is_integer() and abs(value) < 2**53 else repr(value)


def render_prometheus(report: AuditReport) -> str:
    families = run_families(report) + panel_families(report) + object_families(report)
    lines = [line for family in families for line in family.lines()]

    return "\n".join(lines) + "\n"


def run_families(report: AuditReport) -> list[Family]:
    run = report.run
    finished = Family("last_run_timestamp_seconds", "When the last audit finished.")
    finished.add(run.finished_at)
    duration = Family("last_run_duration_seconds", "How long the last audit took.")
    duration.add(run.finished_at - run.started_at)
    status = Family("status", "Worst severity of the last audit (0 ok to 3 unknown).")
    status.add(report.exit_code)
    panels = Family("panels", "Panels by the worst severity of their findings.")
    counts = Counter(report.panel_severity().values())
    for severity in Severity:
        panels.add(counts[severity], status=severity.value)
    findings = Family("findings", "Findings of the last audit by check and severity.")
    by_check = Counter((f.check, f.severity) for f in report.findings)
    for (check, severity), count in sorted(by_check.items()):
        findings.add(count, check=check, severity=severity.value)

    return [finished, duration, status, panels, findings]


def panel_families(report: AuditReport) -> list[Family]:
    status = Family("panel_status", "Worst severity per panel (0 ok to 3 unknown).")
    for name, severity in report.panel_severity().items():
        status.add(severity.exit_code, panel=name)
    reachable = Family("panel_reachable", "1 if the panel answered at least once.")
    info = Family("panel_info", "Flavour and version of each panel reached.")
    memory = Family("memory_used_ratio", "Memory in use, from 0 to 1.")
    load = Family("load_per_cpu", "15-minute load average divided by the CPU count.")
    for panel in report.panels:
        reachable.add(int(panel.reached), panel=panel.name)
        if panel.version:
            flavour = panel.flavour or "unknown"
            info.add(1, panel=panel.name, flavour=flavour, version=panel.version)
        if panel.memory_total_mb and panel.memory_used_mb is not None:
            memory.add(panel.memory_used_mb / panel.memory_total_mb, panel=panel.name)
        if panel.load_15m is not None and panel.cpu_count:
            load.add(panel.load_15m / panel.cpu_count, panel=panel.name)

    return [status, reachable, info, memory, load]


def object_families(report: AuditReport) -> list[Family]:
    disk = Family("disk_used_ratio", "Disk space in use per mount, from 0 to 1.")
    inodes = Family("disk_inodes_used_ratio", "Inodes in use per mount, 0 to 1.")
    certificate = Family(
        "certificate_days_left", "Days until the site's certificate expires."
    )
    backup = Family(
        "backup_newest_timestamp_seconds", "When the site's newest backup was made."
    )
    running = Family("site_running", "1 if the site is running, 0 if stopped.")
    for panel in report.panels:
        for mount in panel.mounts or ():
            ratio = percent_ratio(mount.used_percent)
            disk.add(ratio, panel=panel.name, mount=mount.path)
            ratio = percent_ratio(mount.inodes_used_percent)
            inodes.add(ratio, panel=panel.name, mount=mount.path)
        for cert in panel.certificates or ():
            certificate.add(cert.days_left, panel=panel.name, site=cert.site)
        for backups in panel.backups or ():
            backup.add(backups.newest_at, panel=panel.name, site=backups.site)
        for site in panel.sites or ():
            running.add(int(site.running), panel=panel.name, site=site.name)

    return [disk, inodes, certificate, backup, running]


def percent_ratio(percent: float | None) -> float | None:
    return None if percent is None else round(percent / 100, 4)


def write_prometheus(report: AuditReport, path: Path) -> None:
    write_text_atomic(path, render_prometheus(report))
