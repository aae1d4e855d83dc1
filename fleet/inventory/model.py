"""Records that describe panels after the inventory has been loaded and merged.

Every record is frozen, and each panel gets its own copies of nested values, so
no mutable object is shared between panels even when the YAML used anchors.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from types import MappingProxyType
from typing import Literal

AddressFamily = Literal["auto", "ipv4", "ipv6"]


class Secret:
    """A panel API key that never shows itself in a repr, a log or a traceback."""

    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
        self._value = value

    def reveal(self) -> str:
        return self._value

    def __repr__(self) -> str:
        return "Secret('***')"

    __str__ = __repr__

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Secret) and other._value == self._value

    def __hash__(self) -> int:
        return hash(self._value)


@dataclasses.dataclass(frozen=True, slots=True)
class Timeouts:
    """Per-request timeouts in seconds."""

    connect: float = 10.0
    read: float = 30.0


@dataclasses.dataclass(frozen=True, slots=True)
class TLSSettings:
    """How to check the panel's certificate.

    ``verify`` off skips every check; ``ca_file`` trusts one CA bundle;
    ``fingerprint`` pins the SHA-256 of the certificate (64 lowercase hex digits,
    colons removed) and then skips the CA check, which suits self-signed panels.
    """

    verify: bool = True
    ca_file: str | None = None
    fingerprint: str | None = None


@dataclasses.dataclass(frozen=True, slots=True)
class Limits:
    """Per-panel limits; the defaults suit a panel on a small VPS."""

    concurrency: int = 2
    rate: float = 5.0  # requests per second
    retries: int = 2  # extra attempts for transient failures of reads
    max_response_bytes: int = 64 * 1024 * 1024


@dataclasses.dataclass(frozen=True, slots=True)
class Panel:
    """One panel, with every inherited setting already applied."""

    name: str
    url: str  # scheme://host:port, no path, no trailing slash
    key: Secret = dataclasses.field(repr=False)
    groups: tuple[str, ...] = ()
    tags: Mapping[str, str] = dataclasses.field(
        default_factory=lambda: MappingProxyType({})
    )
    timeouts: Timeouts = Timeouts()
    tls: TLSSettings = TLSSettings()
    limits: Limits = Limits()
    address_family: AddressFamily = "auto"
    source: str = ""  # "file:line" of the panel's entry, for error messages


@dataclasses.dataclass(frozen=True, slots=True)
class Inventory:
    """A loaded inventory: its panels in file order and the warnings seen."""

    path: str
    panels: tuple[Panel, ...]
    groups: tuple[str, ...]
    warnings: tuple[str, ...] = ()
