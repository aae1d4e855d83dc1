"""aaPanel 8 specifics: English texts, /v2 routes, JSON bodies and X-Real-Ip."""

from __future__ import annotations

import json

import aiohttp

from fleet.simulator import ManualClock

from . import expected
from .helpers import FleetStarter, call, make_spec, signature


class TestEnglishTexts:
    async def test_wrong_key_body(
        self, start_fleet: FleetStarter, session: aiohttp.ClientSession
    ) -> None:
        """A wrong key gets aaPanel's English failure body."""
        sim = await start_fleet([make_spec(flavour="aapanel8")])

        reply = await call(
            session, sim.panels[0], "/ajax", "GetTaskCount", key="q" * 32
        )

        assert reply.body == expected.AAPANEL_BAD_TOKEN
        assert reply.content_type == expected.HTML_UTF8

    async def test_lockout_body(
        self, start_fleet: FleetStarter, session: aiohttp.ClientSession
    ) -> None:
        """Twenty failures lock the client out with the English message."""
        sim = await start_fleet([make_spec(flavour="aapanel8")])
        panel = sim.panels[0]
        for _ in range(20):
            await call(session, panel, "/ajax", "GetTaskCount", key="q" * 32)

        reply = await call(session, panel, "/ajax", "GetTaskCount")

        assert reply.body == expected.AAPANEL_LOCKOUT

    async def test_whitelist_body(
        self, start_fleet: FleetStarter, session: aiohttp.ClientSession
    ) -> None:
        """A whitelist miss names the address with no space before the bracket."""
        sim = await start_fleet(
            [make_spec(flavour="aapanel8", whitelist=("198.51.100.0/24",))]
        )

        reply = await call(session, sim.panels[0], "/ajax", "GetTaskCount")

        assert reply.body == expected.aapanel_ip_failure("127.0.0.1")

    async def test_unknown_and_missing_action(
        self, start_fleet: FleetStarter, session: aiohttp.ClientSession
    ) -> None:
        """An unknown action gets the English rejection; a missing one the 404 page."""
        sim = await start_fleet([make_spec(flavour="aapanel8")])
        panel = sim.panels[0]

        unknown = await call(session, panel, "/system", "Nope")
        missing = await call(session, panel, "/system", None)

        assert unknown.body == expected.AAPANEL_UNKNOWN_ACTION
        assert missing.status == 404
        assert missing.body == expected.AAPANEL_404

    async def test_site_stop_message(
        self, start_fleet: FleetStarter, session: aiohttp.ClientSession
    ) -> None:
        """SiteStop responds in English."""
        sim = await start_fleet([make_spec(flavour="aapanel8")])
        fields = {"id": "1", "name": "any"}

        reply = await call(session, sim.panels[0], "/site", "SiteStop", fields=fields)

        assert json.loads(reply.body) == {"status": True, "msg": "Site stopped"}


class TestV2Routes:
    async def test_envelope_wraps_dict(
        self,
        start_fleet: FleetStarter,
        session: aiohttp.ClientSession,
        clock: ManualClock,
    ) -> None:
        """/v2 wraps a dict result as status 0 with the clock's timestamp."""
        sim = await start_fleet([make_spec(flavour="aapanel8")])
        panel = sim.panels[0]

        v1 = await call(session, panel, "/system", "GetSystemTotal")
        v2 = await call(session, panel, "/v2/system", "GetSystemTotal")

        assert v2.content_type == expected.JSON_TYPE
        assert v2.body.startswith(
            b'{"status": 0, "timestamp": %d, "message": {"memTotal": ' % int(clock())
        )
        assert json.loads(v2.body)["message"] == json.loads(v1.body)

    async def test_envelope_wraps_scalars_and_messages(
        self, start_fleet: FleetStarter, session: aiohttp.ClientSession
    ) -> None:
        """Bare numbers and status/msg results become {"result": value}."""
        sim = await start_fleet([make_spec(flavour="aapanel8")])
        panel = sim.panels[0]
        service = {"name": "redis", "type": "start"}

        count = json.loads(
            (await call(session, panel, "/v2/ajax", "GetTaskCount")).body
        )
        failed = json.loads(
            (
                await call(session, panel, "/v2/system", "ServiceAdmin", fields=service)
            ).body
        )

        assert count["status"] == 0
        assert count["message"] == {"result": 0}
        assert failed["status"] == -1
        assert failed["message"] == {"result": "Service [redis] is not installed!"}

    async def test_failures_keep_v1_shape(
        self, start_fleet: FleetStarter, session: aiohttp.ClientSession
    ) -> None:
        """Auth and unknown-action failures on /v2 keep the v1 body."""
        sim = await start_fleet([make_spec(flavour="aapanel8")])
        panel = sim.panels[0]

        bad_key = await call(
            session, panel, "/v2/system", "GetSystemTotal", key="q" * 32
        )
        unknown = await call(session, panel, "/v2/system", "Nope")

        assert bad_key.body == expected.AAPANEL_BAD_TOKEN
        assert unknown.body == expected.AAPANEL_UNKNOWN_ACTION

    async def test_baota_has_no_v2(
        self, start_fleet: FleetStarter, session: aiohttp.ClientSession
    ) -> None:
        """BaoTa panels send the 404 page for /v2 paths."""
        sim = await start_fleet([make_spec()])

        reply = await call(session, sim.panels[0], "/v2/system", "GetSystemTotal")

        assert reply.status == 404


class TestRequestParsing:
    async def test_json_numeric_time_redirects(
        self, start_fleet: FleetStarter, session: aiohttp.ClientSession
    ) -> None:
        """A JSON body with an integer request_time breaks the check: 302 to /login."""
        sim = await start_fleet([make_spec(flavour="aapanel8")])
        panel = sim.panels[0]
        fields = signature(panel.spec.key, "1700000000")
        body = {"request_time": 1700000000, "request_token": fields["request_token"]}

        async with session.post(
            panel.url + "/ajax?action=GetTaskCount", json=body, allow_redirects=False
        ) as response:
            status = response.status
            location = response.headers.get("Location")

        assert status == 302
        assert location == "/login"

    async def test_json_string_fields_work(
        self, start_fleet: FleetStarter, session: aiohttp.ClientSession
    ) -> None:
        """A JSON body with string fields signs like a form."""
        sim = await start_fleet([make_spec(flavour="aapanel8")])
        panel = sim.panels[0]

        async with session.post(
            panel.url + "/ajax?action=GetTaskCount", json=signature(panel.spec.key)
        ) as response:
            body = await response.read()

        assert body == b"0"

    async def test_real_ip_header_passes_whitelist(
        self, start_fleet: FleetStarter, session: aiohttp.ClientSession
    ) -> None:
        """aaPanel trusts X-Real-Ip from any client, so it can satisfy the whitelist."""
        sim = await start_fleet(
            [make_spec(flavour="aapanel8", whitelist=("198.51.100.7",))]
        )
        headers = {"X-Real-Ip": "198.51.100.7"}

        reply = await call(
            session, sim.panels[0], "/ajax", "GetTaskCount", headers=headers
        )

        assert reply.body == b"0"
