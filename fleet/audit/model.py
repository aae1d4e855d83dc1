"""Severities and findings, the result model every audit report renders."""

from __future__ import annotations

import dataclasses
import enum
from typing import Any


class Severity(enum.StrEnum):
    """How bad a finding is, with the exit code of the monitoring convention.

    Nagios-style checks exit 0 for ok, 1 for warning, 2 for critical and 3 for
    unknown. When a run has several, the worst wins in the order ok, warning,
    unknown, critical: an unreachable panel makes the audit incomplete, which
    outweighs a warning, but never hides a confirmed critical finding.
    """

    OK = "ok"
    WARNING = "warning"
    CRITICAL = "critical"
    UNKNOWN = "unknown"

    @property
    def exit_code(self) -> int:
        return _EXIT_CODES[self]

    @property
    def rank(self) -> int:
        """Position in the worst-wins order: ok 0, warning 1, unknown 2, critical 3."""
        return _RANKS[self]


_EXIT_CODES = {
    Severity.OK: 0,
    Severity.WARNING: 1,
    Severity.CRITICAL: 2,
    Severity.UNKNOWN: 3,
}
_RANKS = {
    Severity.OK: 0,
    Severity.WARNING: 1,
    Severity.UNKNOWN: 2,
    Severity.CRITICAL: 3,
}


def worst(severities: Any) -> Severity:
    """Return the worst of some severities, or ok when there are none."""
    return max(severities, key=lambda severity: severity.rank, default=Severity.OK)


# The kind of object a finding is about.
PANEL = "panel"
MOUNT = "mount"
SITE = "site"
CERTIFICATE = "certificate"


@dataclasses.dataclass(frozen=True, slots=True)
class Finding:
    """The outcome of one check on one object of one panel.

    ``object_name`` is empty for checks of the whole panel. ``value`` is what
    was measured (a percentage, a day count, a version) and ``limit`` the
    threshold it was compared with, both for reports and metrics.
    """

    check: str
    severity: Severity
    panel: str
    object_kind: str
    object_name: str
    message: str
    value: float | str | None = None
    limit: float | str | None = None

    @property
    def key(self) -> tuple[str, str, str]:
        """What identifies the finding across runs: panel, check and object."""
        return (self.panel, self.check, self.object_name)

    def sort_key(self) -> tuple[int, str, str, str]:
        """Order worst first, then by panel, check and object."""
        return (-self.severity.rank, self.panel, self.check, self.object_name)

    def to_record(self) -> dict[str, Any]:
        return {
            "severity": self.severity.value,
            "check": self.check,
            "panel": self.panel,
            "object_kind": self.object_kind,
            "object": self.object_name,
            "message": self.message,
            "value": self.value,
            "limit": self.limit,
        }

    @classmethod
    def from_record(cls, record: dict[str, Any]) -> Finding:
        return cls(
            check=record["check"],
            severity=Severity(record["severity"]),
            panel=record["panel"],
            object_kind=record["object_kind"],
            object_name=record["object"],
            message=record["message"],
            value=record.get("value"),
            limit=record.get("limit"),
        )
