"""Loading an inventory file into checked, merged Panel records.

Problems in ``defaults`` and ``groups`` stop the load at once, because every
panel depends on them. Problems in separate panels are collected, so one run
reports all broken panels, one line each.
"""

from __future__ import annotations

import os
from collections.abc import Mapping

from yaml.nodes import MappingNode, Node

from fleet.errors import ConfigError
from fleet.inventory.document import base_directory, read_document
from fleet.inventory.keys import KeyReader, RepeatedKeyError
from fleet.inventory.layers import LAYER_KEYS, Layer, read_layer
from fleet.inventory.mappings import (
    Entry,
    check_known_keys,
    describe_node,
    mapping_entries,
    sequence_items,
)
from fleet.inventory.model import Inventory, Panel
from fleet.inventory.panels import PanelBuilder
from fleet.inventory.scalars import read_name
from fleet.inventory.scope import Scope, line_number

TOP_LEVEL_KEYS = frozenset({"defaults", "groups", "panels"})

# Top-level keys with this prefix are ignored, so they can hold YAML anchors
# for reuse, as in Docker Compose files.
EXTENSION_PREFIX = "x-"


def load_inventory(
    path: str | os.PathLike[str], environ: Mapping[str, str] | None = None
) -> Inventory:
    """Load, check and merge an inventory file, raising ConfigError on a problem.

    ``environ`` supplies the variables that ``key_env`` names and defaults to
    the process environment.
    """
    path_text = os.fspath(path)
    try:
        return _load(path_text, environ)
    except RecursionError:
        raise ConfigError(
            f"{path_text}: the YAML is nested too deeply to read; an inventory "
            "needs only a few levels of nesting"
        ) from None


def _load(path_text: str, environ: Mapping[str, str] | None) -> Inventory:
    scope = Scope(path=path_text, base_dir=base_directory(path_text))
    top_level = _read_top_level(read_document(path_text), scope)
    defaults = _read_defaults(top_level, scope)
    groups = _read_groups(top_level, scope)
    keys = KeyReader(os.environ if environ is None else environ)
    builder = PanelBuilder(scope, defaults, groups, keys)
    panels, warnings = _build_panels(builder, _panel_nodes(top_level, scope), scope)

    return Inventory(
        path=path_text,
        panels=tuple(panels),
        groups=tuple(groups),
        warnings=tuple(warnings),
    )


def _read_top_level(root: Node | None, scope: Scope) -> dict[str, Entry]:
    if root is None:
        raise ConfigError(
            f"{scope.path}: the inventory is empty; it needs a 'panels' list"
        )
    if not isinstance(root, MappingNode):
        raise scope.error(
            root,
            "the top level must be a mapping with a 'panels' list, not "
            f"{describe_node(root)}",
        )
    entries = mapping_entries(root, scope, "the top level")
    own_entries = {
        key: entry
        for key, entry in entries.items()
        if not key.startswith(EXTENSION_PREFIX)
    }
    check_known_keys(own_entries, TOP_LEVEL_KEYS, scope, "the top level")
    if "panels" not in own_entries:
        raise scope.error(
            root, "the inventory has no 'panels' list; add one with at least one panel"
        )

    return own_entries


def _read_defaults(top_level: dict[str, Entry], scope: Scope) -> Layer:
    if "defaults" not in top_level:
        return {}
    scope = scope.for_subject("defaults")
    entries = mapping_entries(top_level["defaults"][1], scope, "defaults")
    check_known_keys(entries, LAYER_KEYS, scope, "defaults")

    return read_layer(entries, scope)


def _read_groups(top_level: dict[str, Entry], scope: Scope) -> dict[str, Layer]:
    if "groups" not in top_level:
        return {}
    groups: dict[str, Layer] = {}
    errors: list[str] = []
    for name, (key_node, value_node) in mapping_entries(
        top_level["groups"][1], scope, "groups"
    ).items():
        try:
            group_name = read_name(key_node, scope, "group name")
            group_scope = scope.for_subject(f"group '{group_name}'")
            entries = mapping_entries(value_node, group_scope, f"group '{name}'")
            check_known_keys(entries, LAYER_KEYS, group_scope, "a group")
            groups[group_name] = read_layer(entries, group_scope)
        except ConfigError as exc:
            errors.append(str(exc))
    if errors:
        raise ConfigError("\n".join(errors))

    return groups


def _panel_nodes(top_level: dict[str, Entry], scope: Scope) -> list[Node]:
    node = top_level["panels"][1]
    items = sequence_items(node, scope, "panels")
    if not items:
        raise scope.error(node, "'panels' is empty; add at least one panel")
    return items


def _build_panels(
    builder: PanelBuilder, nodes: list[Node], scope: Scope
) -> tuple[list[Panel], list[str]]:
    panels: list[Panel] = []
    warnings: list[str] = []
    errors: list[str] = []
    seen = _SeenPanels(scope)
    for index, node in enumerate(nodes, start=1):
        try:
            panel, panel_warnings = builder.build(node, index)
            seen.check(panel, node)
        except RepeatedKeyError:
            continue
        except ConfigError as exc:
            errors.append(str(exc))
            continue
        panels.append(panel)
        warnings.extend(panel_warnings)
    if errors:
        raise ConfigError("\n".join(errors))

    return panels, warnings


class _SeenPanels:
    """Names and URLs of the panels built so far, to reject repeats."""

    def __init__(self, scope: Scope) -> None:
        self._scope = scope
        self._by_name: dict[str, int] = {}
        self._by_url: dict[str, tuple[str, int]] = {}

    def check(self, panel: Panel, node: Node) -> None:
        """Raise if an earlier panel has the same name or normalised URL."""
        scope = self._scope.for_subject(f"panel '{panel.name}'")
        line = line_number(node)
        if panel.name in self._by_name:
            raise scope.error(
                node,
                f"the name is already used by the panel at line "
                f"{self._by_name[panel.name]}; give each panel a unique name",
            )
        if panel.url in self._by_url:
            other_name, other_line = self._by_url[panel.url]
            raise scope.error(
                node,
                f"URL '{panel.url}' is also the URL of panel '{other_name}' at "
                f"line {other_line}; list each panel once",
            )
        self._by_name[panel.name] = line
        self._by_url[panel.url] = (panel.name, line)
