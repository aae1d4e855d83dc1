"""Building a panel's final settings records from its merged layers."""

from __future__ import annotations

from collections.abc import Iterable
from types import MappingProxyType
from typing import TypeVar

from fleet.inventory.layers import Layer
from fleet.inventory.model import AddressFamily, Limits, Timeouts, TLSSettings
from fleet.inventory.scope import Scope

T = TypeVar("T")

_FAMILIES: dict[str, AddressFamily] = {"auto": "auto", "ipv4": "ipv4", "ipv6": "ipv6"}


def merge_layers(layers: Iterable[Layer]) -> Layer:
    """Merge levels in order, so a later level's setting replaces an earlier one."""
    merged: Layer = {}
    for layer in layers:
        merged.update(layer)
    return merged


def _pick(merged: Layer, field: str, kind: type[T], default: T) -> T:
    setting = merged.get(field)
    if setting is None:
        return default
    # The readers in layers.py produce these types, so a mismatch is a bug.
    assert isinstance(setting.value, kind), (field, type(setting.value))
    return setting.value


def build_timeouts(merged: Layer) -> Timeouts:
    """Build the timeouts record, with model defaults for unset fields."""
    default = Timeouts()
    return Timeouts(
        connect=_pick(merged, "timeouts.connect", float, default.connect),
        read=_pick(merged, "timeouts.read", float, default.read),
    )


def build_limits(merged: Layer) -> Limits:
    """Build the limits record, with model defaults for unset fields."""
    default = Limits()
    return Limits(
        concurrency=_pick(merged, "limits.concurrency", int, default.concurrency),
        rate=_pick(merged, "limits.rate", float, default.rate),
        retries=_pick(merged, "limits.retries", int, default.retries),
        max_response_bytes=_pick(
            merged, "limits.max_response_bytes", int, default.max_response_bytes
        ),
    )


def build_tls(merged: Layer, scope: Scope) -> TLSSettings:
    """Build the TLS record and reject a pinned fingerprint with verify off.

    The transport skips every check when verify is off, so the pin would be
    ignored without a word.
    """
    default = TLSSettings()
    verify = _pick(merged, "tls.verify", bool, default.verify)
    fingerprint = _pick(merged, "tls.fingerprint", str, "") or None
    if fingerprint and not verify:
        raise scope.error_at(
            merged["tls.fingerprint"].location,
            "tls.fingerprint is set but tls.verify is false, which turns every "
            "certificate check off; set 'verify: true' in this panel's tls to "
            "use the pin",
        )
    return TLSSettings(
        verify=verify,
        ca_file=_pick(merged, "tls.ca_file", str, "") or None,
        fingerprint=fingerprint,
    )


def build_tags(merged: Layer) -> MappingProxyType[str, str]:
    """Return the merged tags as a read-only view over a new dict."""
    tags = {
        field.removeprefix("tags."): str(setting.value)
        for field, setting in merged.items()
        if field.startswith("tags.")
    }
    return MappingProxyType(tags)


def build_address_family(
    merged: Layer, host_family: str, scope: Scope
) -> AddressFamily:
    """Return the address family, rejecting one that an IP literal host contradicts."""
    family = _FAMILIES[_pick(merged, "address_family", str, "auto")]
    if family != "auto" and host_family not in ("auto", family):
        literal = "IPv4" if host_family == "ipv4" else "IPv6"
        raise scope.error_at(
            merged["address_family"].location,
            f"address_family '{family}' cannot reach the {literal} address "
            "in this panel's URL; set address_family: auto for this panel",
        )
    return family
