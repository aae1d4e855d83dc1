"""What changed between two audit runs.

A finding counts as resolved only when the later run could evaluate its
check: if the panel was not reached, or the operation that feeds the check
failed, the old finding is neither resolved nor repeated, it is unknown, and
the reachability findings already report that.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from fleet.audit.facts import PanelFacts
from fleet.audit.model import Finding, Severity
from fleet.audit.report import AuditReport

# The operation whose data each check reads.
CHECK_SOURCES = {
    "disk": "disks",
    "inodes": "disks",
    "memory": "system",
    "panel_version": "system",
    "load": "network",
    "certificates": "certificates",
    "backups": "backups",
    "stopped_sites": "sites",
    "php_eol": "sites",
}


@dataclasses.dataclass(frozen=True, slots=True)
class VersionChange:
    """A panel whose version differs between the runs."""

    panel: str
    before: str
    after: str


@dataclasses.dataclass(frozen=True, slots=True)
class SeverityChange:
    """A finding that is a problem in both runs, at different severities."""

    finding: Finding
    before: Severity


@dataclasses.dataclass(frozen=True, slots=True)
class RunDiff:
    """Differences from the ``before`` run to the ``after`` run."""

    before_run: str
    after_run: str
    panels_added: tuple[str, ...] = ()
    panels_removed: tuple[str, ...] = ()
    sites_added: tuple[tuple[str, str], ...] = ()  # (panel, site)
    sites_removed: tuple[tuple[str, str], ...] = ()
    version_changes: tuple[VersionChange, ...] = ()
    newly_failing: tuple[tuple[str, str], ...] = ()  # (panel, error kind)
    recovered: tuple[str, ...] = ()
    appeared: tuple[Finding, ...] = ()
    resolved: tuple[Finding, ...] = ()  # the finding of the before run
    changed: tuple[SeverityChange, ...] = ()

    @property
    def is_empty(self) -> bool:
        return not any(
            getattr(self, field.name)
            for field in dataclasses.fields(self)
            if field.name not in ("before_run", "after_run")
        )

    def to_record(self) -> dict[str, Any]:
        return {
            "before_run": self.before_run,
            "after_run": self.after_run,
            "panels_added": list(self.panels_added),
            "panels_removed": list(self.panels_removed),
            "sites_added": [list(pair) for pair in self.sites_added],
            "sites_removed": [list(pair) for pair in self.sites_removed],
            "version_changes": [dataclasses.asdict(c) for c in self.version_changes],
            "newly_failing": [list(pair) for pair in self.newly_failing],
            "recovered": list(self.recovered),
            "appeared": [finding.to_record() for finding in self.appeared],
            "resolved": [finding.to_record() for finding in self.resolved],
            "changed": [
                {**change.finding.to_record(), "before": change.before.value}
                for change in self.changed
            ],
        }


def diff_runs(before: AuditReport, after: AuditReport) -> RunDiff:
    """Compare two runs; panels are matched by name and findings by their key."""
    old = {panel.name: panel for panel in before.panels}
    new = {panel.name: panel for panel in after.panels}
    common = [name for name in new if name in old]
    appeared, resolved, changed = compare_findings(before, after, new)

    return RunDiff(
        before_run=before.run.run_id,
        after_run=after.run.run_id,
        panels_added=tuple(name for name in new if name not in old),
        panels_removed=tuple(name for name in old if name not in new),
        sites_added=tuple(site_changes(common, new, old)),
        sites_removed=tuple(site_changes(common, old, new)),
        version_changes=tuple(version_changes(common, old, new)),
        newly_failing=tuple(
            (name, first_error(new[name]))
            for name in common
            if old[name].reached and not new[name].reached
        ),
        recovered=tuple(
            name for name in common if new[name].reached and not old[name].reached
        ),
        appeared=tuple(appeared),
        resolved=tuple(resolved),
        changed=tuple(changed),
    )


def site_changes(
    names: list[str], these: dict[str, PanelFacts], others: dict[str, PanelFacts]
) -> list[tuple[str, str]]:
    """Return the sites in ``these`` runs' panels that ``others`` lack."""
    found = []
    for name in names:
        mine, theirs = these[name].sites, others[name].sites
        if mine is None or theirs is None:
            continue
        known = {site.name for site in theirs}
        found += [(name, site.name) for site in mine if site.name not in known]

    return found


def version_changes(
    names: list[str], old: dict[str, PanelFacts], new: dict[str, PanelFacts]
) -> list[VersionChange]:
    return [
        VersionChange(name, old[name].version or "", new[name].version or "")
        for name in names
        if old[name].version and new[name].version
        if old[name].version != new[name].version
    ]


def first_error(panel: PanelFacts) -> str:
    return panel.failures[0].error_kind if panel.failures else "unknown"


def compare_findings(
    before: AuditReport, after: AuditReport, new: dict[str, PanelFacts]
) -> tuple[list[Finding], list[Finding], list[SeverityChange]]:
    old_problems = {f.key: f for f in before.problems()}
    new_findings = {f.key: f for f in after.findings}
    appeared = [f for f in after.problems() if f.key not in old_problems]
    changed = [
        SeverityChange(finding, old_problems[key].severity)
        for key, finding in new_findings.items()
        if key in old_problems
        if finding.severity is not Severity.OK
        if finding.severity is not old_problems[key].severity
    ]
    resolved = [
        finding
        for key, finding in old_problems.items()
        if is_resolved(finding, new_findings.get(key), new.get(finding.panel))
    ]

    return appeared, resolved, changed


def is_resolved(old: Finding, now: Finding | None, panel: PanelFacts | None) -> bool:
    """Tell whether a problem of the earlier run is gone in the later one."""
    if now is not None:
        return now.severity is Severity.OK
    if panel is None or not panel.reached:
        return False
    source = CHECK_SOURCES.get(old.check)
    failed = {failure.operation for failure in panel.failures}

    return source not in failed
