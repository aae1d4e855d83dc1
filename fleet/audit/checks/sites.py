"""Checks of each site: certificate expiry, backup age and stopped state."""

from __future__ import annotations

import fnmatch

from fleet.audit.checks.context import FleetContext
from fleet.audit.config import CertificateLimits, Thresholds
from fleet.audit.facts import PanelFacts, SiteBackups
from fleet.audit.model import CERTIFICATE, SITE, Finding, Severity

DAY_S = 86400.0


def check_certificates(
    facts: PanelFacts, thresholds: Thresholds, context: FleetContext
) -> list[Finding]:
    limits = thresholds.certificates
    if not limits.enabled:
        return []
    findings = []
    for cert in facts.certificates or ():
        if cert.days_left is None:
            continue
        severity, limit, message = certificate_status(
            cert.site, cert.days_left, cert.not_after, limits
        )
        findings.append(
            Finding(
                "certificates",
                severity,
                facts.name,
                CERTIFICATE,
                cert.site,
                message,
                value=cert.days_left,
                limit=limit,
            )
        )

    return findings


def certificate_status(
    site: str, days: int, not_after: str, limits: CertificateLimits
) -> tuple[Severity, int, str]:
    """Return the severity, the level compared with and the message."""
    if days < 0:
        return (
            Severity.CRITICAL,
            0,
            f"certificate of {site} expired {-days} days ago ({not_after}); "
            "renew it under the site's SSL settings",
        )
    if days > limits.warning_days:
        message = f"certificate of {site} expires in {days} days"
        return Severity.OK, limits.warning_days, message
    if days <= limits.critical_days:
        severity, limit = Severity.CRITICAL, limits.critical_days
    else:
        severity, limit = Severity.WARNING, limits.warning_days
    message = (
        f"certificate of {site} expires in {days} days ({not_after}, "
        f"{severity.value} within {limit} days); renew it or check why "
        "automatic renewal did not run"
    )

    return severity, limit, message


def check_backups(
    facts: PanelFacts, thresholds: Thresholds, context: FleetContext
) -> list[Finding]:
    limits = thresholds.backups
    if not limits.enabled:
        return []
    return [
        backup_finding(facts.name, backups, thresholds, context.now)
        for backups in facts.backups or ()
    ]


def backup_finding(
    panel: str, backups: SiteBackups, thresholds: Thresholds, now: float
) -> Finding:
    limits = thresholds.backups
    site = backups.site
    fix = "check the site's backup cron job (Cron > Backup site)"
    if backups.newest_at is None:
        if backups.count:
            message = (
                f"{site} has {backups.count} backup records but none of their "
                f"files exists on the panel; {fix}"
            )
        else:
            message = (
                f"{site} has no backup; add a backup cron job (Cron > Backup site)"
            )
        return Finding(
            "backups", Severity.CRITICAL, panel, SITE, site, message, None, None
        )
    age = round(max(0.0, now - backups.newest_at) / DAY_S, 1)
    if age > limits.critical_days:
        severity, limit = Severity.CRITICAL, limits.critical_days
    elif age > limits.warning_days:
        severity, limit = Severity.WARNING, limits.warning_days
    else:
        severity, limit = Severity.OK, limits.warning_days
    message = f"newest backup of {site} is {age:g} days old"
    if severity is not Severity.OK:
        message += f" ({severity.value} after {limit:g} days); {fix}"

    return Finding("backups", severity, panel, SITE, site, message, age, limit)


def check_stopped_sites(
    facts: PanelFacts, thresholds: Thresholds, context: FleetContext
) -> list[Finding]:
    limits = thresholds.stopped_sites
    findings = []
    for site in facts.sites or ():
        if not limits.enabled or site.running:
            continue
        if any(fnmatch.fnmatchcase(site.name, glob) for glob in limits.ignore):
            continue
        message = (
            f"{site.name} is stopped; start it, delete it if it is no longer "
            "needed, or list it under stopped_sites.ignore"
        )
        findings.append(
            Finding(
                "stopped_sites", limits.severity, facts.name, SITE, site.name, message
            )
        )

    return findings
