"""Signature check, lockout, whitelist and front filters of simulated panels."""

from __future__ import annotations

import json

import aiohttp

from fleet.simulator import ManualClock

from . import expected
from .helpers import FleetStarter, call, make_spec, signature


class TestSignature:
    async def test_correct_key_returns_data(
        self, start_fleet: FleetStarter, session: aiohttp.ClientSession
    ) -> None:
        """A request signed with the panel's key gets the handler's JSON."""
        sim = await start_fleet([make_spec()])
        panel = sim.panels[0]

        reply = await call(session, panel, "/system", "GetSystemTotal")

        assert reply.status == 200
        assert reply.content_type == expected.JSON_TYPE
        assert json.loads(reply.body)["version"] == "11.7.0"
        assert sim.stats(panel.name).auth_failures == 0
        assert sim.stats(panel.name).actions["GetSystemTotal"] == 1

    async def test_wrong_token_sends_exact_body(
        self, start_fleet: FleetStarter, session: aiohttp.ClientSession
    ) -> None:
        """A wrong key gets the exact key-failure body as HTML and counts a failure."""
        sim = await start_fleet([make_spec()])
        panel = sim.panels[0]

        reply = await call(session, panel, "/system", "GetSystemTotal", key="x" * 32)

        assert reply.status == 200
        assert reply.content_type == expected.HTML_UTF8
        assert reply.body == expected.BAOTA_BAD_TOKEN
        assert sim.stats(panel.name).auth_failures == 1
        assert sim.stats(panel.name).requests == 1

    async def test_any_request_time_string_is_accepted(
        self, start_fleet: FleetStarter, session: aiohttp.ClientSession
    ) -> None:
        """The panel has no clock window, so an old or non-numeric time still signs."""
        sim = await start_fleet([make_spec()])
        panel = sim.panels[0]

        for request_time in ("1", "not-a-number", "99999999999"):
            fields = signature(panel.spec.key, request_time)
            reply = await call(
                session, panel, "/ajax", "GetTaskCount", fields=fields, signed=False
            )
            assert reply.body == b"0"

    async def test_replayed_signature_is_accepted(
        self, start_fleet: FleetStarter, session: aiohttp.ClientSession
    ) -> None:
        """The same request_time and token pair works again and again."""
        sim = await start_fleet([make_spec()])
        panel = sim.panels[0]
        fields = signature(panel.spec.key, "1700000000")

        for _ in range(3):
            reply = await call(
                session, panel, "/ajax", "GetTaskCount", fields=fields, signed=False
            )
            assert reply.status == 200

        assert sim.stats(panel.name).actions["GetTaskCount"] == 3

    async def test_missing_fields_get_404_page(
        self, start_fleet: FleetStarter, session: aiohttp.ClientSession
    ) -> None:
        """A request without request_token gets the nginx-style 404 page."""
        sim = await start_fleet([make_spec()])
        panel = sim.panels[0]

        reply = await call(
            session,
            panel,
            "/system",
            "GetSystemTotal",
            fields={"request_time": "1"},
            signed=False,
        )

        assert reply.status == 404
        assert reply.content_type == "text/html"
        assert reply.body == expected.BAOTA_404
        assert sim.stats(panel.name).auth_failures == 0

    async def test_baota7_redirects_missing_fields(
        self, start_fleet: FleetStarter, session: aiohttp.ClientSession
    ) -> None:
        """BaoTa 7.9 redirects missing signature fields to /login with a 302."""
        sim = await start_fleet([make_spec(flavour="baota7")])
        panel = sim.panels[0]

        async with session.post(
            panel.url + "/system?action=GetSystemTotal", allow_redirects=False
        ) as response:
            status = response.status
            location = response.headers.get("Location")

        assert status == 302
        assert location == "/login"

    async def test_query_string_signature_is_read(
        self, start_fleet: FleetStarter, session: aiohttp.ClientSession
    ) -> None:
        """Signature fields in the query string count like form fields."""
        sim = await start_fleet([make_spec()])
        panel = sim.panels[0]
        fields = signature(panel.spec.key)
        query = "&".join(f"{name}={value}" for name, value in fields.items())

        async with session.get(f"{panel.url}/ajax?action=GetTaskCount&{query}") as r:
            body = await r.read()

        assert body == b"0"

    async def test_strict_clock_window_rejects_skew(
        self,
        start_fleet: FleetStarter,
        session: aiohttp.ClientSession,
        clock: ManualClock,
    ) -> None:
        """The optional window rejects a time far from the simulator clock."""
        sim = await start_fleet([make_spec(strict_clock_window=30.0)])
        panel = sim.panels[0]
        now = int(clock())

        late = signature(panel.spec.key, str(now - 120))
        rejected = await call(
            session, panel, "/ajax", "GetTaskCount", fields=late, signed=False
        )
        close = signature(panel.spec.key, str(now - 10))
        accepted = await call(
            session, panel, "/ajax", "GetTaskCount", fields=close, signed=False
        )

        assert rejected.status == 200
        assert json.loads(rejected.body)["status"] is False
        assert accepted.body == b"0"
        assert sim.stats(panel.name).clock_rejections == 1
        assert sim.stats(panel.name).auth_failures == 0


