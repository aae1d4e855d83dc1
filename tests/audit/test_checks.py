"""Each audit check against its thresholds, on facts built by hand."""

from __future__ import annotations

import dataclasses
import datetime
from collections.abc import Sequence

from fleet.audit.checks import evaluate
from fleet.audit.checks.context import FleetContext, newest_versions
from fleet.audit.checks.resources import check_disk, check_load, check_memory
from fleet.audit.checks.sites import (
    check_backups,
    check_certificates,
    check_stopped_sites,
)
from fleet.audit.checks.versions import check_panel_version, check_php_eol, php_status
from fleet.audit.config import (
    AuditConfig,
    CertificateLimits,
    StoppedSiteLimits,
    Thresholds,
    UsageLimits,
    VersionLimits,
)
from fleet.audit.facts import (
    Certificate,
    Mount,
    OperationFailure,
    Site,
    SiteBackups,
)
from fleet.audit.model import Finding, Severity, worst

from .support import DAY, NOW, facts

CONTEXT = FleetContext(now=NOW, newest={"baota": "11.7.0", "aapanel": "8.10.0"})
DEFAULTS = Thresholds()


def severities(findings: Sequence[Finding]) -> list[Severity]:
    return [finding.severity for finding in findings]


class TestSeverity:
    def test_exit_codes(self) -> None:
        """Severities map to the monitoring exit codes 0, 1, 2 and 3."""
        assert Severity.OK.exit_code == 0
        assert Severity.WARNING.exit_code == 1
        assert Severity.CRITICAL.exit_code == 2
        assert Severity.UNKNOWN.exit_code == 3

    def test_critical_outranks_unknown(self) -> None:
        """An unreachable panel never hides a critical finding."""
        assert worst([Severity.UNKNOWN, Severity.CRITICAL]) is Severity.CRITICAL
        assert worst([Severity.WARNING, Severity.UNKNOWN]) is Severity.UNKNOWN
        assert worst([]) is Severity.OK


class TestDisk:
    def test_levels(self) -> None:
        """Usage below, at and above the levels gives ok, warning and critical."""
        mounts = (
            Mount("/a", used_percent=79.9),
            Mount("/b", used_percent=80.0),
            Mount("/c", used_percent=95.5),
        )
        found = check_disk(facts(mounts=mounts), DEFAULTS, CONTEXT)
        assert severities(found) == [Severity.OK, Severity.WARNING, Severity.CRITICAL]
        assert [f.object_name for f in found] == ["/a", "/b", "/c"]
        assert "free space" in found[2].message
        assert found[2].limit == 90.0

    def test_threshold_override(self) -> None:
        """Lower levels make the same usage critical."""
        limits = dataclasses.replace(DEFAULTS, disk=UsageLimits(True, 30, 35))
        found = check_disk(facts(), limits, CONTEXT)
        assert severities(found) == [Severity.CRITICAL]

    def test_disabled(self) -> None:
        """A disabled check reports nothing."""
        limits = dataclasses.replace(DEFAULTS, disk=UsageLimits(enabled=False))
        assert check_disk(facts(), limits, CONTEXT) == []

    def test_not_collected(self) -> None:
        """Without disk facts the check is silent; reachability reports the gap."""
        assert check_disk(facts(mounts=None), DEFAULTS, CONTEXT) == []


class TestMemoryAndLoad:
    def test_memory_critical(self) -> None:
        """Memory at 96% is critical with the default 95% level."""
        (found,) = check_memory(facts(memory_used_mb=960), DEFAULTS, CONTEXT)
        assert found.severity is Severity.CRITICAL
        assert found.value == 96.0

    def test_load_per_cpu(self) -> None:
        """Load is divided by the CPU count before it is compared."""
        busy = facts(load_15m=4.0, cpu_count=2)
        (found,) = check_load(busy, DEFAULTS, CONTEXT)
        assert found.value == 2.0
        assert found.severity is Severity.WARNING

    def test_load_average_choice(self) -> None:
        """The configured average picks the 1-minute value."""
        limits = dataclasses.replace(
            DEFAULTS, load=dataclasses.replace(DEFAULTS.load, average="1m")
        )
        (found,) = check_load(facts(load_1m=8.0, cpu_count=2), limits, CONTEXT)
        assert found.severity is Severity.CRITICAL


