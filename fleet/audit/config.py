"""Thresholds of every audit check and how a panel's thresholds are merged.

Each check has a section of settings. The built-in defaults below apply
unless the audit configuration file overrides them in ``defaults``, in a
group the panel belongs to (in the order the inventory lists its groups) or
for the panel itself; each layer overrides single keys, not whole sections.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from types import MappingProxyType
from typing import Any

from fleet.audit.model import Severity
from fleet.errors import ConfigError

LOAD_AVERAGES = ("1m", "5m", "15m")
FLAVOURS = ("baota", "aapanel")


@dataclasses.dataclass(frozen=True, slots=True)
class UsageLimits:
    """Percent used of a disk, of its inodes or of memory."""

    enabled: bool = True
    warning: float = 80.0
    critical: float = 90.0


@dataclasses.dataclass(frozen=True, slots=True)
class LoadLimits:
    """Load average divided by the CPU count."""

    enabled: bool = True
    warning: float = 1.5
    critical: float = 3.0
    average: str = "15m"


@dataclasses.dataclass(frozen=True, slots=True)
class VersionLimits:
    """Panel version: behind the fleet's newest, or below a minimum (critical)."""

    enabled: bool = True
    behind_newest: Severity = Severity.WARNING
    minimum: Mapping[str, str] = dataclasses.field(
        default_factory=lambda: MappingProxyType({})
    )


@dataclasses.dataclass(frozen=True, slots=True)
class CertificateLimits:
    """Days until a certificate expires; an expired one is always critical."""

    enabled: bool = True
    warning_days: int = 21
    critical_days: int = 7


@dataclasses.dataclass(frozen=True, slots=True)
class BackupLimits:
    """Age in days of a site's newest backup; no backup at all is critical."""

    enabled: bool = True
    warning_days: float = 2.0
    critical_days: float = 7.0


@dataclasses.dataclass(frozen=True, slots=True)
class StoppedSiteLimits:
    """Severity of a stopped site, and site name globs that may be stopped."""

    enabled: bool = True
    severity: Severity = Severity.WARNING
    ignore: tuple[str, ...] = ()


@dataclasses.dataclass(frozen=True, slots=True)
class PhpEolLimits:
    """PHP in use: critical past its end of life, warning this many days before."""

    enabled: bool = True
    warning_days: int = 90


@dataclasses.dataclass(frozen=True, slots=True)
class Thresholds:
    """The settings of every check for one panel."""

    disk: UsageLimits = UsageLimits()
    inodes: UsageLimits = UsageLimits()
    memory: UsageLimits = UsageLimits(warning=90.0, critical=95.0)
    load: LoadLimits = LoadLimits()
    panel_version: VersionLimits = VersionLimits()
    certificates: CertificateLimits = CertificateLimits()
    backups: BackupLimits = BackupLimits()
    stopped_sites: StoppedSiteLimits = StoppedSiteLimits()
    php_eol: PhpEolLimits = PhpEolLimits()


DEFAULT_THRESHOLDS = Thresholds()

# One configuration layer: section -> key -> (value, "FILE:LINE:COL").
Located = tuple[Any, str]
Layer = Mapping[str, Mapping[str, Located]]


@dataclasses.dataclass(frozen=True, slots=True)
class AuditConfig:
    """The thresholds of every panel of the inventory, already merged and checked."""

    path: str | None = None
    by_panel: Mapping[str, Thresholds] = dataclasses.field(
        default_factory=lambda: MappingProxyType({})
    )

    def for_panel(self, name: str) -> Thresholds:
        return self.by_panel.get(name, DEFAULT_THRESHOLDS)


def merge_layers(subject: str, layers: list[Layer]) -> Thresholds:
    """Apply layers over the defaults, then check that every pair of limits fits.

    Raises ConfigError at the more specific of two limits that contradict each
    other, for example a warning level above the critical level.
    """
    thresholds = DEFAULT_THRESHOLDS
    # (section, key) -> (layer index, "FILE:LINE:COL") of the value in force.
    origins: dict[tuple[str, str], tuple[int, str]] = {}
    for index, layer in enumerate(layers):
        for section, values in layer.items():
            current = getattr(thresholds, section)
            changes = {key: value for key, (value, _) in values.items()}
            merged = dataclasses.replace(current, **changes)
            thresholds = dataclasses.replace(thresholds, **{section: merged})
            for key, (_, location) in values.items():
                origins[(section, key)] = (index, location)
    check_order(subject, thresholds, origins)

    return thresholds


# (section, lower key, higher key): the first must not exceed the second.
_ORDERED_PAIRS = (
    ("disk", "warning", "critical"),
    ("inodes", "warning", "critical"),
    ("memory", "warning", "critical"),
    ("load", "warning", "critical"),
    ("certificates", "critical_days", "warning_days"),
    ("backups", "warning_days", "critical_days"),
)
BUILT_IN = (-1, "the built-in default")


def check_order(
    subject: str,
    thresholds: Thresholds,
    origins: dict[tuple[str, str], tuple[int, str]],
) -> None:
    for section, low_key, high_key in _ORDERED_PAIRS:
        limits = getattr(thresholds, section)
        low, high = getattr(limits, low_key), getattr(limits, high_key)
        if low <= high:
            continue
        low_origin = origins.get((section, low_key), BUILT_IN)
        high_origin = origins.get((section, high_key), BUILT_IN)
        _, location = max(low_origin, high_origin)
        raise ConfigError(
            f"{location}: {subject}: {section}.{low_key} ({low}, from "
            f"{low_origin[1]}) must not be above {section}.{high_key} ({high}, "
            f"from {high_origin[1]}); change one of them"
        )