class TestLockout:
    async def test_twenty_failures_lock_correct_key(
        self, start_fleet: FleetStarter, session: aiohttp.ClientSession
    ) -> None:
        """After 20 failures even a correct signature gets the lockout message."""
        sim = await start_fleet([make_spec()])
        panel = sim.panels[0]
        for _ in range(20):
            await call(session, panel, "/system", "GetSystemTotal", key="y" * 32)

        reply = await call(session, panel, "/system", "GetSystemTotal")

        assert reply.body == expected.BAOTA_LOCKOUT
        assert reply.content_type == expected.HTML_UTF8
        assert sim.stats(panel.name).auth_failures == 20
        assert sim.stats(panel.name).locked_out == 1

    async def test_lockout_lifts_after_an_hour(
        self,
        start_fleet: FleetStarter,
        session: aiohttp.ClientSession,
        clock: ManualClock,
    ) -> None:
        """The lockout ends 3600 s after the last failure, not before."""
        sim = await start_fleet([make_spec()])
        panel = sim.panels[0]
        for _ in range(20):
            await call(session, panel, "/ajax", "GetTaskCount", key="y" * 32)

        clock.advance(3599)
        still_locked = await call(session, panel, "/ajax", "GetTaskCount")
        clock.advance(1)
        lifted = await call(session, panel, "/ajax", "GetTaskCount")

        assert still_locked.body == expected.BAOTA_LOCKOUT
        assert lifted.body == b"0"

    async def test_locked_requests_do_not_count(
        self,
        start_fleet: FleetStarter,
        session: aiohttp.ClientSession,
        clock: ManualClock,
    ) -> None:
        """Refused calls while locked neither add failures nor extend the hour."""
        sim = await start_fleet([make_spec()])
        panel = sim.panels[0]
        for _ in range(20):
            await call(session, panel, "/ajax", "GetTaskCount", key="y" * 32)
        clock.advance(1800)
        for _ in range(5):
            await call(session, panel, "/ajax", "GetTaskCount", key="y" * 32)

        clock.advance(1800)
        reply = await call(session, panel, "/ajax", "GetTaskCount")

        assert reply.body == b"0"
        assert sim.stats(panel.name).auth_failures == 20
        assert sim.stats(panel.name).locked_out == 5

    async def test_success_leaves_counter_at_one(
        self, start_fleet: FleetStarter, session: aiohttp.ClientSession
    ) -> None:
        """A success on a clean counter sets it to 1, so 19 failures then lock."""
        sim = await start_fleet([make_spec()])
        panel = sim.panels[0]
        await call(session, panel, "/ajax", "GetTaskCount")
        for _ in range(19):
            await call(session, panel, "/ajax", "GetTaskCount", key="y" * 32)

        reply = await call(session, panel, "/ajax", "GetTaskCount")

        assert reply.body == expected.BAOTA_LOCKOUT

    async def test_second_success_deletes_counter(
        self, start_fleet: FleetStarter, session: aiohttp.ClientSession
    ) -> None:
        """A success on a non-zero counter deletes it, so 20 failures are needed."""
        sim = await start_fleet([make_spec()])
        panel = sim.panels[0]
        await call(session, panel, "/ajax", "GetTaskCount")
        await call(session, panel, "/ajax", "GetTaskCount")
        for _ in range(19):
            await call(session, panel, "/ajax", "GetTaskCount", key="y" * 32)

        reply = await call(session, panel, "/ajax", "GetTaskCount")

        assert reply.body == b"0"


