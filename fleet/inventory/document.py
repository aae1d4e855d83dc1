"""Reading the inventory file into a YAML node tree with positions.

The loader works on composed nodes rather than constructed Python objects, so
every value keeps its line and column and the type YAML resolved for it.
"""

from __future__ import annotations

import os
import re

import yaml
from yaml.nodes import Node

from fleet.errors import ConfigError


class InventoryLoader(yaml.SafeLoader):
    """A safe loader that also reads ``1e3`` as a float.

    PyYAML follows YAML 1.1, whose float pattern needs a dot, so ``1e3`` would
    stay a string. YAML 1.2 and most other parsers read it as a number, and a
    panel named ``1e3`` should be quoted for them too.
    """


InventoryLoader.add_implicit_resolver(
    "tag:yaml.org,2002:float",
    re.compile(r"^[-+]?[0-9][0-9_]*[eE][-+]?[0-9]+$"),
    list("-+0123456789"),
)


def read_document(path: str) -> Node | None:
    """Read and compose the inventory file, or return None if it has no document."""
    text = _read_text(path)
    try:
        return yaml.compose(text, Loader=InventoryLoader)
    except yaml.MarkedYAMLError as exc:
        raise ConfigError(_describe_yaml_error(path, exc)) from None
    except yaml.YAMLError as exc:
        # Only the reader raises an unmarked error here, for characters YAML
        # does not allow, and its message carries the position but no text.
        raise ConfigError(f"{path}: invalid YAML: {exc}") from None


def _read_text(path: str) -> str:
    try:
        with open(path, "rb") as stream:
            data = stream.read()
    except OSError as exc:
        raise ConfigError(
            f"{path}: cannot read the inventory: {exc.strerror or exc}"
        ) from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ConfigError(
            f"{path}: the inventory is not UTF-8 text (invalid byte at offset "
            f"{exc.start}); save it as UTF-8"
        ) from None


def _describe_yaml_error(path: str, exc: yaml.MarkedYAMLError) -> str:
    """Turn a PyYAML error into one line without the source snippet.

    PyYAML's own text quotes the offending source line, which may hold an API
    key, so only the position and the problem are kept.
    """
    mark = exc.problem_mark or exc.context_mark
    where = f"{path}:{mark.line + 1}:{mark.column + 1}" if mark else path
    problem = exc.problem or exc.context or "unknown problem"
    if "'\\t'" in problem:
        return (
            f"{where}: tab character in the indentation; YAML indents with "
            "spaces only, so replace the tab with spaces"
        )
    detail = f"{where}: invalid YAML: {problem}"
    if exc.context and exc.context_mark and exc.problem:
        context_mark = exc.context_mark
        detail += (
            f" ({exc.context} that starts at "
            f"{context_mark.line + 1}:{context_mark.column + 1})"
        )
    if isinstance(exc, yaml.parser.ParserError) and "block" in (exc.context or ""):
        detail += "; check the indentation and the ':' after each key"
    return detail


def base_directory(path: str) -> str:
    """Return the directory that relative paths in the inventory start from."""
    return os.path.dirname(os.path.abspath(path))
