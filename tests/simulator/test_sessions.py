"""Session storage and session cookies of simulated panels."""

from __future__ import annotations

import re

import aiohttp

from fleet.simulator import ManualClock
from fleet.simulator.panel import PanelRuntime
from fleet.simulator.pipeline import session_cookie

from .helpers import FleetStarter, call, make_spec


def make_runtime() -> PanelRuntime:
    """Return a panel runtime that is not listening anywhere."""
    return PanelRuntime(make_spec(), ManualClock())


class TestBaotaSessions:
    async def test_success_sets_cookie(
        self, start_fleet: FleetStarter, session: aiohttp.ClientSession
    ) -> None:
        """A signed call gets an HttpOnly cookie named by 32 hex digits."""
        sim = await start_fleet([make_spec()])

        reply = await call(session, sim.panels[0], "/ajax", "GetTaskCount")

        assert re.fullmatch(
            r"[0-9a-f]{32}=[\w-]+\.[\w-]+; HttpOnly; Path=/", reply.set_cookie
        )

    async def test_cookie_is_reused(
        self, start_fleet: FleetStarter, session: aiohttp.ClientSession
    ) -> None:
        """A client that sends the cookie back keeps one session over many calls."""
        sim = await start_fleet([make_spec()])
        panel = sim.panels[0]

        replies = [
            await call(session, panel, "/ajax", "GetTaskCount") for _ in range(5)
        ]

        assert sim.stats(panel.name).sessions_created == 1
        assert sim.stats(panel.name).sessions_active == 1
        assert len({reply.set_cookie for reply in replies}) == 1

    async def test_cookieless_calls_create_sessions(
        self, start_fleet: FleetStarter
    ) -> None:
        """Without a cookie jar every successful call stores one more session."""
        sim = await start_fleet([make_spec()])
        panel = sim.panels[0]

        async with aiohttp.ClientSession(cookie_jar=aiohttp.DummyCookieJar()) as http:
            for _ in range(3):
                await call(http, panel, "/ajax", "GetTaskCount")

        assert sim.stats(panel.name).sessions_created == 3

    async def test_default_jar_drops_cookies(self, start_fleet: FleetStarter) -> None:
        """aiohttp's default jar ignores cookies from IP hosts, so each call is new."""
        sim = await start_fleet([make_spec()])
        panel = sim.panels[0]

        async with aiohttp.ClientSession() as http:
            for _ in range(2):
                await call(http, panel, "/ajax", "GetTaskCount")

        assert sim.stats(panel.name).sessions_created == 2

    async def test_failure_deletes_cookie(
        self, start_fleet: FleetStarter, session: aiohttp.ClientSession
    ) -> None:
        """A rejected call expires the cookie and ends the stored session."""
        sim = await start_fleet([make_spec()])
        panel = sim.panels[0]
        await call(session, panel, "/ajax", "GetTaskCount")

        reply = await call(session, panel, "/ajax", "GetTaskCount", key="z" * 32)

        name = panel.runtime.sessions.cookie_name
        assert reply.set_cookie.startswith(f"{name}=; Expires=Thu, 01 Jan 1970")
        assert "Max-Age=0" in reply.set_cookie
        assert sim.stats(panel.name).sessions_active == 0

    async def test_404_page_sets_no_cookie(
        self, start_fleet: FleetStarter, session: aiohttp.ClientSession
    ) -> None:
        """The unauthenticated 404 page neither sets nor deletes the cookie."""
        sim = await start_fleet([make_spec()])

        reply = await call(
            session, sim.panels[0], "/ajax", "GetTaskCount", signed=False
        )

        assert reply.status == 404
        assert reply.set_cookie == ""

    async def test_session_expires_after_lifetime(
        self,
        start_fleet: FleetStarter,
        session: aiohttp.ClientSession,
        clock: ManualClock,
    ) -> None:
        """A cookie unused for longer than the lifetime leads to a new session."""
        sim = await start_fleet([make_spec(session_lifetime=600.0)])
        panel = sim.panels[0]
        await call(session, panel, "/ajax", "GetTaskCount")
        clock.advance(599)
        await call(session, panel, "/ajax", "GetTaskCount")
        clock.advance(599)
        await call(session, panel, "/ajax", "GetTaskCount")
        created_before_expiry = sim.stats(panel.name).sessions_created

        clock.advance(601)
        await call(session, panel, "/ajax", "GetTaskCount")

        assert created_before_expiry == 1
        assert sim.stats(panel.name).sessions_created == 2

    async def test_cookie_rotates_every_n_calls(
        self, start_fleet: FleetStarter, session: aiohttp.ClientSession
    ) -> None:
        """With rotation every 2 calls the cookie value changes on calls 2 and 4."""
        sim = await start_fleet([make_spec(rotate_cookie_every=2)])
        panel = sim.panels[0]

        cookies = [
            (await call(session, panel, "/ajax", "GetTaskCount")).set_cookie
            for _ in range(4)
        ]

        assert cookies[0] != cookies[1]
        assert cookies[1] == cookies[2]
        assert cookies[2] != cookies[3]
        assert sim.stats(panel.name).cookies_rotated == 2
        assert sim.stats(panel.name).sessions_created == 1
        assert sim.stats(panel.name).sessions_active == 1

    async def test_panels_on_one_host_keep_apart(
        self, start_fleet: FleetStarter, session: aiohttp.ClientSession
    ) -> None:
        """Two panels on one address share the jar but each reads only its cookie."""
        sim = await start_fleet([make_spec("sim-0001"), make_spec("sim-0002")])
        first, second = sim.panels

        for _ in range(3):
            await call(session, first, "/ajax", "GetTaskCount")
            await call(session, second, "/ajax", "GetTaskCount")

        assert sim.stats(first.name).sessions_created == 1
        assert sim.stats(second.name).sessions_created == 1