class TestPanelVersion:
    def test_newest_per_flavour(self) -> None:
        """BaoTa and aaPanel versions are compared only within their flavour."""
        panels = [
            facts("a", flavour="baota", version="11.5.0"),
            facts("b", flavour="baota", version="11.7.0"),
            facts("c", flavour="aapanel", version="8.10.0"),
            facts("d", flavour="aapanel", version="8.9.0"),
        ]
        assert newest_versions(panels) == {"baota": "11.7.0", "aapanel": "8.10.0"}

    def test_behind_newest(self) -> None:
        """A panel behind the newest of its flavour gets the configured severity."""
        (found,) = check_panel_version(facts(version="11.5.0"), DEFAULTS, CONTEXT)
        assert found.severity is Severity.WARNING
        assert found.limit == "11.7.0"

    def test_below_minimum(self) -> None:
        """A version below the configured minimum is critical."""
        minimum = VersionLimits(minimum={"baota": "11.0.0"})
        limits = dataclasses.replace(DEFAULTS, panel_version=minimum)
        (found,) = check_panel_version(facts(version="7.9.25"), limits, CONTEXT)
        assert found.severity is Severity.CRITICAL
        assert "minimum 11.0.0" in found.message

    def test_numeric_order(self) -> None:
        """8.10.0 is newer than 8.9.0, which text order would get wrong."""
        newest = facts(flavour="aapanel", version="8.10.0")
        (found,) = check_panel_version(newest, DEFAULTS, CONTEXT)
        assert found.severity is Severity.OK


class TestCertificates:
    def test_levels(self) -> None:
        """Expired and near certificates are critical, later ones warning or ok."""
        certificates = tuple(
            Certificate(f"s{days}.example.com", "", days, "R11")
            for days in (-1, 0, 7, 8, 21, 22)
        )
        found = check_certificates(facts(certificates=certificates), DEFAULTS, CONTEXT)
        assert severities(found) == [
            Severity.CRITICAL,
            Severity.CRITICAL,
            Severity.CRITICAL,
            Severity.WARNING,
            Severity.WARNING,
            Severity.OK,
        ]
        assert "expired 1 days ago" in found[0].message

    def test_override(self) -> None:
        """A longer warning window makes a 25-day certificate a warning."""
        limits = dataclasses.replace(
            DEFAULTS, certificates=CertificateLimits(True, 30, 7)
        )
        cert = (Certificate("a.example.com", "", 25, ""),)
        (found,) = check_certificates(facts(certificates=cert), limits, CONTEXT)
        assert found.severity is Severity.WARNING


class TestBackups:
    def test_age_levels(self) -> None:
        """Backups older than the warning or critical age are reported."""
        backups = (
            SiteBackups("fresh.example.com", 1, NOW - 1 * DAY),
            SiteBackups("old.example.com", 1, NOW - 3 * DAY),
            SiteBackups("stale.example.com", 1, NOW - 8 * DAY),
        )
        found = check_backups(facts(backups=backups), DEFAULTS, CONTEXT)
        assert severities(found) == [Severity.OK, Severity.WARNING, Severity.CRITICAL]
        assert found[2].value == 8.0

    def test_no_backup_is_critical(self) -> None:
        """A site without any backup is critical, and the message names the fix."""
        backups = (SiteBackups("new.example.com", 0, None),)
        (found,) = check_backups(facts(backups=backups), DEFAULTS, CONTEXT)
        assert found.severity is Severity.CRITICAL
        assert "no backup" in found.message

    def test_missing_files(self) -> None:
        """Backup records whose files are gone count as no backup."""
        backups = (SiteBackups("gone.example.com", 3, None),)
        (found,) = check_backups(facts(backups=backups), DEFAULTS, CONTEXT)
        assert "3 backup records" in found.message


