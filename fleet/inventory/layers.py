"""Settings that one level (defaults, a group or a panel) writes explicitly.

A level is read into a flat ``Layer``: dotted names such as ``timeouts.read``
or ``tags.env`` mapped to the value and where it was written. Merging levels is
then a plain dict update, which gives the per-key merge of nested mappings.
"""

from __future__ import annotations

import dataclasses
import os
import re
from collections.abc import Callable

from yaml.nodes import Node, ScalarNode

from fleet.inventory.keys import KEY_FIELDS, KeySource
from fleet.inventory.mappings import Entry, check_known_keys, mapping_entries
from fleet.inventory.scalars import (
    STR_TAG,
    read_bool,
    read_choice,
    read_count,
    read_rate,
    read_seconds,
    read_text,
    yaml_type_name,
)
from fleet.inventory.scope import Scope


@dataclasses.dataclass(frozen=True, slots=True)
class Setting:
    """One value a level sets, with the ``FILE:LINE:COL`` it was written at."""

    value: object
    location: str


Layer = dict[str, Setting]
Reader = Callable[[Node, Scope, str], object]

ADDRESS_FAMILIES = ("auto", "ipv4", "ipv6")
LAYER_KEYS = frozenset(
    {"timeouts", "tls", "limits", "address_family", "tags", *KEY_FIELDS}
)
_HEX_DIGITS = re.compile(r"[0-9a-f]*")


def _read_ca_file(node: Node, scope: Scope, field: str) -> str:
    path = resolve_path(read_text(node, scope, field), scope)
    if not os.path.isfile(path):
        raise scope.error(
            node,
            f"{field} '{path}' not found; relative paths start at the "
            f"inventory's directory '{scope.base_dir}'",
        )
    return path


def _read_fingerprint(node: Node, scope: Scope, field: str) -> str:
    written = read_text(node, scope, field)
    digits = written.replace(":", "").lower()
    if not _HEX_DIGITS.fullmatch(digits):
        raise scope.error(
            node,
            f"{field} '{written}' contains characters other than hex digits and ':'",
        )
    if len(digits) != 64:
        raise scope.error(
            node,
            f"{field} '{written}' has {len(digits)} hex digits, but a SHA-256 "
            "fingerprint has 64; print it with 'openssl x509 -noout "
            "-fingerprint -sha256 -in CERT'",
        )
    return digits


_SECTIONS: dict[str, dict[str, Reader]] = {
    "timeouts": {"connect": read_seconds, "read": read_seconds},
    "tls": {
        "verify": read_bool,
        "ca_file": _read_ca_file,
        "fingerprint": _read_fingerprint,
    },
    "limits": {
        "concurrency": lambda node, scope, field: read_count(node, scope, field, 1),
        "rate": read_rate,
        "retries": lambda node, scope, field: read_count(node, scope, field, 0),
        "max_response_bytes": (
            lambda node, scope, field: read_count(node, scope, field, 1)
        ),
    },
}


def resolve_path(written: str, scope: Scope) -> str:
    """Expand ``~`` and make a path absolute from the inventory's directory."""
    expanded = os.path.expanduser(written)
    return os.path.normpath(os.path.join(scope.base_dir, expanded))


def read_layer(entries: dict[str, Entry], scope: Scope) -> Layer:
    """Read the inheritable settings among a level's entries.

    The caller has already rejected unknown keys, so other keys (a panel's
    name, url and groups) are skipped here.
    """
    layer: Layer = {}
    for section, readers in _SECTIONS.items():
        if section in entries:
            layer.update(_read_section(section, entries[section][1], readers, scope))
    if "address_family" in entries:
        node = entries["address_family"][1]
        family = read_choice(node, scope, "address_family", ADDRESS_FAMILIES)
        layer["address_family"] = Setting(family, scope.locate(node))
    if "tags" in entries:
        layer.update(_read_tags(entries["tags"][1], scope))
    key_source = _read_key_source(entries, scope)
    if key_source is not None:
        layer["key"] = Setting(key_source, key_source.location)

    return layer


def _read_section(
    section: str, node: Node, readers: dict[str, Reader], scope: Scope
) -> Layer:
    entries = mapping_entries(node, scope, section)
    check_known_keys(entries, readers, scope, section)
    layer: Layer = {}
    for name, (_key_node, value_node) in entries.items():
        field = f"{section}.{name}"
        value = readers[name](value_node, scope, field)
        layer[field] = Setting(value, scope.locate(value_node))

    return layer


def _read_tags(node: Node, scope: Scope) -> Layer:
    layer: Layer = {}
    for name, (key_node, value_node) in mapping_entries(node, scope, "tags").items():
        _check_tag_name(key_node, scope)
        value = read_text(value_node, scope, f"tags.{name}")
        layer[f"tags.{name}"] = Setting(value, scope.locate(value_node))

    return layer


def _check_tag_name(key_node: ScalarNode, scope: Scope) -> None:
    name = str(key_node.value)
    if key_node.tag != STR_TAG:
        raise scope.error(
            key_node,
            f"YAML reads the tag name '{name}' as {yaml_type_name(key_node)}; "
            f'put it in quotes: "{name}": ...',
        )
    if not name or "=" in name or name != name.strip():
        raise scope.error(
            key_node,
            f"tag name '{name}' is invalid; it must be non-empty, without '=' "
            "(tag filters are written NAME=VALUE) and without surrounding "
            "spaces",
        )


def _read_key_source(entries: dict[str, Entry], scope: Scope) -> KeySource | None:
    # In file order, so a conflict is reported at the line written second.
    present = sorted(
        (field for field in KEY_FIELDS if field in entries),
        key=lambda field: int(entries[field][0].start_mark.index),
    )
    if len(present) > 1:
        second_key_node = entries[present[1]][0]
        raise scope.error(
            second_key_node,
            f"sets both {present[0]} and {present[1]}; keep one key source at "
            "this level",
        )
    if not present:
        return None
    kind = present[0]
    node = entries[kind][1]
    # Every key field is read as a secret, because a key pasted into key_env
    # or key_file by mistake must not reach a message either.
    text = read_text(node, scope, kind, secret=True)
    if kind == "key_file":
        text = resolve_path(text, scope)

    return KeySource(kind, text, scope.locate(node))
