"""The client address a panel uses and its API IP whitelist (``limit_addr``) rules.

BaoTa 7.9 to 11.7 (and aaPanel before 7.58) convert every entry with an
``ip2long`` helper: a few wildcard strings allow everybody, ``a-b`` is an
inclusive IPv4 range, anything else is one IPv4 address. Strings that are not
four dot-separated parts become 0, so one IPv6 entry allows every IPv6
client. A CIDR entry makes ``int('0/8')`` raise, which turns every API call
into a 302 to /login. aaPanel 7.58 and later use the ``ipaddress`` module.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable, Mapping

from fleet.simulator.flavours import ClientIpRule, WhitelistRule

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

_IP2LONG_WILDCARDS = frozenset(
    {"*", "all", "0.0.0.0", "0.0.0.0/0", "0.0.0.0/24", "0.0.0.0/32"}
)
_IPV4_WILDCARDS = frozenset({"*", "all", "0.0.0.0", "0.0.0.0/0"})
_IPV6_WILDCARDS = frozenset({"*", "all", "::", "::/0"})


class WhitelistParseError(ValueError):
    """An ``ip2long`` whitelist entry the panel fails to convert (a CIDR entry)."""


def client_address(
    rule: ClientIpRule, remote: str | None, headers: Mapping[str, str]
) -> str | None:
    """Return the client IP the panel uses, or None when it is not a valid IP.

    BaoTa trusts the last ``X-Forwarded-For`` element only from a loopback
    peer. aaPanel takes ``X-Real-Ip`` from any client when it parses as an IP,
    so a client can spoof its way past the whitelist there, as on the real panel.
    """
    address = remote or ""
    if address.startswith("::ffff:"):
        address = address[len("::ffff:") :]
    if rule == "real_ip":
        real_ip = headers.get("X-Real-Ip", "").strip()
        if parse_ip(real_ip) is not None:
            return real_ip
    elif _is_loopback(address):
        forwarded = headers.get("X-Forwarded-For", "")
        if forwarded:
            address = forwarded.split(",")[-1].strip()

    return address if parse_ip(address) is not None else None


def is_whitelisted(rule: WhitelistRule, entries: Iterable[str], client: str) -> bool:
    """Return whether the whitelist admits the client address.

    Raises WhitelistParseError where the ``ip2long`` rule raises on the real panel.
    """
    if rule == "ip2long":
        return _admits_by_ip2long(entries, client)
    return _admits_by_ipaddress(entries, client)


def parse_ip(text: str) -> IPAddress | None:
    """Return the parsed address, or None when the text is not an IP address."""
    try:
        return ipaddress.ip_address(text)
    except ValueError:
        return None


def _is_loopback(text: str) -> bool:
    address = parse_ip(text)
    return address is not None and address.is_loopback


def _ip2long(text: str) -> int:
    parts = text.split(".")
    if len(parts) != 4:
        return 0
    try:
        numbers = [int(part) for part in parts]
    except ValueError as exc:
        raise WhitelistParseError(f"whitelist entry {text!r}: {exc}") from exc

    return (numbers[0] << 24) + (numbers[1] << 16) + (numbers[2] << 8) + numbers[3]


def _admits_by_ip2long(entries: Iterable[str], client: str) -> bool:
    # Same order as the panel: a wildcard returns at once, while a bad entry
    # raises only if no wildcard came before it.
    ranges: list[tuple[int, int]] = []
    for entry in entries:
        if not entry:
            continue
        if entry in _IP2LONG_WILDCARDS:
            return True
        bounds = entry.split("-")
        low = _ip2long(bounds[0])
        high = _ip2long(bounds[1]) if len(bounds) > 1 else low
        ranges.append((low, high))

    value = _ip2long(client)
    return any(low <= value <= high for low, high in ranges)


def _admits_by_ipaddress(entries: Iterable[str], client: str) -> bool:
    address = parse_ip(client)
    if address is None:
        return False
    wildcards = _IPV4_WILDCARDS if address.version == 4 else _IPV6_WILDCARDS
    for entry in entries:
        text = entry.strip()
        if text in wildcards or _entry_contains(text, address):
            return True

    return False


def _entry_contains(entry: str, address: IPAddress) -> bool:
    # Entries that do not parse are skipped, as aaPanel does.
    try:
        if "/" in entry:
            return address in ipaddress.ip_network(entry, strict=False)
        if "-" in entry:
            low_text, high_text = entry.split("-", 1)
            low = ipaddress.ip_address(low_text.strip())
            high = ipaddress.ip_address(high_text.strip())
            if low.version != address.version or high.version != address.version:
                return False
            return int(low) <= int(address) <= int(high)
        return address == ipaddress.ip_address(entry)
    except ValueError:
        return False