class TestStoppedSites:
    def test_stopped_site(self) -> None:
        """A stopped site gets the configured severity."""
        sites = (Site("on.example.com", True), Site("off.example.com", False))
        (found,) = check_stopped_sites(facts(sites=sites), DEFAULTS, CONTEXT)
        assert found.object_name == "off.example.com"
        assert found.severity is Severity.WARNING

    def test_ignore_globs(self) -> None:
        """Sites matching an ignore glob may be stopped."""
        limits = dataclasses.replace(
            DEFAULTS, stopped_sites=StoppedSiteLimits(ignore=("off.*",))
        )
        sites = (Site("off.example.com", False),)
        assert check_stopped_sites(facts(sites=sites), limits, CONTEXT) == []


class TestPhpEol:
    def test_status_by_date(self) -> None:
        """A branch is critical after its end of life and a warning shortly before."""
        day = datetime.date(2026, 12, 1)
        assert php_status("7.4", day, 90)[0] is Severity.CRITICAL
        assert php_status("8.2", day, 90)[0] is Severity.WARNING
        assert php_status("8.4", day, 90)[0] is Severity.OK
        assert php_status("4.4", day, 90)[0] is Severity.CRITICAL
        assert php_status("9.0", day, 90)[0] is Severity.OK

    def test_advice_names_a_supported_branch(self) -> None:
        """The message names the oldest branch supported past the warning window."""
        _, message = php_status("7.4", datetime.date(2026, 12, 1), 90)
        assert "PHP 8.3 or newer" in message

    def test_static_sites_skipped(self) -> None:
        """Static sites have no PHP version and get no finding."""
        sites = (
            Site("static.example.com", True, None),
            Site("app.example.com", True, "5.6"),
        )
        found = check_php_eol(facts(sites=sites), DEFAULTS, CONTEXT)
        assert [f.object_name for f in found] == ["app.example.com"]


class TestReachability:
    def test_unreachable_panel(self) -> None:
        """A panel never reached gets one unknown finding naming the error kind."""
        down = facts(
            reached=False,
            failures=(OperationFailure("system", "auth.wrong_key", "wrong API key"),),
        )
        found = evaluate([down], AuditConfig(), NOW)
        assert [
            (f.check, f.severity) for f in found if f.severity is not Severity.OK
        ] == [("reachability", Severity.UNKNOWN)]
        assert "auth.wrong_key" in found[0].message

    def test_failed_operation(self) -> None:
        """A failed operation of a reached panel is unknown, per operation."""
        partial = facts(
            certificates=None,
            failures=(OperationFailure("certificates", "panel_refused", "no"),),
        )
        found = [
            f
            for f in evaluate([partial], AuditConfig(), NOW)
            if f.check == "reachability"
        ]
        assert [(f.object_name, f.severity) for f in found] == [
            ("certificates", Severity.UNKNOWN)
        ]


class TestEvaluate:
    def test_worst_first(self) -> None:
        """Findings come sorted with the worst severity first."""
        panels = [facts("a"), facts("b", mounts=(Mount("/", used_percent=99.0),))]
        found = evaluate(panels, AuditConfig(), NOW)
        assert found[0].severity is Severity.CRITICAL
        assert found[0].panel == "b"

    def test_per_panel_thresholds(self) -> None:
        """Each panel is checked with its own merged thresholds."""
        strict = dataclasses.replace(DEFAULTS, disk=UsageLimits(True, 10, 20))
        config = AuditConfig(by_panel={"a": strict})
        found = evaluate([facts("a"), facts("b")], config, NOW)
        disk = {f.panel: f.severity for f in found if f.check == "disk"}
        assert disk == {"a": Severity.CRITICAL, "b": Severity.OK}
