"""Reading one panel entry and applying defaults and groups to it."""

from __future__ import annotations

import difflib
from collections.abc import Mapping

from yaml.nodes import Node

from fleet.inventory.keys import KeyReader, KeySource
from fleet.inventory.layers import LAYER_KEYS, Layer, read_layer
from fleet.inventory.mappings import (
    Entry,
    check_known_keys,
    mapping_entries,
    sequence_items,
)
from fleet.inventory.model import Panel, Secret
from fleet.inventory.scalars import read_name, read_text
from fleet.inventory.scope import Scope
from fleet.inventory.settings import (
    build_address_family,
    build_limits,
    build_tags,
    build_timeouts,
    build_tls,
    merge_layers,
)
from fleet.inventory.urls import DEFAULT_PANEL_PORT, PanelURL, URLError, parse_panel_url

PANEL_KEYS = LAYER_KEYS | {"name", "url", "groups"}


class PanelBuilder:
    """Builder of Panel records from entries of the ``panels`` list."""

    def __init__(
        self,
        scope: Scope,
        defaults: Layer,
        groups: Mapping[str, Layer],
        keys: KeyReader,
    ) -> None:
        self._scope = scope
        self._defaults = defaults
        self._groups = groups
        self._keys = keys

    def build(self, node: Node, index: int) -> tuple[Panel, list[str]]:
        """Build the panel at 1-based ``index`` and return it with its warnings."""
        entry_scope = self._scope.for_subject(f"panel #{index}")
        entries = mapping_entries(node, entry_scope, "a panel entry")
        check_known_keys(entries, PANEL_KEYS, entry_scope, "a panel")
        name = _read_required_name(entries, node, entry_scope)
        scope = self._scope.for_subject(f"panel '{name}'")
        url, warnings = _read_url(entries, node, scope)
        group_names = self._read_group_names(entries, scope)

        own_layer = read_layer(entries, scope)
        group_layers = [self._groups[group] for group in group_names]
        merged = merge_layers([self._defaults, *group_layers, own_layer])
        secret, key_warnings = self._read_key(merged, node, scope)

        panel = Panel(
            name=name,
            url=url.url,
            key=secret,
            groups=tuple(group_names),
            tags=build_tags(merged),
            timeouts=build_timeouts(merged),
            tls=build_tls(merged, scope),
            limits=build_limits(merged),
            address_family=build_address_family(merged, url.host_family, scope),
            source=scope.line_of(node),
        )
        return panel, warnings + key_warnings

    def _read_key(
        self, merged: Layer, node: Node, scope: Scope
    ) -> tuple[Secret, list[str]]:
        setting = merged.get("key")
        if setting is None:
            raise scope.error(
                node,
                "has no API key; set key_env, key_file or key in the panel, one "
                "of its groups or defaults",
            )
        # read_layer stores only KeySource values under "key".
        assert isinstance(setting.value, KeySource)
        return self._keys.read(setting.value, scope)

    def _read_group_names(self, entries: dict[str, Entry], scope: Scope) -> list[str]:
        if "groups" not in entries:
            return []
        names: list[str] = []
        for item in sequence_items(entries["groups"][1], scope, "groups"):
            name = read_name(item, scope, "group name")
            if name in names:
                raise scope.error(item, f"group '{name}' is listed twice; remove one")
            if name not in self._groups:
                raise scope.error(item, _undefined_group_detail(name, self._groups))
            names.append(name)

        return names


def _read_required_name(entries: dict[str, Entry], node: Node, scope: Scope) -> str:
    if "name" not in entries:
        raise scope.error(node, "has no name; add 'name: NAME' to the entry")
    return read_name(entries["name"][1], scope, "name")


def _read_url(
    entries: dict[str, Entry], node: Node, scope: Scope
) -> tuple[PanelURL, list[str]]:
    if "url" not in entries:
        raise scope.error(node, "has no url; add 'url: https://HOST:PORT'")
    url_node = entries["url"][1]
    written = read_text(url_node, scope, "url")
    try:
        url = parse_panel_url(written)
    except URLError as exc:
        raise scope.error(url_node, str(exc)) from None
    warnings = []
    if not url.port_written:
        warnings.append(
            scope.message_at(
                scope.locate(url_node),
                f"URL '{written}' has no port, so fleet uses {DEFAULT_PANEL_PORT}, "
                "the panel's default; write the port to silence this warning",
            )
        )

    return url, warnings


def _undefined_group_detail(name: str, groups: Mapping[str, Layer]) -> str:
    detail = f"group '{name}' is not defined under 'groups'"
    close = difflib.get_close_matches(name, list(groups), n=1)
    if close:
        return f"{detail}; did you mean '{close[0]}'?"
    if groups:
        return f"{detail}; defined groups are {', '.join(groups)}"
    return f"{detail}; add it there or remove it from this panel"