class TestWhitelist:
    async def test_miss_names_client_address(
        self, start_fleet: FleetStarter, session: aiohttp.ClientSession
    ) -> None:
        """A client outside the whitelist gets the failure with the address seen."""
        sim = await start_fleet([make_spec(whitelist=("198.51.100.7",))])
        panel = sim.panels[0]

        reply = await call(session, panel, "/system", "GetSystemTotal")

        assert reply.body == expected.baota_ip_failure("127.0.0.1")
        assert sim.stats(panel.name).auth_failures == 1

    async def test_range_entry_admits_client(
        self, start_fleet: FleetStarter, session: aiohttp.ClientSession
    ) -> None:
        """An a-b range that spans the client address lets it in."""
        whitelist = ("127.0.0.0-127.0.0.9",)
        sim = await start_fleet([make_spec(whitelist=whitelist)])

        reply = await call(session, sim.panels[0], "/ajax", "GetTaskCount")

        assert reply.body == b"0"

    async def test_cidr_entry_redirects_every_call(
        self, start_fleet: FleetStarter, session: aiohttp.ClientSession
    ) -> None:
        """A CIDR entry breaks BaoTa's matcher, so each call is a 302 to /login."""
        sim = await start_fleet([make_spec(whitelist=("10.0.0.0/8", "127.0.0.1"))])
        panel = sim.panels[0]
        fields = signature(panel.spec.key)

        async with session.post(
            panel.url + "/ajax?action=GetTaskCount", data=fields, allow_redirects=False
        ) as response:
            status = response.status
            location = response.headers.get("Location")

        assert status == 302
        assert location == "/login"

    async def test_forwarded_for_from_loopback(
        self, start_fleet: FleetStarter, session: aiohttp.ClientSession
    ) -> None:
        """BaoTa takes the last X-Forwarded-For element from a loopback peer."""
        sim = await start_fleet([make_spec(whitelist=("127.0.0.1",))])
        headers = {"X-Forwarded-For": "192.0.2.1, 198.51.100.9"}

        reply = await call(
            session, sim.panels[0], "/ajax", "GetTaskCount", headers=headers
        )

        assert reply.body == expected.baota_ip_failure("198.51.100.9")


class TestFrontFilters:
    async def test_bot_user_agent_gets_404(
        self, start_fleet: FleetStarter, session: aiohttp.ClientSession
    ) -> None:
        """A lowercase "bot" or "spider" in any case in the User-Agent gets the 404."""
        sim = await start_fleet([make_spec()])
        panel = sim.panels[0]

        for agent in ("fleetbot/1.0", "MySpider", "SPIDER"):
            reply = await call(
                session, panel, "/ajax", "GetTaskCount", headers={"User-Agent": agent}
            )
            assert reply.status == 404
            assert reply.body == expected.BAOTA_404

    async def test_uppercase_bot_passes(
        self, start_fleet: FleetStarter, session: aiohttp.ClientSession
    ) -> None:
        """Only lowercase "bot" trips the rule, so "Bot" is served."""
        sim = await start_fleet([make_spec()])

        reply = await call(
            session,
            sim.panels[0],
            "/ajax",
            "GetTaskCount",
            headers={"User-Agent": "FleetBot/1.0"},
        )

        assert reply.body == b"0"

    async def test_unknown_route_and_method(
        self, start_fleet: FleetStarter, session: aiohttp.ClientSession
    ) -> None:
        """Unknown paths and methods other than GET and POST get the 404 page."""
        sim = await start_fleet([make_spec()])
        panel = sim.panels[0]

        unknown = await call(session, panel, "/x9k2ab7c/system", "GetSystemTotal")
        async with session.put(panel.url + "/system") as response:
            put_status = response.status

        assert unknown.status == 404
        assert unknown.body == expected.BAOTA_404
        assert put_status == 404

    async def test_bad_cookie_value_gets_404(
        self, start_fleet: FleetStarter, session: aiohttp.ClientSession
    ) -> None:
        """A session cookie with characters outside [\\w.-] is filtered out."""
        sim = await start_fleet([make_spec()])
        panel = sim.panels[0]
        name = panel.runtime.sessions.cookie_name

        reply = await call(
            session,
            panel,
            "/ajax",
            "GetTaskCount",
            headers={"Cookie": f"{name}=bad!value"},
        )

        assert reply.status == 404
