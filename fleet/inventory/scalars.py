"""Readers for single values: text, names, numbers, booleans and choices.

Each reader checks the type YAML resolved for the node, so a name written as
``no`` (a YAML 1.1 boolean) is reported instead of silently becoming ``False``.
"""

from __future__ import annotations

import math
import re
from collections.abc import Collection

from yaml.constructor import SafeConstructor
from yaml.nodes import Node, ScalarNode

from fleet.inventory.mappings import NULL_TAG, describe_node
from fleet.inventory.scope import Scope

STR_TAG = "tag:yaml.org,2002:str"
BOOL_TAG = "tag:yaml.org,2002:bool"
INT_TAG = "tag:yaml.org,2002:int"
FLOAT_TAG = "tag:yaml.org,2002:float"

_TYPE_NAMES = {
    BOOL_TAG: "a boolean",
    INT_TAG: "an integer",
    FLOAT_TAG: "a number",
    NULL_TAG: "null (no value)",
    "tag:yaml.org,2002:timestamp": "a date",
}

# Panel and group names appear in file names, logs and --limit patterns, so
# they avoid glob characters, commas, '!' and whitespace.
NAME_PATTERN = re.compile(r"[A-Za-z0-9._-]+")

# Builds Python numbers from scalar nodes exactly as yaml.safe_load would.
_CONSTRUCTOR = SafeConstructor()


def yaml_type_name(node: ScalarNode) -> str:
    """Name the type YAML resolved for a scalar, for example "a boolean"."""
    return _TYPE_NAMES.get(str(node.tag), f"the type {node.tag}")


def read_text(node: Node, scope: Scope, field: str, *, secret: bool = False) -> str:
    """Return a string value, rejecting anything YAML typed otherwise.

    With ``secret`` the message never quotes the value, because it is a key.
    """
    if isinstance(node, ScalarNode) and node.tag == STR_TAG:
        return str(node.value)
    if not isinstance(node, ScalarNode):
        raise scope.error(
            node, f"{field} must be a single value, not {describe_node(node)}"
        )
    if node.tag == NULL_TAG:
        raise scope.error(node, f"{field} has no value; write one after the ':'")
    if secret:
        raise scope.error(
            node,
            f"YAML reads the {field} as {yaml_type_name(node)}; put it in quotes",
        )
    raise scope.error(
        node,
        f"YAML reads the {field} '{node.value}' as {yaml_type_name(node)}; put it "
        f'in quotes: "{node.value}"',
    )


def read_name(node: Node, scope: Scope, field: str) -> str:
    """Return a panel or group name: letters, digits, '.', '_' and '-' only."""
    name = read_text(node, scope, field)
    if not NAME_PATTERN.fullmatch(name):
        raise scope.error(
            node,
            f"{field} '{name}' is invalid; use only letters, digits, '.', '_' and '-'",
        )
    return name


def read_bool(node: Node, scope: Scope, field: str) -> bool:
    """Return a boolean written as true or false."""
    if isinstance(node, ScalarNode) and node.tag == BOOL_TAG:
        return bool(_CONSTRUCTOR.construct_yaml_bool(node))
    raise scope.error(
        node, f"{field} must be true or false, not {_describe_value(node)}"
    )


def read_seconds(node: Node, scope: Scope, field: str) -> float:
    """Return a duration in seconds that is greater than 0."""
    value = _read_number(node, scope, field, "a number of seconds greater than 0")
    if value <= 0:
        raise scope.error(
            node, f"{field} must be a number of seconds greater than 0, not {value}"
        )
    return float(value)


def read_rate(node: Node, scope: Scope, field: str) -> float:
    """Return a rate in requests per second that is greater than 0."""
    requirement = "a number of requests per second greater than 0"
    value = _read_number(node, scope, field, requirement)
    if value <= 0:
        raise scope.error(node, f"{field} must be {requirement}, not {value}")
    return float(value)


def read_count(node: Node, scope: Scope, field: str, minimum: int) -> int:
    """Return a whole number of at least ``minimum``."""
    requirement = f"a whole number of at least {minimum}"
    value = _read_number(node, scope, field, requirement)
    if not isinstance(value, int) or value < minimum:
        raise scope.error(node, f"{field} must be {requirement}, not {value}")
    return value


def read_choice(node: Node, scope: Scope, field: str, choices: Collection[str]) -> str:
    """Return one of a fixed set of words."""
    value = read_text(node, scope, field)
    if value not in choices:
        raise scope.error(
            node,
            f"{field} '{value}' is invalid; use one of {', '.join(choices)}",
        )
    return value


def _read_number(node: Node, scope: Scope, field: str, requirement: str) -> int | float:
    if isinstance(node, ScalarNode) and node.tag == INT_TAG:
        return int(_CONSTRUCTOR.construct_yaml_int(node))
    if isinstance(node, ScalarNode) and node.tag == FLOAT_TAG:
        value = float(_CONSTRUCTOR.construct_yaml_float(node))
        if not math.isfinite(value):
            raise scope.error(node, f"{field} must be {requirement}, not {value}")
        return value
    hint = ""
    if isinstance(node, ScalarNode) and node.tag == STR_TAG and _is_number(node.value):
        hint = "; remove the quotes"
    raise scope.error(
        node, f"{field} must be {requirement}, not {_describe_value(node)}{hint}"
    )


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def _describe_value(node: Node) -> str:
    if not isinstance(node, ScalarNode):
        return describe_node(node)
    if node.tag == STR_TAG:
        return f"the string '{node.value}'"
    return f"{yaml_type_name(node)} '{node.value}'"
