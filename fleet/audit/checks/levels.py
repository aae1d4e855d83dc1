"""Compare a measured value with a warning and a critical level."""

from __future__ import annotations

from fleet.audit.model import Severity


def at_or_above(value: float, warning: float, critical: float) -> Severity:
    """Severity of a value that is worse the higher it is."""
    if value >= critical:
        return Severity.CRITICAL
    if value >= warning:
        return Severity.WARNING
    return Severity.OK


def level_text(severity: Severity, warning: float, critical: float) -> str:
    """Name the level that was crossed, or the warning level when none was."""
    if severity is Severity.CRITICAL:
        return f"critical at {critical:g}"
    return f"warning at {warning:g}"
