"""What a client observes from each fault profile."""

from __future__ import annotations

import asyncio
import time

import aiohttp
import pytest

from fleet.simulator import FAULTS, build_specs

from . import expected
from .helpers import FleetStarter, call, make_spec


class TestAuthFaults:
    async def test_wrong_key_in_inventory(
        self, start_fleet: FleetStarter, session: aiohttp.ClientSession
    ) -> None:
        """The inventory key of a wrong_key panel fails while the real key works."""
        sim = await start_fleet([make_spec(fault="wrong_key")])
        panel = sim.panels[0]

        with_inventory_key = await call(
            session, panel, "/ajax", "GetTaskCount", key=panel.inventory_key
        )
        with_real_key = await call(session, panel, "/ajax", "GetTaskCount")

        assert panel.inventory_key != panel.spec.key
        assert with_inventory_key.body == expected.BAOTA_BAD_TOKEN
        assert with_real_key.body == b"0"

    async def test_ip_not_whitelisted(
        self, start_fleet: FleetStarter, session: aiohttp.ClientSession
    ) -> None:
        """The panel rejects the loopback client and names the address it saw."""
        sim = await start_fleet([make_spec(fault="ip_not_whitelisted")])
        panel = sim.panels[0]

        reply = await call(session, panel, "/ajax", "GetTaskCount")

        assert reply.body == expected.baota_ip_failure("127.0.0.1")
        assert sim.stats(panel.name).auth_failures == 1

    async def test_ip_not_whitelisted_401(
        self, start_fleet: FleetStarter, session: aiohttp.ClientSession
    ) -> None:
        """The 401 variant sends an empty body and still counts a failure."""
        sim = await start_fleet([make_spec(fault="ip_not_whitelisted_401")])
        panel = sim.panels[0]

        reply = await call(session, panel, "/ajax", "GetTaskCount")

        assert reply.status == 401
        assert reply.body == b""
        assert sim.stats(panel.name).auth_failures == 1

    async def test_api_disabled(
        self, start_fleet: FleetStarter, session: aiohttp.ClientSession
    ) -> None:
        """A panel with the API off sends the 404 page, or a 302 on BaoTa 7.9."""
        sim = await start_fleet(
            [
                make_spec("bt11", fault="api_disabled"),
                make_spec("bt7", fault="api_disabled", flavour="baota7"),
            ]
        )
        modern, legacy = sim.panels

        reply = await call(session, modern, "/ajax", "GetTaskCount")
        async with session.post(
            legacy.url + "/ajax?action=GetTaskCount", allow_redirects=False
        ) as response:
            legacy_status = response.status
            legacy_location = response.headers.get("Location")

        assert reply.status == 404
        assert reply.body == expected.BAOTA_404
        assert legacy_status == 302
        assert legacy_location == "/login"

    async def test_locked_out(
        self, start_fleet: FleetStarter, session: aiohttp.ClientSession
    ) -> None:
        """A locked_out panel rejects even the correct key from the start."""
        sim = await start_fleet([make_spec(fault="locked_out")])
        panel = sim.panels[0]

        reply = await call(session, panel, "/ajax", "GetTaskCount")

        assert reply.body == expected.BAOTA_LOCKOUT
        assert sim.stats(panel.name).locked_out == 1


class TestTransportFaults:
    async def test_slow(
        self, start_fleet: FleetStarter, session: aiohttp.ClientSession
    ) -> None:
        """A slow panel responds correctly, but only after its delay."""
        sim = await start_fleet([make_spec(fault="slow", slow_seconds=0.3)])
        started = time.monotonic()

        reply = await call(session, sim.panels[0], "/ajax", "GetTaskCount")

        assert time.monotonic() - started >= 0.3
        assert reply.body == b"0"

    async def test_latency(
        self, start_fleet: FleetStarter, session: aiohttp.ClientSession
    ) -> None:
        """Per-panel latency delays every response, rejections included."""
        sim = await start_fleet([make_spec(latency=0.2)])
        started = time.monotonic()

        reply = await call(
            session, sim.panels[0], "/ajax", "GetTaskCount", signed=False
        )

        assert time.monotonic() - started >= 0.2
        assert reply.status == 404

    async def test_black_hole(
        self, start_fleet: FleetStarter, session: aiohttp.ClientSession
    ) -> None:
        """A black hole reads the request and never responds, so the read times out."""
        sim = await start_fleet([make_spec(fault="black_hole")])
        panel = sim.panels[0]

        with pytest.raises(asyncio.TimeoutError):
            async with session.post(
                panel.url + "/ajax?action=GetTaskCount",
                data={"request_time": "1", "request_token": "x"},
                timeout=aiohttp.ClientTimeout(sock_read=0.3),
            ) as response:
                await response.read()
        await asyncio.sleep(0.05)

        assert sim.stats(panel.name).requests == 1

    async def test_connection_reset(
        self, start_fleet: FleetStarter, session: aiohttp.ClientSession
    ) -> None:
        """The panel reads the request and resets the connection."""
        sim = await start_fleet([make_spec(fault="connection_reset")])
        panel = sim.panels[0]

        with pytest.raises(aiohttp.ClientConnectionError):
            await call(session, panel, "/ajax", "GetTaskCount")

        assert sim.stats(panel.name).requests == 1

    async def test_bad_gateway(
        self, start_fleet: FleetStarter, session: aiohttp.ClientSession
    ) -> None:
        """The panel sends nginx's 502 page with an nginx Server header."""
        sim = await start_fleet([make_spec(fault="bad_gateway")])

        reply = await call(session, sim.panels[0], "/ajax", "GetTaskCount")

        assert reply.status == 502
        assert reply.headers["Server"] == "nginx"
        assert reply.body == expected.BAD_GATEWAY

    async def test_truncated(
        self, start_fleet: FleetStarter, session: aiohttp.ClientSession
    ) -> None:
        """The body ends before Content-Length is reached, which the client reports."""
        sim = await start_fleet([make_spec(fault="truncated")])

        with pytest.raises(aiohttp.ClientPayloadError):
            await call(session, sim.panels[0], "/ajax", "GetTaskCount")


class TestBuildSpecs:
    def test_faults_go_last(self) -> None:
        """Healthy panels come first and faulty ones last, in the mapping's order."""
        specs = build_specs(5, faults={"black_hole": 1, "wrong_key": 2})

        assert [spec.fault for spec in specs] == [
            None,
            None,
            "black_hole",
            "wrong_key",
            "wrong_key",
        ]
        assert [spec.name for spec in specs][:2] == ["sim-0001", "sim-0002"]

    def test_keys_are_deterministic(self) -> None:
        """The same seed gives the same keys; another seed gives others."""
        first = build_specs(3, seed=7)
        again = build_specs(3, seed=7)
        other = build_specs(3, seed=8)

        assert [s.key for s in first] == [s.key for s in again]
        assert first[0].key != other[0].key
        assert len({s.key for s in first}) == 3

    def test_too_many_faults_rejected(self) -> None:
        """Asking for more faulty panels than panels raises ValueError."""
        with pytest.raises(ValueError, match="faulty panels requested"):
            build_specs(1, faults={"slow": 2})

    def test_unknown_fault_rejected(self) -> None:
        """An unknown fault name raises ValueError listing the known ones."""
        with pytest.raises(ValueError, match="black_hole"):
            build_specs(2, faults={"meteor": 1})

    def test_every_fault_starts(self) -> None:
        """One panel of each fault profile can be built."""
        specs = build_specs(len(FAULTS), faults=dict.fromkeys(FAULTS, 1))

        assert {spec.fault for spec in specs} == set(FAULTS)
