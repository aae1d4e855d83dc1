"""Read the audit configuration file, as strictly as the inventory.

Every problem raises ConfigError with ``FILE:LINE:COL`` before any panel is
contacted: YAML errors, unknown keys (with a suggestion), wrongly typed or
out-of-range values, groups and panels that the inventory does not have, and
limits that contradict each other once merged for a panel.
"""

from __future__ import annotations

import math
import os
from collections.abc import Callable
from types import MappingProxyType
from typing import Any

import yaml
from yaml.constructor import SafeConstructor
from yaml.nodes import MappingNode, Node, ScalarNode

from fleet.audit.config import (
    FLAVOURS,
    LOAD_AVERAGES,
    AuditConfig,
    Layer,
    Located,
    Thresholds,
    merge_layers,
)
from fleet.audit.model import Severity
from fleet.errors import ConfigError
from fleet.inventory.document import InventoryLoader
from fleet.inventory.mappings import (
    check_known_keys,
    describe_node,
    mapping_entries,
    sequence_items,
)
from fleet.inventory.model import Inventory
from fleet.inventory.scalars import (
    FLOAT_TAG,
    INT_TAG,
    STR_TAG,
    read_bool,
    read_choice,
    read_text,
)
from fleet.inventory.scope import Scope

TOP_LEVEL_KEYS = frozenset({"defaults", "groups", "panels"})
EXTENSION_PREFIX = "x-"
SEVERITY_CHOICES = ("ok", "warning", "critical")

Reader = Callable[[Node, Scope, str], Any]
_CONSTRUCTOR = SafeConstructor()


def read_number(
    node: Node, scope: Scope, field: str, minimum: float, maximum: float | None
) -> float:
    """Return a number within [minimum, maximum]."""
    upper = f" and at most {maximum:g}" if maximum is not None else ""
    requirement = f"a number of at least {minimum:g}{upper}"
    value: float | None = None
    if isinstance(node, ScalarNode) and node.tag == INT_TAG:
        value = float(_CONSTRUCTOR.construct_yaml_int(node))
    elif isinstance(node, ScalarNode) and node.tag == FLOAT_TAG:
        value = float(_CONSTRUCTOR.construct_yaml_float(node))
    if value is None or not math.isfinite(value):
        shown = node.value if isinstance(node, ScalarNode) else describe_node(node)
        hint = "; remove the quotes" if _is_quoted_number(node) else ""
        raise scope.error(node, f"{field} must be {requirement}, not {shown}{hint}")
    if value < minimum or (maximum is not None and value > maximum):
        raise scope.error(node, f"{field} must be {requirement}, not {value:g}")

    return value


def _is_quoted_number(node: Node) -> bool:
    if not (isinstance(node, ScalarNode) and node.tag == STR_TAG):
        return False
    try:
        float(node.value)
    except ValueError:
        return False
    return True


def percent(node: Node, scope: Scope, field: str) -> float:
    return read_number(node, scope, field, 0, 100)


def positive(node: Node, scope: Scope, field: str) -> float:
    return read_number(node, scope, field, 0, None)


def days(node: Node, scope: Scope, field: str) -> int:
    value = read_number(node, scope, field, 0, None)
    if value != int(value):
        raise scope.error(node, f"{field} must be a whole number of days, not {value}")
    return int(value)


def severity(node: Node, scope: Scope, field: str) -> Severity:
    return Severity(read_choice(node, scope, field, SEVERITY_CHOICES))


def average(node: Node, scope: Scope, field: str) -> str:
    return read_choice(node, scope, field, LOAD_AVERAGES)


def site_globs(node: Node, scope: Scope, field: str) -> tuple[str, ...]:
    items = sequence_items(node, scope, field)
    return tuple(read_text(item, scope, f"{field} entry") for item in items)


def minimum_versions(
    node: Node, scope: Scope, field: str
) -> MappingProxyType[str, str]:
    entries = mapping_entries(node, scope, field)
    check_known_keys(entries, FLAVOURS, scope, field)
    versions: dict[str, str] = {}
    for flavour, (_key, value) in entries.items():
        text = read_text(value, scope, f"{field}.{flavour}")
        if not all(part.isdigit() for part in text.split(".")):
            raise scope.error(
                value,
                f"{field}.{flavour} '{text}' is not a version; write it as "
                'digits and dots in quotes, for example "9.0.0"',
            )
        versions[flavour] = text

    return MappingProxyType(versions)


