"""Helpers that write inventory files and check the messages they produce."""

from __future__ import annotations

import textwrap
from collections.abc import Mapping
from pathlib import Path

import pytest

from fleet.errors import ConfigError
from fleet.inventory import Inventory, load_inventory

# Every key used by the tests. No error or warning may contain any of them.
INLINE_KEY = "Zq7InlineKeyNeverPrinted42xWv9Lk"
ENV_KEY = "Hb3EnvironmentKeyNeverShown8Tp2Q"
FILE_KEY = "Mc5FileKeyMustStayHidden77Rr0Yd"
SECRETS = (INLINE_KEY, ENV_KEY, FILE_KEY)

ENVIRON = {"BT_WEB1_KEY": ENV_KEY}


def write_inventory(directory: Path, text: str, name: str = "inventory.yaml") -> Path:
    """Write dedented YAML to a file and return its path."""
    path = directory / name
    path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return path


def assert_no_secret(message: str) -> None:
    """Fail if a message contains any key the tests use."""
    for secret in SECRETS:
        assert secret not in message


def load(
    directory: Path, text: str, environ: Mapping[str, str] | None = None
) -> Inventory:
    """Load YAML text and check that its warnings reveal no key."""
    path = write_inventory(directory, text)
    inventory = load_inventory(path, ENVIRON if environ is None else environ)
    for warning in inventory.warnings:
        assert_no_secret(warning)
    return inventory


def load_error(
    directory: Path, text: str, environ: Mapping[str, str] | None = None
) -> str:
    """Load YAML text that must fail and return the error message."""
    path = write_inventory(directory, text)
    with pytest.raises(ConfigError) as caught:
        load_inventory(path, ENVIRON if environ is None else environ)
    message = str(caught.value)
    assert_no_secret(message)
    return message


def position(directory: Path, line: int, column: int) -> str:
    """Return the ``FILE:LINE:COL:`` prefix messages start with."""
    return f"{directory / 'inventory.yaml'}:{line}:{column}:"
