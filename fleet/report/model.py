"""Result records and the fleet summary computed from them.

Every selected panel ends a run with exactly one ``Result`` per requested
operation: successes, failures, and work that was cut off by the run deadline
or by Ctrl-C alike.
"""

from __future__ import annotations

import dataclasses
from collections import Counter
from collections.abc import Iterable
from typing import Any

from fleet.errors import ErrorKind

SCHEMA = "fleet.report/1"


@dataclasses.dataclass(frozen=True, slots=True)
class Result:
    """The outcome of one operation on one panel."""

    panel: str
    url: str
    operation: str
    ok: bool
    attempts: int
    duration_s: float
    started_at: float
    error_kind: str | None = None
    error_message: str | None = None
    sessions_created: int = 0
    panel_flavour: str | None = None  # "baota" or "aapanel", once known
    panel_version: str | None = None
    data: Any = None

    @property
    def status(self) -> str:
        if self.ok:
            return "ok"
        if self.error_kind == ErrorKind.CANCELLED:
            return "cancelled"
        if self.error_kind == ErrorKind.TIMEOUT_DEADLINE:
            return "timed_out"
        return "failed"

    def to_record(self) -> dict[str, Any]:
        """Return the JSON form of the record (the report schema)."""
        return {
            "panel": self.panel,
            "url": self.url,
            "operation": self.operation,
            "ok": self.ok,
            "status": self.status,
            "error_kind": self.error_kind,
            "error_message": self.error_message,
            "attempts": self.attempts,
            "sessions_created": self.sessions_created,
            "panel_flavour": self.panel_flavour,
            "panel_version": self.panel_version,
            "duration_s": round(self.duration_s, 4),
            "started_at": round(self.started_at, 3),
            "data": self.data,
        }

    @classmethod
    def from_record(cls, record: dict[str, Any]) -> Result:
        return cls(
            panel=record["panel"],
            url=record.get("url", ""),
            operation=record["operation"],
            ok=bool(record["ok"]),
            attempts=int(record.get("attempts", 0)),
            duration_s=float(record.get("duration_s", 0.0)),
            started_at=float(record.get("started_at", 0.0)),
            error_kind=record.get("error_kind"),
            error_message=record.get("error_message"),
            sessions_created=int(record.get("sessions_created", 0)),
            panel_flavour=record.get("panel_flavour"),
            panel_version=record.get("panel_version"),
            data=record.get("data"),
        )


def summarize(results: Iterable[Result]) -> dict[str, Any]:
    """Compute the fleet summary: counts, failures by kind and totals."""
    results = list(results)
    failed_panels = {r.panel for r in results if not r.ok}
    panels = {r.panel for r in results}
    kinds = Counter(r.error_kind for r in results if r.error_kind)

    return {
        "panels": len(panels),
        "panels_ok": len(panels - failed_panels),
        "panels_failed": len(failed_panels),
        "results": len(results),
        "results_ok": sum(1 for r in results if r.ok),
        "results_failed": sum(1 for r in results if not r.ok),
        "failures_by_kind": dict(sorted(kinds.items())),
        "sessions_created": sum(r.sessions_created for r in results),
        "totals": fleet_totals(results),
    }


def fleet_totals(results: list[Result]) -> dict[str, int]:
    """Add up sites and disk space over the successful results."""
    totals = {
        "sites": 0,
        "disk_size_bytes": 0,
        "disk_used_bytes": 0,
        "disk_free_bytes": 0,
    }
    for result in results:
        if not result.ok:
            continue
        if result.operation == "sites" and isinstance(result.data, dict):
            totals["sites"] += int(result.data.get("count") or 0)
        if result.operation == "disks" and isinstance(result.data, list):
            add_disks(totals, result.data)

    return totals


def add_disks(totals: dict[str, int], mounts: list[Any]) -> None:
    for mount in mounts:
        if not isinstance(mount, dict):
            continue
        totals["disk_size_bytes"] += int(mount.get("size_bytes") or 0)
        totals["disk_used_bytes"] += int(mount.get("used_bytes") or 0)
        totals["disk_free_bytes"] += int(mount.get("free_bytes") or 0)
