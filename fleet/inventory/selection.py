"""Choosing panels by name pattern, group and tag.

The three filters combine with AND. Items within ``limit`` and ``groups``
combine with OR, and every ``tags`` item must match.
"""

from __future__ import annotations

import dataclasses
import difflib
import fnmatch
from collections.abc import Callable, Sequence

from fleet.errors import ConfigError
from fleet.inventory.model import Inventory, Panel

PanelTest = Callable[[Panel], bool]

_GLOB_CHARACTERS = frozenset("*?[")


@dataclasses.dataclass(frozen=True, slots=True)
class _Criterion:
    """One filter, with its description for the empty-selection message."""

    description: str
    matches: PanelTest


def select_panels(
    inventory: Inventory,
    limit: Sequence[str] = (),
    groups: Sequence[str] = (),
    tags: Sequence[str] = (),
) -> list[Panel]:
    """Return the panels that pass every filter, in inventory order.

    ``limit`` items are comma-separated name globs; a glob starting with '!'
    excludes, and exclusions alone start from all panels. ``groups`` items are
    group names, comma-separated allowed. ``tags`` items are ``NAME=GLOB``.
    Raises ConfigError for a malformed item, a name or group that does not
    exist, or a selection that matches no panel.
    """
    criteria = [
        *_limit_criteria(limit, inventory),
        *_group_criteria(groups, inventory),
        *(_tag_criterion(item) for item in tags),
    ]
    selected = [
        panel
        for panel in inventory.panels
        if all(criterion.matches(panel) for criterion in criteria)
    ]
    if not selected:
        raise ConfigError(_describe_empty_selection(criteria, inventory))

    return selected


def _split_items(items: Sequence[str], option: str) -> list[str]:
    """Split comma lists, rejecting empty items.

    An empty item is almost always an unset shell variable (``--limit "$X"``);
    ignoring it would select the whole fleet, even for a write.
    """
    parts = [part.strip() for item in items for part in item.split(",")]
    if any(not part for part in parts):
        raise ConfigError(
            f"{option} has an empty item (was a shell variable unset?); "
            f"give a name or pattern, or leave {option} out to select all panels"
        )
    return parts


def _limit_criteria(limit: Sequence[str], inventory: Inventory) -> list[_Criterion]:
    patterns = _split_items(limit, "--limit")
    names = [panel.name for panel in inventory.panels]
    for pattern in patterns:
        _check_limit_pattern(pattern.removeprefix("!"), pattern, names)
    includes = [pattern for pattern in patterns if not pattern.startswith("!")]
    excludes = [pattern[1:] for pattern in patterns if pattern.startswith("!")]
    criteria = []
    if includes:
        criteria.append(
            _Criterion(
                f"limit '{','.join(includes)}'",
                lambda panel: _matches_any(panel.name, includes),
            )
        )
    if excludes:
        criteria.append(
            _Criterion(
                f"limit '{','.join('!' + pattern for pattern in excludes)}'",
                lambda panel: not _matches_any(panel.name, excludes),
            )
        )

    return criteria


def _check_limit_pattern(pattern: str, written: str, names: list[str]) -> None:
    """Reject an empty pattern and an exact name that is not in the inventory.

    A mistyped exact name would otherwise narrow or widen the run without a
    word, which matters most for an exclusion such as '!prod-db'.
    """
    if not pattern:
        raise ConfigError(f"limit item '{written}' has no name after '!'")
    if _GLOB_CHARACTERS.intersection(pattern) or pattern in names:
        return
    message = f"limit item '{written}': no panel is named '{pattern}'"
    # Compare in lower case so that 'WEB-1' still suggests 'web-1'.
    by_lower = {name.lower(): name for name in names}
    close = difflib.get_close_matches(pattern.lower(), list(by_lower), n=1)
    if close:
        message += f"; did you mean '{by_lower[close[0]]}'?"
    raise ConfigError(message)


def _matches_any(name: str, patterns: list[str]) -> bool:
    return any(fnmatch.fnmatchcase(name, pattern) for pattern in patterns)


def _group_criteria(groups: Sequence[str], inventory: Inventory) -> list[_Criterion]:
    names = _split_items(groups, "--group")
    if not names:
        return []
    for name in names:
        if name not in inventory.groups:
            known = ", ".join(inventory.groups) or "none"
            raise ConfigError(
                f"group '{name}' is not defined in {inventory.path}; defined "
                f"groups: {known}"
            )
    requested = frozenset(names)

    return [
        _Criterion(
            f"groups '{','.join(names)}'",
            lambda panel: not requested.isdisjoint(panel.groups),
        )
    ]


def _tag_criterion(item: str) -> _Criterion:
    name, equals, pattern = item.partition("=")
    name = name.strip()
    if not equals or not name:
        raise ConfigError(
            f"tag filter '{item}' is not NAME=VALUE; write it as, for example, "
            "env=prod (the value may be a glob such as 'prod*')"
        )
    pattern = pattern.strip()

    def matches(panel: Panel) -> bool:
        value = panel.tags.get(name)
        return value is not None and fnmatch.fnmatchcase(value, pattern)

    return _Criterion(f"tag '{name}={pattern}'", matches)


def _describe_empty_selection(criteria: list[_Criterion], inventory: Inventory) -> str:
    count = len(inventory.panels)
    noun = "panel" if count == 1 else "panels"
    inventory_size = f"the inventory {inventory.path} has {count} {noun}"
    if not criteria:
        return inventory_size
    for criterion in criteria:
        if not any(criterion.matches(panel) for panel in inventory.panels):
            return f"{criterion.description} matches no panel; {inventory_size}"
    described = " and ".join(criterion.description for criterion in criteria)

    return (
        f"no panel matches {described} together, although each matches some "
        f"panels; {inventory_size}"
    )
