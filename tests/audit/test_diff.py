"""What ``diff_runs`` reports between two runs."""

from __future__ import annotations

from fleet.audit.checks import evaluate
from fleet.audit.config import AuditConfig
from fleet.audit.diff import diff_runs
from fleet.audit.facts import Mount, OperationFailure, PanelFacts, Site
from fleet.audit.model import Severity
from fleet.audit.report import AuditReport

from .support import NOW, facts, report_of


def run(run_id: str, *panels: PanelFacts) -> AuditReport:
    return report_of(panels, evaluate(panels, AuditConfig(), NOW), run_id=run_id)


FULL = (Mount("/", 100, 95, 95.0, 1.0),)
DOWN = {
    "reached": False,
    "mounts": None,
    "sites": None,
    "certificates": None,
    "backups": None,
    "failures": (OperationFailure("system", "connect", "refused"),),
}


class TestDiff:
    def test_same_run_is_empty(self) -> None:
        """Comparing a run with an identical one finds no change."""
        before = run("A", facts("web-1"), facts("web-2"))
        after = run("B", facts("web-1"), facts("web-2"))
        diff = diff_runs(before, after)
        assert diff.is_empty
        assert (diff.before_run, diff.after_run) == ("A", "B")

    def test_panels_and_sites(self) -> None:
        """Added and removed panels and sites are listed."""
        site = (Site("new.example.com", True, "8.3"),)
        before = run("A", facts("web-1"), facts("web-2"))
        after = run("B", facts("web-1", sites=site), facts("web-3"))
        diff = diff_runs(before, after)
        assert diff.panels_added == ("web-3",)
        assert diff.panels_removed == ("web-2",)
        assert diff.sites_added == (("web-1", "new.example.com"),)
        assert diff.sites_removed == (("web-1", "shop.example.com"),)

    def test_version_change_resolves_finding(self) -> None:
        """An upgrade shows as a version change and a resolved finding."""
        before = run("A", facts("web-1", version="11.5.0"), facts("web-2"))
        after = run("B", facts("web-1"), facts("web-2"))
        diff = diff_runs(before, after)
        assert [(c.panel, c.before, c.after) for c in diff.version_changes] == [
            ("web-1", "11.5.0", "11.7.0")
        ]
        assert [(f.panel, f.check) for f in diff.resolved] == [
            ("web-1", "panel_version")
        ]
        assert diff.appeared == ()

    def test_finding_appears_and_changes(self) -> None:
        """A new problem appears; one that got worse changes severity."""
        warm = (Mount("/", 100, 85, 85.0, 1.0),)
        before = run("A", facts("web-1", mounts=warm), facts("web-2"))
        after = run("B", facts("web-1", mounts=FULL), facts("web-2", mounts=FULL))
        diff = diff_runs(before, after)
        assert [(f.panel, f.check) for f in diff.appeared] == [("web-2", "disk")]
        (change,) = diff.changed
        assert change.before is Severity.WARNING
        assert change.finding.severity is Severity.CRITICAL

    def test_newly_failing_panel(self) -> None:
        """A panel that stops responding is newly failing; its problems stay open."""
        before = run("A", facts("web-1", mounts=FULL))
        after = run("B", facts("web-1", **DOWN))
        diff = diff_runs(before, after)
        assert diff.newly_failing == (("web-1", "connect"),)
        assert diff.resolved == ()
        assert [f.check for f in diff.appeared] == ["reachability"]

    def test_recovered_panel(self) -> None:
        """A panel reached again is listed and its unknown finding resolved."""
        before = run("A", facts("web-1", **DOWN))
        after = run("B", facts("web-1"))
        diff = diff_runs(before, after)
        assert diff.recovered == ("web-1",)
        assert [f.check for f in diff.resolved] == ["reachability"]

    def test_failed_operation_does_not_resolve(self) -> None:
        """A problem whose data was not collected this time is not resolved."""
        before = run("A", facts("web-1", mounts=FULL))
        failed = (OperationFailure("disks", "panel_refused", "no"),)
        after = run("B", facts("web-1", mounts=None, failures=failed))
        diff = diff_runs(before, after)
        assert diff.resolved == ()
