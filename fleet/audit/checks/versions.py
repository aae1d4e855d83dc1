"""Checks of software versions: the panel itself and the PHP that sites run."""

from __future__ import annotations

import datetime

from fleet.audit.checks.context import FleetContext, flavour_name, version_key
from fleet.audit.config import Thresholds
from fleet.audit.facts import PanelFacts
from fleet.audit.model import PANEL, SITE, Finding, Severity
from fleet.audit.php_eol import PHP_EOL


def check_panel_version(
    facts: PanelFacts, thresholds: Thresholds, context: FleetContext
) -> list[Finding]:
    limits = thresholds.panel_version
    version = facts.version
    if not limits.enabled or not version or not version_key(version):
        return []
    name = flavour_name(facts.flavour)
    minimum = limits.minimum.get(facts.flavour or "")
    newest = context.newest.get(facts.flavour or "", version)
    if minimum and version_key(version) < version_key(minimum):
        severity = Severity.CRITICAL
        message = (
            f"{name} {version} is below the minimum {minimum}; update the panel "
            "(the update button on its home page)"
        )
        limit: str | None = minimum
    elif version_key(version) < version_key(newest):
        severity = limits.behind_newest
        message = (
            f"{name} {version} is behind {newest}, the newest {name} version in "
            "the fleet; update the panel (the update button on its home page)"
        )
        limit = newest
    else:
        severity, limit = Severity.OK, newest
        message = f"{name} {version}, the newest {name} version in the fleet"

    return [
        Finding(
            "panel_version", severity, facts.name, PANEL, "", message, version, limit
        )
    ]


def check_php_eol(
    facts: PanelFacts, thresholds: Thresholds, context: FleetContext
) -> list[Finding]:
    limits = thresholds.php_eol
    if not limits.enabled:
        return []
    today = datetime.datetime.fromtimestamp(context.now, datetime.UTC).date()
    findings = []
    for site in facts.sites or ():
        if site.php_version is None:
            continue
        severity, message = php_status(site.php_version, today, limits.warning_days)
        findings.append(
            Finding(
                "php_eol",
                severity,
                facts.name,
                SITE,
                site.name,
                f"{site.name} runs PHP {site.php_version}: {message}",
                value=site.php_version,
                limit=eol_text(site.php_version),
            )
        )

    return findings


def php_status(
    branch: str, today: datetime.date, warning_days: int
) -> tuple[Severity, str]:
    """Judge one PHP branch against the end-of-life table on ``today``."""
    known = sorted(PHP_EOL, key=version_key)
    end = PHP_EOL.get(branch)
    target = supported_after(today + datetime.timedelta(days=warning_days))
    move = f"move the site to PHP {target} or newer" if target else "upgrade PHP"
    if end is None and version_key(branch) < version_key(known[0]):
        return Severity.CRITICAL, f"older than every supported branch; {move}"
    if end is None:
        return Severity.OK, "not in the end-of-life table, newer than it"
    if end < today:
        return Severity.CRITICAL, f"its end of life was {end.isoformat()}; {move}"
    days_left = (end - today).days
    if days_left <= warning_days:
        return (
            Severity.WARNING,
            f"its end of life is {end.isoformat()}, in {days_left} days; {move}",
        )

    return Severity.OK, f"supported until {end.isoformat()}"


def supported_after(day: datetime.date) -> str | None:
    """Return the oldest PHP branch still supported on ``day``."""
    branches = sorted(
        (branch for branch, end in PHP_EOL.items() if end >= day), key=version_key
    )
    return branches[0] if branches else None


def eol_text(branch: str) -> str | None:
    end = PHP_EOL.get(branch)
    return end.isoformat() if end else None