_USAGE: dict[str, Reader] = {
    "enabled": read_bool,
    "warning": percent,
    "critical": percent,
}
SECTIONS: dict[str, dict[str, Reader]] = {
    "disk": _USAGE,
    "inodes": _USAGE,
    "memory": _USAGE,
    "load": {
        "enabled": read_bool,
        "warning": positive,
        "critical": positive,
        "average": average,
    },
    "panel_version": {
        "enabled": read_bool,
        "behind_newest": severity,
        "minimum": minimum_versions,
    },
    "certificates": {
        "enabled": read_bool,
        "warning_days": days,
        "critical_days": days,
    },
    "backups": {
        "enabled": read_bool,
        "warning_days": positive,
        "critical_days": positive,
    },
    "stopped_sites": {
        "enabled": read_bool,
        "severity": severity,
        "ignore": site_globs,
    },
    "php_eol": {"enabled": read_bool, "warning_days": days},
}


def load_audit_config(
    path: str | os.PathLike[str], inventory: Inventory
) -> AuditConfig:
    """Read, check and merge the audit configuration for every inventory panel."""
    path_text = os.fspath(path)
    scope = Scope(path=path_text, base_dir=os.path.dirname(os.path.abspath(path)))
    top = read_top_level(path_text, scope)
    defaults = read_layer(top.get("defaults"), scope.for_subject("defaults"))
    groups = read_named_layers(top.get("groups"), scope, "group", inventory.groups)
    panel_names = tuple(panel.name for panel in inventory.panels)
    panels = read_named_layers(top.get("panels"), scope, "panel", panel_names)
    by_panel: dict[str, Thresholds] = {}
    for panel in inventory.panels:
        layers = [defaults]
        layers += [groups[group] for group in panel.groups if group in groups]
        layers += [panels[panel.name]] if panel.name in panels else []
        by_panel[panel.name] = merge_layers(f"panel '{panel.name}'", layers)

    return AuditConfig(path=path_text, by_panel=MappingProxyType(by_panel))


def read_top_level(path: str, scope: Scope) -> dict[str, Node]:
    root = read_yaml(path)
    if root is None:
        return {}
    if not isinstance(root, MappingNode):
        raise scope.error(
            root,
            "the top level must be a mapping with 'defaults', 'groups' or "
            f"'panels', not {describe_node(root)}",
        )
    entries = mapping_entries(root, scope, "the top level")
    own = {k: v for k, v in entries.items() if not k.startswith(EXTENSION_PREFIX)}
    check_known_keys(own, TOP_LEVEL_KEYS, scope, "the top level")

    return {key: value for key, (_key_node, value) in own.items()}


def read_yaml(path: str) -> Node | None:
    """Compose the file into nodes that keep their positions."""
    try:
        with open(path, encoding="utf-8-sig") as stream:
            text = stream.read()
    except OSError as error:
        raise ConfigError(
            f"{path}: cannot read the audit configuration: {error.strerror or error}"
        ) from None
    except UnicodeDecodeError as error:
        raise ConfigError(
            f"{path}: the audit configuration is not UTF-8 text (invalid byte at "
            f"offset {error.start}); save it as UTF-8"
        ) from None
    try:
        return yaml.compose(text, Loader=InventoryLoader)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        where = f"{path}:{mark.line + 1}:{mark.column + 1}" if mark else path
        problem = error.problem or error.context or "unknown problem"
        raise ConfigError(f"{where}: invalid YAML: {problem}") from None
    except yaml.YAMLError as error:
        raise ConfigError(f"{path}: invalid YAML: {error}") from None


def read_named_layers(
    node: Node | None, scope: Scope, kind: str, known: tuple[str, ...]
) -> dict[str, Layer]:
    """Read ``groups`` or ``panels``: names the inventory defines, each a layer."""
    if node is None:
        return {}
    layers: dict[str, Layer] = {}
    for name, (key_node, value) in mapping_entries(node, scope, f"{kind}s").items():
        if name not in known:
            raise scope.error(
                key_node,
                f"{kind} '{name}' is not in the inventory; check the spelling "
                f"or remove its settings",
            )
        layers[name] = read_layer(value, scope.for_subject(f"{kind} '{name}'"))

    return layers


def read_layer(node: Node | None, scope: Scope) -> Layer:
    """Read one layer: sections of check settings, each key with its position."""
    if node is None:
        return {}
    sections = mapping_entries(node, scope, "the settings")
    check_known_keys(sections, SECTIONS, scope, "the settings")
    layer: dict[str, dict[str, Located]] = {}
    for section, (_key_node, value) in sections.items():
        readers = SECTIONS[section]
        entries = mapping_entries(value, scope, section)
        check_known_keys(entries, readers, scope, section)
        layer[section] = {
            key: (readers[key](item, scope, f"{section}.{key}"), scope.locate(item))
            for key, (_node, item) in entries.items()
        }

    return layer