class TestAapanelSessions:
    async def test_rejected_call_stores_session(
        self, start_fleet: FleetStarter, session: aiohttp.ClientSession
    ) -> None:
        """aaPanel stores a session even for a rejected call but sends no cookie."""
        sim = await start_fleet([make_spec(flavour="aapanel8")])
        panel = sim.panels[0]

        reply = await call(session, panel, "/ajax", "GetTaskCount", key="z" * 32)

        assert reply.set_cookie == ""
        assert sim.stats(panel.name).sessions_created == 1

    async def test_cookie_sent_only_once(
        self, start_fleet: FleetStarter, session: aiohttp.ClientSession
    ) -> None:
        """aaPanel sets the cookie only on a call that carried none."""
        sim = await start_fleet([make_spec(flavour="aapanel8")])
        panel = sim.panels[0]

        first = await call(session, panel, "/ajax", "GetTaskCount")
        second = await call(session, panel, "/ajax", "GetTaskCount")

        assert first.set_cookie != ""
        assert second.set_cookie == ""
        assert sim.stats(panel.name).sessions_created == 1


class TestSessionCookieLookup:
    def test_finds_cookie_among_many(self) -> None:
        """The panel's cookie is found in a header shared with other panels' cookies."""
        panel = make_runtime()
        name = panel.sessions.cookie_name
        others = "; ".join(f"{index:032x}=v{index}" for index in range(50))

        header = f"{others}; {name}=abc.def; zz=1"

        assert session_cookie(header, panel) == "abc.def"

    def test_name_inside_value_ignored(self) -> None:
        """A value that happens to contain the name does not count as the cookie."""
        panel = make_runtime()
        name = panel.sessions.cookie_name

        header = f"other=x{name}=fake; {name}=real"

        assert session_cookie(header, panel) == "real"

    def test_missing_cookie(self) -> None:
        """Headers without the panel's cookie give None."""
        panel = make_runtime()

        assert session_cookie(None, panel) is None
        assert session_cookie("a=1; b=2", panel) is None
