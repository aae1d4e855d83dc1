"""Whitelist matching rules and the client address each flavour uses."""

from __future__ import annotations

import pytest

from fleet.simulator.whitelist import (
    WhitelistParseError,
    client_address,
    is_whitelisted,
)


class TestIp2longRule:
    @pytest.mark.parametrize(
        "entry", ["*", "all", "0.0.0.0", "0.0.0.0/0", "0.0.0.0/24"]
    )
    def test_wildcards_admit_everybody(self, entry: str) -> None:
        """Each wildcard string admits any client."""
        assert is_whitelisted("ip2long", [entry], "198.51.100.4")

    def test_single_address(self) -> None:
        """A plain entry admits exactly that IPv4 address."""
        assert is_whitelisted("ip2long", ["198.51.100.4"], "198.51.100.4")
        assert not is_whitelisted("ip2long", ["198.51.100.4"], "198.51.100.5")

    def test_inclusive_range(self) -> None:
        """An a-b entry admits both ends and everything between."""
        entries = ["10.0.0.5-10.0.0.9"]

        assert is_whitelisted("ip2long", entries, "10.0.0.5")
        assert is_whitelisted("ip2long", entries, "10.0.0.9")
        assert not is_whitelisted("ip2long", entries, "10.0.0.10")

    def test_cidr_raises(self) -> None:
        """A CIDR entry fails to convert, as it does on the panel."""
        with pytest.raises(WhitelistParseError):
            is_whitelisted("ip2long", ["10.0.0.0/8"], "10.1.2.3")

    def test_wildcard_before_cidr_wins(self) -> None:
        """A wildcard earlier in the list returns before the CIDR entry is read."""
        assert is_whitelisted("ip2long", ["*", "10.0.0.0/8"], "10.1.2.3")

    def test_ipv6_entry_admits_all_ipv6(self) -> None:
        """Non-IPv4 strings all become 0, so ::1 admits every IPv6 client."""
        assert is_whitelisted("ip2long", ["::1"], "2001:db8::7")
        assert not is_whitelisted("ip2long", ["::1"], "127.0.0.1")


class TestIpaddressRule:
    def test_cidr_entry(self) -> None:
        """aaPanel 8 understands CIDR entries."""
        assert is_whitelisted("ipaddress", ["198.51.100.0/24"], "198.51.100.77")
        assert not is_whitelisted("ipaddress", ["198.51.100.0/24"], "198.51.101.1")

    def test_family_wildcards(self) -> None:
        """0.0.0.0 admits only IPv4 clients and :: only IPv6 clients."""
        assert is_whitelisted("ipaddress", ["0.0.0.0"], "192.0.2.1")
        assert not is_whitelisted("ipaddress", ["0.0.0.0"], "2001:db8::1")
        assert is_whitelisted("ipaddress", ["::"], "2001:db8::1")

    def test_invalid_entries_skipped(self) -> None:
        """Entries that do not parse are ignored instead of failing the call."""
        assert is_whitelisted("ipaddress", ["bogus", "192.0.2.1"], "192.0.2.1")

    def test_range_and_ipv6(self) -> None:
        """Ranges and single IPv6 addresses work."""
        assert is_whitelisted("ipaddress", ["192.0.2.1-192.0.2.9"], "192.0.2.9")
        assert is_whitelisted("ipaddress", ["2001:db8::1"], "2001:db8::1")


class TestClientAddress:
    def test_mapped_prefix_stripped(self) -> None:
        """An IPv4-mapped IPv6 peer is seen as the plain IPv4 address."""
        assert client_address("forwarded_for", "::ffff:192.0.2.1", {}) == "192.0.2.1"

    def test_forwarded_for_only_from_loopback(self) -> None:
        """BaoTa ignores X-Forwarded-For from a peer that is not loopback."""
        headers = {"X-Forwarded-For": "198.51.100.9"}

        assert client_address("forwarded_for", "192.0.2.1", headers) == "192.0.2.1"
        assert client_address("forwarded_for", "127.0.0.1", headers) == "198.51.100.9"

    def test_real_ip_from_anyone(self) -> None:
        """aaPanel takes a valid X-Real-Ip from any peer and ignores an invalid one."""
        assert client_address(
            "real_ip", "192.0.2.1", {"X-Real-Ip": "198.51.100.9"}
        ) == ("198.51.100.9")
        assert client_address("real_ip", "192.0.2.1", {"X-Real-Ip": "nope"}) == (
            "192.0.2.1"
        )

    def test_invalid_address_is_none(self) -> None:
        """A forwarded value that is no IP address gives None."""
        headers = {"X-Forwarded-For": "garbage"}

        assert client_address("forwarded_for", "127.0.0.1", headers) is None
