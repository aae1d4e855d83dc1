"""Walking YAML mapping and sequence nodes: merge keys, duplicates, key names."""

from __future__ import annotations

import difflib
from collections.abc import Collection, Iterable

from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from fleet.inventory.scope import Scope, line_number

MERGE_TAG = "tag:yaml.org,2002:merge"
NULL_TAG = "tag:yaml.org,2002:null"

# One entry of a mapping: the key node, for its position, and the value node.
Entry = tuple[ScalarNode, Node]


def describe_node(node: Node) -> str:
    """Name a node's kind for messages, without quoting a scalar's text."""
    if isinstance(node, MappingNode):
        return "a mapping"
    if isinstance(node, SequenceNode):
        return "a list"
    return "a single value"


def is_null(node: Node) -> bool:
    """Tell whether a node is YAML null, which an empty value also gives."""
    return isinstance(node, ScalarNode) and node.tag == NULL_TAG


def mapping_entries(node: Node, scope: Scope, label: str) -> dict[str, Entry]:
    """Return a mapping's entries by key, with merge keys (``<<``) applied.

    Null counts as an empty mapping, so ``shop:`` with nothing under it works.
    Keys written in the mapping itself override merged ones, and an earlier
    merge source overrides a later one, as the YAML merge-key type defines.
    """
    if is_null(node):
        return {}
    if not isinstance(node, MappingNode):
        raise scope.error(node, f"{label} must be a mapping, not {describe_node(node)}")

    return _flatten(node, scope, active=frozenset(), done={})


def _flatten(
    node: MappingNode,
    scope: Scope,
    active: frozenset[int],
    done: dict[int, dict[str, Entry]],
) -> dict[str, Entry]:
    # ``done`` keeps each anchored mapping's result: without it, a chain of
    # aliases merged ten at a time grows exponentially (a "merge bomb").
    if id(node) in done:
        return done[id(node)]
    active = active | {id(node)}
    own: dict[str, Entry] = {}
    merged: dict[str, Entry] = {}
    for key_node, value_node in node.value:
        key = _key_text(key_node, scope)
        if key in own:
            first = _place(own[key][0], key_node)
            raise scope.error(
                key_node,
                f"duplicate key '{key}' (first at {first}); remove one of them",
            )
        own[key] = (key_node, value_node)
        if key_node.tag == MERGE_TAG:
            for source in _merge_sources(value_node, scope, active):
                for name, entry in _flatten(source, scope, active, done).items():
                    merged.setdefault(name, entry)
    own = {name: entry for name, entry in own.items() if entry[0].tag != MERGE_TAG}
    done[id(node)] = {**merged, **own}

    return done[id(node)]


def _place(first: Node, second: Node) -> str:
    """Describe where ``first`` is, with its column when both share a line."""
    line = line_number(first)
    if line == line_number(second):
        return f"line {line}, column {first.start_mark.column + 1}"
    return f"line {line}"


def _key_text(key_node: Node, scope: Scope) -> str:
    if not isinstance(key_node, ScalarNode):
        raise scope.error(
            key_node,
            f"a key must be a single value, not {describe_node(key_node)}",
        )
    return str(key_node.value)


def _merge_sources(
    value: Node, scope: Scope, active: frozenset[int]
) -> list[MappingNode]:
    sources = value.value if isinstance(value, SequenceNode) else [value]
    for source in sources:
        if not isinstance(source, MappingNode):
            raise scope.error(
                source,
                "a merge key '<<' needs a mapping or a list of mappings, "
                f"not {describe_node(source)}; write '<<: *anchor'",
            )
        if id(source) in active:
            raise scope.error(
                source, "a merge key '<<' refers to a mapping that contains it"
            )
    return list(sources)


def sequence_items(node: Node, scope: Scope, label: str) -> list[Node]:
    """Return the items of a list node; null counts as an empty list."""
    if is_null(node):
        return []
    if not isinstance(node, SequenceNode):
        raise scope.error(node, f"{label} must be a list, not {describe_node(node)}")
    return list(node.value)


def check_known_keys(
    entries: dict[str, Entry], known: Collection[str], scope: Scope, label: str
) -> None:
    """Raise for the first key that is not in ``known``, suggesting a close one."""
    for key, (key_node, _value) in entries.items():
        if key not in known:
            raise scope.error(key_node, _unknown_key_detail(key, known, label))


def _unknown_key_detail(key: str, known: Iterable[str], label: str) -> str:
    choices = sorted(known)
    detail = f"unknown key '{key}' in {label}"
    close = difflib.get_close_matches(key, choices, n=1)
    if close:
        return f"{detail}; did you mean '{close[0]}'?"
    return f"{detail}; valid keys are {', '.join(choices)}"
