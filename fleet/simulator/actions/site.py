"""Handlers of the ``/site`` route: PHP versions, certificates, domains, start/stop."""

from __future__ import annotations

import hashlib

from fleet.simulator.actions.base import ActionContext
from fleet.simulator.records import Site, format_time

DAY = 86400.0
_TLS_VERSIONS = ["TLSv1.2", "TLSv1.3"]


def get_php_version(context: ActionContext) -> object:
    """List "static" and the installed PHP versions (GetPHPVersion)."""
    versions = [{"version": "00", "name": context.texts.static_php, "status": True}]
    for version in context.data.php_versions:
        running = context.panel.is_service_running(f"php-fpm-{version}")
        versions.append(
            {"version": version, "name": f"PHP-{version}", "status": running}
        )

    return versions


def get_ssl(context: ActionContext) -> object:
    """Return a site's certificate, private key included (GetSSL)."""
    site = context.data.site_by_name(context.require("siteName"))
    if site is None or site.ssl_days is None:
        return _no_certificate(site)

    return {
        "status": True,
        "oid": -1,
        "domain": [{"name": domain} for domain in site.domains],
        "key": fake_private_key(site),
        "csr": fake_certificate(site),
        "type": 1,
        "httpTohttps": True,
        "cert_data": {
            **certificate_summary(site, context.data.built_at),
            "id": site.id,
            "ps": "",
        },
        "email": "admin@example.com",
        "index": _digest(site, "index")[:12],
        "auth_type": "http",
        "tls_versions": _TLS_VERSIONS,
        "push": {},
        "https_mode": False,
    }


def certificate_summary(site: Site, built_at: float) -> dict[str, object]:
    """Return the certificate fields that GetSSL and getData's ``ssl`` share."""
    days = site.ssl_days if site.ssl_days is not None else 0
    not_after = built_at + days * DAY
    return {
        "issuer": "R11",
        "issuer_O": "Let's Encrypt",
        "notAfter": format_time(not_after),
        "endtime": days,
        "notBefore": format_time(not_after - 90 * DAY),
        "subject": site.name,
        "dns": list(site.domains),
    }


def get_site_domains(context: ActionContext) -> object:
    """List a site's domains, in the BaoTa 11 or the older shape (GetSiteDomains)."""
    site = context.data.site_by_id(context.require_int("id"))
    domains = site.domains if site is not None else ()
    base_id = site.id * 10 if site is not None else 0
    entries: list[dict[str, object]] = []
    for offset, name in enumerate(domains):
        domain_id = base_id + offset
        entry: dict[str, object] = {"id": domain_id, "name": name}
        if context.panel.profile.modern_shapes:
            entry.update(
                {
                    "binding": False,
                    "apply_ssl": 1,
                    "dns_status": 0,
                    "root_domain_id": domain_id,
                }
            )
        entries.append(entry)

    return {"domains": entries, "email": "admin@example.com"}


def site_stop(context: ActionContext) -> object:
    """Mark a site stopped; succeeds also when it already is (SiteStop)."""
    return _set_running(context, running=False, message=context.texts.site_stopped)


def site_start(context: ActionContext) -> object:
    """Mark a site running (SiteStart)."""
    return _set_running(context, running=True, message=context.texts.site_started)


def fake_private_key(site: Site) -> str:
    """Return an obviously fake PEM private key, unique per site."""
    body = f"SIMULATED-PRIVATE-KEY-NOT-REAL-{_digest(site, 'key')}"
    return f"-----BEGIN PRIVATE KEY-----\n{body}\n-----END PRIVATE KEY-----"


def fake_certificate(site: Site) -> str:
    """Return an obviously fake PEM certificate chain, unique per site."""
    body = f"SIMULATED-CERTIFICATE-NOT-REAL-{_digest(site, 'cert')}"
    return f"-----BEGIN CERTIFICATE-----\n{body}\n-----END CERTIFICATE-----"


def _set_running(context: ActionContext, running: bool, message: str) -> object:
    site_id = context.require_int("id")
    context.require("name")
    # NOTE: an unknown id also gets the success message and changes nothing.
    # The real panel's response for that case was not checked.
    if context.data.site_by_id(site_id) is not None:
        context.panel.set_running(site_id, running)

    return {"status": True, "msg": message}


def _no_certificate(site: Site | None) -> object:
    # NOTE: the shape of GetSSL for a site without a certificate is an
    # approximation of BaoTa 11's response.
    domains = site.domains if site is not None else ()
    return {
        "status": False,
        "oid": -1,
        "domain": [{"name": domain} for domain in domains],
        "key": False,
        "csr": False,
        "type": -1,
        "httpTohttps": False,
        "cert_data": {},
        "email": "admin@example.com",
        "index": "",
        "auth_type": "http",
        "tls_versions": _TLS_VERSIONS,
        "push": {},
        "https_mode": False,
    }


def _digest(site: Site, purpose: str) -> str:
    return hashlib.sha256(f"{purpose}:{site.id}:{site.name}".encode()).hexdigest()[:32]
