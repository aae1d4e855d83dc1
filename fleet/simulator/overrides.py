"""Parse the ``overrides`` mapping that pins chosen facts of a panel's data.

Known keys and their values:

``panel_version`` (str)
    The version string in GetSystemTotal, GetNetWork and UpdatePanel.
``disk_used_percent``, ``cpu_percent``, ``memory_used_percent`` (0 to 100)
    Usage of the ``/`` disk, the CPU and the memory.
``uptime_days`` (int)
    Uptime reported by GetSystemTotal.
``ssl_expiry_days`` (int, or a mapping of site name to int or None)
    Days until each site's certificate expires (negative: already expired);
    an int applies to every site, None in a mapping means no certificate.
``backup_age_days`` (int, or a mapping of site name to int or None)
    Age in days of each site's newest backup; None means no backup.
``stopped_sites`` (list of site names)
    Sites that start in the stopped state.
``php_versions`` (list such as ["74", "82"])
    Installed PHP versions.
``site_names`` (list of names)
    Names of the first sites, in id order.
``update_available`` (bool)
    Whether UpdatePanel reports a newer version.
``task_count`` (int)
    The number GetTaskCount returns.
``site_remark_bytes`` (int)
    Length of every site's remark (``ps``), which makes each getData page
    of sites about this many bytes per site; 0 keeps the generated remarks.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable, Mapping
from types import MappingProxyType

_PHP_VERSION = re.compile(r"^[0-9]{2}$")


@dataclasses.dataclass(frozen=True, slots=True)
class PerSiteDays:
    """A day count that applies to every site, to named sites, or to both.

    ``by_site`` wins over ``every_site``; None as a value means the site has
    none of the thing counted.
    """

    every_site: int | None = None
    by_site: Mapping[str, int | None] = dataclasses.field(
        default_factory=lambda: MappingProxyType({})
    )

    def lookup(self, site: str, generated: int | None) -> int | None:
        """Return the pinned value for a site, or the generated one when unpinned."""
        if site in self.by_site:
            return self.by_site[site]
        if self.every_site is not None:
            return self.every_site
        return generated


@dataclasses.dataclass(frozen=True, slots=True)
class DataOverrides:
    """Parsed overrides; None means the value is generated from the seed."""

    panel_version: str | None = None
    disk_used_percent: float | None = None
    cpu_percent: float | None = None
    memory_used_percent: float | None = None
    uptime_days: int | None = None
    ssl_expiry_days: PerSiteDays = PerSiteDays()
    backup_age_days: PerSiteDays = PerSiteDays()
    stopped_sites: frozenset[str] = frozenset()
    php_versions: tuple[str, ...] | None = None
    site_names: tuple[str, ...] | None = None
    update_available: bool = False
    task_count: int = 0
    site_remark_bytes: int = 0


def parse_overrides(panel: str, raw: Mapping[str, object]) -> DataOverrides:
    """Check and convert an overrides mapping, raising ValueError on bad input."""
    values: dict[str, object] = {}
    for key, value in raw.items():
        parser = _PARSERS.get(key)
        if parser is None:
            known = ", ".join(sorted(_PARSERS))
            raise ValueError(
                f"panel {panel}: unknown override {key!r}; known overrides: {known}"
            )
        try:
            values[key] = parser(value)
        except (TypeError, ValueError) as exc:
            raise ValueError(f"panel {panel}: override {key!r}: {exc}") from None

    return DataOverrides(**values)  # type: ignore[arg-type]


def _parse_text(value: object) -> str:
    if not isinstance(value, str) or not value:
        raise ValueError(f"expected a non-empty string, got {value!r}")
    return value


def _parse_percent(value: object) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError(f"expected a number from 0 to 100, got {value!r}")
    if not 0 <= value <= 100:
        raise ValueError(f"expected a number from 0 to 100, got {value!r}")
    return float(value)


def _parse_int(value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError(f"expected an integer, got {value!r}")
    return value


def _parse_count(value: object) -> int:
    number = _parse_int(value)
    if number < 0:
        raise ValueError(f"expected an integer >= 0, got {number}")
    return number


def _parse_optional_int(value: object) -> int | None:
    return None if value is None else _parse_int(value)


def _parse_per_site(value: object) -> PerSiteDays:
    if isinstance(value, Mapping):
        by_site = {_parse_text(k): _parse_optional_int(v) for k, v in value.items()}
        return PerSiteDays(by_site=MappingProxyType(by_site))
    return PerSiteDays(every_site=_parse_int(value))


def _parse_names(value: object) -> tuple[str, ...]:
    if isinstance(value, str) or not isinstance(value, list | tuple | set | frozenset):
        raise ValueError(f"expected a list of strings, got {value!r}")
    return tuple(_parse_text(item) for item in value)


def _parse_php_versions(value: object) -> tuple[str, ...]:
    versions = _parse_names(value)
    for version in versions:
        if not _PHP_VERSION.match(version):
            raise ValueError(f"PHP versions look like '74' or '82', got {version!r}")
    return versions


def _parse_bool(value: object) -> bool:
    if not isinstance(value, bool):
        raise ValueError(f"expected true or false, got {value!r}")
    return value


_PARSERS: dict[str, Callable[[object], object]] = {
    "panel_version": _parse_text,
    "disk_used_percent": _parse_percent,
    "cpu_percent": _parse_percent,
    "memory_used_percent": _parse_percent,
    "uptime_days": _parse_count,
    "ssl_expiry_days": _parse_per_site,
    "backup_age_days": _parse_per_site,
    "stopped_sites": lambda value: frozenset(_parse_names(value)),
    "php_versions": _parse_php_versions,
    "site_names": _parse_names,
    "update_available": _parse_bool,
    "task_count": _parse_count,
    "site_remark_bytes": _parse_count,
}
