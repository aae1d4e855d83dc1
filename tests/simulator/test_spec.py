"""Validation of panel specs, overrides and listening addresses."""

from __future__ import annotations

import socket

import aiohttp
import pytest

from fleet.simulator import PanelSpec

from .helpers import FleetStarter, call, make_spec


class TestPanelSpec:
    @pytest.mark.parametrize("host", ["0.0.0.0", "10.1.2.3", "192.168.1.1", "::"])
    def test_non_loopback_host_rejected(self, host: str) -> None:
        """Any address outside 127.0.0.0/8 and ::1 is rejected before binding."""
        with pytest.raises(ValueError, match="not a loopback address"):
            make_spec(host=host)

    def test_host_name_rejected(self) -> None:
        """Host names are rejected, with 127.0.0.1 suggested instead."""
        with pytest.raises(ValueError, match=r"use 127\.0\.0\.1"):
            make_spec(host="localhost")

    def test_short_key_rejected_without_echo(self) -> None:
        """A malformed key is rejected and the message does not repeat it."""
        with pytest.raises(ValueError, match="32 ASCII letters") as info:
            PanelSpec(name="p", key="secret-but-short")

        assert "secret-but-short" not in str(info.value)

    def test_key_hidden_from_repr(self) -> None:
        """The key never shows in the spec's repr."""
        spec = make_spec()

        assert spec.key not in repr(spec)

    def test_unknown_override_rejected(self) -> None:
        """A misspelt override key raises and lists the known ones."""
        with pytest.raises(ValueError, match="disk_used_percent"):
            make_spec(overrides={"disk_percent": 50})

    def test_bad_override_value_rejected(self) -> None:
        """An out-of-range override value raises with the key named."""
        with pytest.raises(ValueError, match="'cpu_percent'"):
            make_spec(overrides={"cpu_percent": 150})

    def test_negative_latency_rejected(self) -> None:
        """Negative latency raises with the field and the bound."""
        with pytest.raises(ValueError, match="'latency' must be >= 0"):
            make_spec(latency=-1.0)

    def test_fault_whitelist(self) -> None:
        """The whitelist faults replace the whitelist with a foreign address."""
        spec = make_spec(fault="ip_not_whitelisted")

        assert "127.0.0.1" not in spec.effective_whitelist


class TestAddresses:
    async def test_other_loopback_address(
        self, start_fleet: FleetStarter, session: aiohttp.ClientSession
    ) -> None:
        """Panels on 127.0.0.1 and 127.0.0.2 may share a port number."""
        first = await start_fleet([make_spec("one", host="127.0.0.1")])
        port = first.panels[0].port
        # Nothing else listens on 127.0.0.2, so the same port is free there.
        second = await start_fleet([make_spec("two", host="127.0.0.2", port=port)])

        reply = await call(session, second.panels[0], "/ajax", "GetTaskCount")

        assert second.panels[0].url == f"http://127.0.0.2:{port}"
        assert reply.body == b"0"

    async def test_ipv6_loopback(
        self, start_fleet: FleetStarter, session: aiohttp.ClientSession
    ) -> None:
        """A panel on ::1 serves under a bracketed URL."""
        if not socket.has_ipv6:
            pytest.skip("this host has no IPv6")
        try:
            sim = await start_fleet([make_spec(host="::1")])
        except OSError as exc:
            pytest.skip(f"cannot listen on ::1: {exc}")

        reply = await call(session, sim.panels[0], "/ajax", "GetTaskCount")

        assert sim.panels[0].url.startswith("http://[::1]:")
        assert reply.body == b"0"

    async def test_port_in_use_reported(self, start_fleet: FleetStarter) -> None:
        """A taken port raises OSError naming the panel and suggesting port 0."""
        first = await start_fleet([make_spec("one")])

        with pytest.raises(OSError, match=r"panel two: .* port 0 for a free one"):
            await start_fleet([make_spec("two", port=first.panels[0].port)])

    def test_duplicate_names_rejected(self) -> None:
        """Two specs with one name are rejected."""
        from fleet.simulator import SimulatedFleet

        with pytest.raises(ValueError, match="used twice"):
            SimulatedFleet([make_spec("same"), make_spec("same")])
