"""The context every check may read besides the panel's own facts."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable, Mapping

from fleet.audit.facts import PanelFacts

_NUMBER = re.compile(r"\d+")
FLAVOUR_NAMES = {"baota": "BaoTa", "aapanel": "aaPanel"}


@dataclasses.dataclass(frozen=True, slots=True)
class FleetContext:
    """The time of the audit and the newest panel version of each flavour."""

    now: float  # epoch seconds
    newest: Mapping[str, str]


def version_key(version: str) -> tuple[int, ...]:
    """Turn "11.7.0" into (11, 7, 0) so versions compare by number."""
    return tuple(int(part) for part in _NUMBER.findall(version))


def newest_versions(facts: Iterable[PanelFacts]) -> dict[str, str]:
    """Return the newest version seen per flavour among the panels reached.

    BaoTa and aaPanel number their releases independently (BaoTa 11.x,
    aaPanel 8.x), so each flavour is compared only with itself.
    """
    newest: dict[str, str] = {}
    for panel in facts:
        if not panel.flavour or not panel.version or not version_key(panel.version):
            continue
        current = newest.get(panel.flavour)
        if current is None or version_key(panel.version) > version_key(current):
            newest[panel.flavour] = panel.version

    return newest


def flavour_name(flavour: str | None) -> str:
    return FLAVOUR_NAMES.get(flavour or "", flavour or "panel")
