"""The facts an audit collected about each panel, reduced from the results.

A section is None when the operation that collects it failed or did not run,
so "no data" is never mistaken for "nothing there" (no sites, no mounts).
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable, Sequence
from typing import Any

from fleet.inventory.model import Panel
from fleet.operations.facts import as_float, as_int
from fleet.report.model import Result

# Site rows name the PHP version "7.4"; static sites have a word instead.
_PHP_VERSION = re.compile(r"^\d+\.\d+$")


@dataclasses.dataclass(frozen=True, slots=True)
class Mount:
    """One mounted file system; percentages from 0 to 100."""

    path: str
    size_bytes: int | None = None
    used_bytes: int | None = None
    used_percent: float | None = None
    inodes_used_percent: float | None = None


@dataclasses.dataclass(frozen=True, slots=True)
class Site:
    """One site; ``php_version`` is "7.4" or None for a static site."""

    name: str
    running: bool
    php_version: str | None = None


@dataclasses.dataclass(frozen=True, slots=True)
class Certificate:
    """The certificate of one site, with the expiry as the panel states it."""

    site: str
    not_after: str = ""
    days_left: int | None = None
    issuer: str = ""


@dataclasses.dataclass(frozen=True, slots=True)
class SiteBackups:
    """A site's backup records and the newest one whose file exists."""

    site: str
    count: int
    newest_at: float | None = None  # epoch seconds


@dataclasses.dataclass(frozen=True, slots=True)
class OperationFailure:
    """One operation that failed on the panel, with its error kind."""

    operation: str
    error_kind: str
    message: str


@dataclasses.dataclass(frozen=True, slots=True)
class PanelFacts:
    """Everything one audit run learned about one panel."""

    name: str
    url: str
    reached: bool
    failures: tuple[OperationFailure, ...] = ()
    flavour: str | None = None  # "baota" or "aapanel"
    version: str | None = None
    cpu_count: int | None = None
    memory_total_mb: int | None = None
    memory_used_mb: int | None = None
    load_1m: float | None = None
    load_5m: float | None = None
    load_15m: float | None = None
    mounts: tuple[Mount, ...] | None = None
    sites: tuple[Site, ...] | None = None
    certificates: tuple[Certificate, ...] | None = None
    backups: tuple[SiteBackups, ...] | None = None

    def to_record(self) -> dict[str, Any]:
        return dataclasses.asdict(self)


def collect_facts(
    panels: Sequence[Panel], results: Iterable[Result]
) -> list[PanelFacts]:
    """Reduce the results of a run to one ``PanelFacts`` per panel, in order."""
    by_panel: dict[str, list[Result]] = {panel.name: [] for panel in panels}
    for result in results:
        by_panel.setdefault(result.panel, []).append(result)

    return [panel_facts(panel, by_panel[panel.name]) for panel in panels]


def panel_facts(panel: Panel, results: Sequence[Result]) -> PanelFacts:
    """Merge the successful results of one panel into its facts."""
    fields: dict[str, Any] = {}
    for result in results:
        if result.ok:
            fields.update(_READERS.get(result.operation, ignore)(result.data))
    identity = next((r for r in results if r.panel_version), None)
    if identity is not None:
        fields.setdefault("version", identity.panel_version)
        fields.setdefault("flavour", identity.panel_flavour)
    failures = tuple(
        OperationFailure(r.operation, r.error_kind or "", r.error_message or "")
        for r in results
        if not r.ok
    )

    return PanelFacts(
        name=panel.name,
        url=panel.url,
        reached=any(result.ok for result in results),
        failures=failures,
        **fields,
    )


def ignore(data: Any) -> dict[str, Any]:
    return {}


def read_system(data: Any) -> dict[str, Any]:
    if not isinstance(data, dict):
        return {}
    flavour = data.get("flavour")
    return {
        "flavour": flavour if flavour in ("baota", "aapanel") else None,
        "version": str(data.get("version") or "") or None,
        "cpu_count": as_int(data.get("cpu_count")),
        "memory_total_mb": as_int(data.get("mem_total_mb")),
        "memory_used_mb": as_int(data.get("mem_used_mb")),
    }


def read_network(data: Any) -> dict[str, Any]:
    if not isinstance(data, dict):
        return {}
    return {
        "load_1m": as_float(data.get("load_1m")),
        "load_5m": as_float(data.get("load_5m")),
        "load_15m": as_float(data.get("load_15m")),
    }


def read_disks(data: Any) -> dict[str, Any]:
    if not isinstance(data, list):
        return {}
    mounts = tuple(
        Mount(
            path=str(row.get("path", "")),
            size_bytes=as_int(row.get("size_bytes")),
            used_bytes=as_int(row.get("used_bytes")),
            used_percent=df_percent(row),
            inodes_used_percent=as_float(row.get("inodes_used_percent")),
        )
        for row in data
        if isinstance(row, dict)
    )
    return {"mounts": mounts}


def df_percent(mount: dict[str, Any]) -> float | None:
    """Return used / (used + free) as ``df`` and the panel show it.

    Blocks reserved for root count in neither, so a full disk reads 100%
    although used / size stays near 95% on ext4.
    """
    used, free = as_int(mount.get("used_bytes")), as_int(mount.get("free_bytes"))
    if used is None or free is None or used + free <= 0:
        return as_float(mount.get("used_percent"))
    return round(100.0 * used / (used + free), 2)


def read_sites(data: Any) -> dict[str, Any]:
    rows = data.get("sites") if isinstance(data, dict) else None
    if not isinstance(rows, list):
        return {}
    sites = tuple(
        Site(
            name=str(row.get("name", "")),
            running=bool(row.get("running")),
            php_version=php_version(row.get("php_version")),
        )
        for row in rows
        if isinstance(row, dict)
    )
    return {"sites": sites}


def php_version(text: Any) -> str | None:
    """Return "7.4" for a PHP site and None for a static one ("静态", "Static")."""
    value = str(text or "").strip()
    return value if _PHP_VERSION.match(value) else None


def read_certificates(data: Any) -> dict[str, Any]:
    if not isinstance(data, list):
        return {}
    certificates = tuple(
        Certificate(
            site=str(row.get("site", "")),
            not_after=str(row.get("not_after") or ""),
            days_left=as_int(row.get("days_left")),
            issuer=str(row.get("issuer") or ""),
        )
        for row in data
        if isinstance(row, dict)
    )
    return {"certificates": certificates}


def read_backups(data: Any) -> dict[str, Any]:
    if not isinstance(data, list):
        return {}
    backups = tuple(
        SiteBackups(
            site=str(row.get("site", "")),
            count=as_int(row.get("count")) or 0,
            newest_at=as_float(row.get("newest_at")),
        )
        for row in data
        if isinstance(row, dict)
    )
    return {"backups": backups}


_READERS = {
    "system": read_system,
    "network": read_network,
    "disks": read_disks,
    "sites": read_sites,
    "certificates": read_certificates,
    "backups": read_backups,
}
