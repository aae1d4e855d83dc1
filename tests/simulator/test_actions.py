"""Read and write actions of simulated panels, over HTTP."""

from __future__ import annotations

import json
import time

import aiohttp

from fleet.simulator import ManualClock, SimulatedFleet

from . import expected
from .helpers import FleetStarter, call, make_spec, md5_hex


def decode(body: bytes) -> object:
    """Parse a JSON body."""
    return json.loads(body)


def as_dict(body: bytes) -> dict[str, object]:
    """Parse a JSON object body."""
    value = json.loads(body)
    assert isinstance(value, dict)
    return value


class TestGetData:
    async def test_paging_and_pager(
        self, start_fleet: FleetStarter, session: aiohttp.ClientSession
    ) -> None:
        """Page 3 of 25 sites at 10 per page contains ids 5 to 1 and a full pager."""
        sim = await start_fleet([make_spec(site_count=25)])
        fields = {"table": "sites", "limit": "10", "p": "3"}

        reply = await call(session, sim.panels[0], "/data", "getData", fields=fields)

        result = as_dict(reply.body)
        rows = result["data"]
        assert isinstance(rows, list)
        assert [row["id"] for row in rows] == [5, 4, 3, 2, 1]
        assert result["page"] == (
            "<div><a class='Pstart' href='/data?p=1'>首页</a>"
            "<a class='Ppren' href='/data?p=2'>上一页</a>"
            "<a class='Pnum' href='/data?p=1'>1</a>"
            "<a class='Pnum' href='/data?p=2'>2</a>"
            "<span class='Pcurrent'>3</span>"
            "<span class='Pcount'>共25条</span></div>"
        )
        assert result["where"] == ""
        assert "net_flow_type" in result

    async def test_default_limit_is_twenty(
        self, start_fleet: FleetStarter, session: aiohttp.ClientSession
    ) -> None:
        """Without limit a page contains 20 rows and the pager links use tojs."""
        sim = await start_fleet([make_spec(site_count=25)])
        fields = {"table": "sites", "tojs": "site.get_list"}

        reply = await call(session, sim.panels[0], "/data", "getData", fields=fields)

        result = as_dict(reply.body)
        assert isinstance(result["data"], list)
        assert len(result["data"]) == 20
        assert "onclick='site.get_list(2)'" in str(result["page"])

    async def test_passwords_are_fake(
        self, start_fleet: FleetStarter, session: aiohttp.ClientSession
    ) -> None:
        """FTP and database rows carry plaintext passwords that are obviously fake."""
        sim = await start_fleet([make_spec(site_count=12)])
        panel = sim.panels[0]

        for table, prefix in (
            ("ftps", "simulated-ftp-"),
            ("databases", "simulated-db-"),
        ):
            reply = await call(
                session, panel, "/data", "getData", fields={"table": table}
            )
            rows = as_dict(reply.body)["data"]
            assert isinstance(rows, list)
            assert rows
            for row in rows:
                assert row["password"].startswith(prefix)

    async def test_database_where_clause(
        self, start_fleet: FleetStarter, session: aiohttp.ClientSession
    ) -> None:
        """The databases table reports its MySQL filter in the where field."""
        sim = await start_fleet([make_spec()])

        reply = await call(
            session, sim.panels[0], "/data", "getData", fields={"table": "databases"}
        )

        assert as_dict(reply.body)["where"] == 'LOWER(type) = LOWER("MySQL")'

    async def test_errors_come_back_as_traceback(
        self, start_fleet: FleetStarter, session: aiohttp.ClientSession
    ) -> None:
        """Unknown tables and backup searches without type return a traceback string."""
        sim = await start_fleet([make_spec()])
        panel = sim.panels[0]
        cases = [{"table": "nope"}, {"table": "backup", "search": "1"}, {"limit": "1"}]

        for fields in cases:
            reply = await call(session, panel, "/data", "getData", fields=fields)
            assert reply.status == 200
            body = decode(reply.body)
            assert isinstance(body, str)
            assert body.startswith("Traceback (most recent call last):")

    async def test_backup_search_by_owner(
        self, start_fleet: FleetStarter, session: aiohttp.ClientSession
    ) -> None:
        """search plus type returns only that site's backups."""
        sim = await start_fleet([make_spec(overrides={"backup_age_days": 2})])
        fields = {"table": "backup", "search": "1", "type": "0"}

        reply = await call(session, sim.panels[0], "/data", "getData", fields=fields)

        result = as_dict(reply.body)
        rows = result["data"]
        assert isinstance(rows, list)
        assert rows
        assert {row["pid"] for row in rows} == {1}
        assert result["where"] == "pid=? and type='0'"

    async def test_backup_age_override(
        self,
        start_fleet: FleetStarter,
        session: aiohttp.ClientSession,
        clock: ManualClock,
    ) -> None:
        """The newest backup of a site is backup_age_days old."""
        sim = await start_fleet([make_spec(overrides={"backup_age_days": 9})])
        fields = {"table": "backup", "search": "1", "type": "0"}

        reply = await call(session, sim.panels[0], "/data", "getData", fields=fields)

        rows = as_dict(reply.body)["data"]
        assert isinstance(rows, list)
        newest = max(row["addtime"] for row in rows)
        assert newest == time.strftime(
            "%Y-%m-%d %H:%M:%S", time.gmtime(clock() - 9 * 86400)
        )

    async def test_logs_list_is_bare(
        self, start_fleet: FleetStarter, session: aiohttp.ClientSession
    ) -> None:
        """The list parameter returns a bare row list for logs, newest first."""
        sim = await start_fleet([make_spec()])
        fields = {"table": "logs", "list": "1"}

        reply = await call(session, sim.panels[0], "/data", "getData", fields=fields)

        rows = decode(reply.body)
        assert isinstance(rows, list)
        assert len(rows) >= 25
        assert rows[0]["id"] > rows[-1]["id"]

    async def test_search_by_name(
        self, start_fleet: FleetStarter, session: aiohttp.ClientSession
    ) -> None:
        """A search word keeps the sites whose name contains it."""
        names = ["alpha.example.com", "beta.example.com", "gamma.example.org"]
        sim = await start_fleet([make_spec(overrides={"site_names": names})])
        fields = {"table": "sites", "search": "beta"}

        reply = await call(session, sim.panels[0], "/data", "getData", fields=fields)

        rows = as_dict(reply.body)["data"]
        assert isinstance(rows, list)
        assert [row["name"] for row in rows] == ["beta.example.com"]


class TestDispatch:
    async def test_unknown_action_body(
        self, start_fleet: FleetStarter, session: aiohttp.ClientSession
    ) -> None:
        """An action outside the route's allow-list gets the exact JSON rejection."""
        sim = await start_fleet([make_spec()])

        reply = await call(session, sim.panels[0], "/system", "DeleteEverything")

        assert reply.status == 200
        assert reply.content_type == expected.JSON_TYPE
        assert reply.body == expected.BAOTA_UNKNOWN_ACTION

    async def test_missing_action_on_baota(
        self, start_fleet: FleetStarter, session: aiohttp.ClientSession
    ) -> None:
        """BaoTa treats a call without action like an unknown action."""
        sim = await start_fleet([make_spec()])

        reply = await call(session, sim.panels[0], "/system", None)

        assert reply.body == expected.BAOTA_UNKNOWN_ACTION

    async def test_missing_parameter_gets_404(
        self, start_fleet: FleetStarter, session: aiohttp.ClientSession
    ) -> None:
        """A handler whose required parameter is missing ends in the 404 page."""
        sim = await start_fleet([make_spec()])
        panel = sim.panels[0]

        no_name = await call(session, panel, "/site", "GetSSL")
        bad_id = await call(session, panel, "/site", "SiteStop", fields={"id": "x"})

        assert no_name.status == 404
        assert no_name.body == expected.BAOTA_404
        assert bad_id.status == 404
        assert sim.stats(panel.name).actions == {}


class TestSystemActions:
    async def test_versions_per_flavour(
        self, start_fleet: FleetStarter, session: aiohttp.ClientSession
    ) -> None:
        """GetSystemTotal reports each flavour's version, uptime wording and fields."""
        sim = await start_fleet(
            [
                make_spec("bt11", flavour="baota11"),
                make_spec("bt7", flavour="baota7"),
                make_spec("aa8", flavour="aapanel8"),
            ]
        )
        totals = {}
        for panel in sim.panels:
            reply = await call(session, panel, "/system", "GetSystemTotal")
            totals[panel.name] = as_dict(reply.body)

        assert totals["bt11"]["version"] == "11.7.0"
        assert str(totals["bt11"]["time"]).endswith("天")
        assert "memNewTotal" in totals["bt11"]
        assert totals["bt7"]["version"] == "7.9.25"
        assert "memNewTotal" not in totals["bt7"]
        assert totals["aa8"]["version"] == "8.10.0"
        assert str(totals["aa8"]["time"]).endswith(" Day(s)")

    async def test_overrides_reach_responses(
        self, start_fleet: FleetStarter, session: aiohttp.ClientSession
    ) -> None:
        """Pinned version and disk usage show up in GetSystemTotal and GetDiskInfo."""
        overrides = {"panel_version": "11.0.0", "disk_used_percent": 91.5}
        sim = await start_fleet([make_spec(overrides=overrides)])
        panel = sim.panels[0]

        total = await call(session, panel, "/system", "GetSystemTotal")
        disks = decode((await call(session, panel, "/system", "GetDiskInfo")).body)

        assert as_dict(total.body)["version"] == "11.0.0"
        assert isinstance(disks, list)
        assert disks[0]["path"] == "/"
        assert disks[0]["size"][3] == "91.50%"

    async def test_config_info_has_fake_mysql_root(
        self, start_fleet: FleetStarter, session: aiohttp.ClientSession
    ) -> None:
        """GetConcifInfo carries a MySQL root password that is recognisably fake."""
        sim = await start_fleet([make_spec()])
        panel = sim.panels[0]

        reply = await call(session, panel, "/system", "GetConcifInfo")

        root = as_dict(reply.body)["mysql_root"]
        assert isinstance(root, str)
        assert root.startswith("simulated-mysql-root-")
        assert panel.spec.key not in root

    async def test_service_admin_stops_nginx(
        self, start_fleet: FleetStarter, session: aiohttp.ClientSession
    ) -> None:
        """Stopping nginx succeeds and GetConcifInfo then shows it stopped."""
        sim = await start_fleet([make_spec()])
        panel = sim.panels[0]
        fields = {"name": "nginx", "type": "stop"}

        reply = await call(session, panel, "/system", "ServiceAdmin", fields=fields)
        config = as_dict((await call(session, panel, "/system", "GetConcifInfo")).body)

        assert as_dict(reply.body) == {"status": True, "msg": "执行成功!"}
        web = config["web"]
        assert isinstance(web, dict)
        assert web["status"] is False

    async def test_service_admin_unknown_service(
        self, start_fleet: FleetStarter, session: aiohttp.ClientSession
    ) -> None:
        """A service that is not installed gets a status false response."""
        sim = await start_fleet([make_spec()])
        fields = {"name": "redis", "type": "start"}

        reply = await call(
            session, sim.panels[0], "/system", "ServiceAdmin", fields=fields
        )

        assert as_dict(reply.body)["status"] is False

    async def test_update_panel_never_installs(
        self, start_fleet: FleetStarter, session: aiohttp.ClientSession
    ) -> None:
        """UpdatePanel reports a newer version when pinned so, and never forces it."""
        sim = await start_fleet(
            [make_spec("old", overrides={"update_available": True}), make_spec("new")]
        )
        old, new = sim.panels

        old_reply = as_dict((await call(session, old, "/ajax", "UpdatePanel")).body)
        new_reply = as_dict((await call(session, new, "/ajax", "UpdatePanel")).body)

        assert old_reply["status"] is True
        assert new_reply["status"] is False
        old_info = old_reply["msg"]
        assert isinstance(old_info, dict)
        assert old_info["version"] == "11.7.1"
        assert old_info["force"] is False


class TestSiteActions:
    async def test_site_stop_changes_status(
        self, start_fleet: FleetStarter, session: aiohttp.ClientSession
    ) -> None:
        """SiteStop flips the site's status in later getData responses."""
        sim = await start_fleet([make_spec(overrides={"stopped_sites": []})])
        panel = sim.panels[0]
        fields = {"table": "sites", "search": "1"}
        before = as_dict(
            (await call(session, panel, "/data", "getData", fields=fields)).body
        )
        stop_fields = {"id": "1", "name": panel.runtime.data.sites[0].name}

        stopped = await call(session, panel, "/site", "SiteStop", fields=stop_fields)
        after = as_dict(
            (await call(session, panel, "/data", "getData", fields=fields)).body
        )
        started = await call(session, panel, "/site", "SiteStart", fields=stop_fields)

        assert as_dict(stopped.body) == {"status": True, "msg": "站点已停用"}
        assert as_dict(started.body) == {"status": True, "msg": "站点已启用"}
        before_rows = before["data"]
        after_rows = after["data"]
        assert isinstance(before_rows, list)
        assert isinstance(after_rows, list)
        assert before_rows[-1]["status"] == "1"
        assert after_rows[-1]["status"] == "0"

    async def test_ssl_expiry_override(
        self,
        start_fleet: FleetStarter,
        session: aiohttp.ClientSession,
        clock: ManualClock,
    ) -> None:
        """GetSSL reports the pinned days left and a fake private key."""
        names = ["shop.example.com", "blog.example.org"]
        overrides = {
            "site_names": names,
            "ssl_expiry_days": {"shop.example.com": 6, "blog.example.org": None},
        }
        sim = await start_fleet([make_spec(site_count=2, overrides=overrides)])
        panel = sim.panels[0]

        shop = as_dict(
            (
                await call(
                    session, panel, "/site", "GetSSL", fields={"siteName": names[0]}
                )
            ).body
        )
        blog = as_dict(
            (
                await call(
                    session, panel, "/site", "GetSSL", fields={"siteName": names[1]}
                )
            ).body
        )

        cert = shop["cert_data"]
        assert isinstance(cert, dict)
        assert cert["endtime"] == 6
        assert cert["notAfter"] == time.strftime(
            "%Y-%m-%d %H:%M:%S", time.gmtime(clock() + 6 * 86400)
        )
        assert str(shop["key"]).startswith("-----BEGIN PRIVATE KEY-----\nSIMULATED-")
        assert blog["status"] is False

    async def test_php_versions(
        self, start_fleet: FleetStarter, session: aiohttp.ClientSession
    ) -> None:
        """GetPHPVersion lists static first, then the pinned PHP versions."""
        sim = await start_fleet([make_spec(overrides={"php_versions": ["74", "82"]})])

        reply = await call(session, sim.panels[0], "/site", "GetPHPVersion")

        versions = decode(reply.body)
        assert versions == [
            {"version": "00", "name": "纯静态", "status": True},
            {"version": "74", "name": "PHP-74", "status": True},
            {"version": "82", "name": "PHP-82", "status": True},
        ]

    async def test_domain_shapes(
        self, start_fleet: FleetStarter, session: aiohttp.ClientSession
    ) -> None:
        """BaoTa 11 domain entries carry binding details; 7.x entries do not."""
        sim = await start_fleet([make_spec("bt11"), make_spec("bt7", flavour="baota7")])
        modern, legacy = sim.panels

        new = as_dict(
            (
                await call(
                    session, modern, "/site", "GetSiteDomains", fields={"id": "1"}
                )
            ).body
        )
        old = as_dict(
            (
                await call(
                    session, legacy, "/site", "GetSiteDomains", fields={"id": "1"}
                )
            ).body
        )

        new_domains = new["domains"]
        old_domains = old["domains"]
        assert isinstance(new_domains, list)
        assert isinstance(old_domains, list)
        assert set(new_domains[0]) == {
            "id",
            "name",
            "binding",
            "apply_ssl",
            "dns_status",
            "root_domain_id",
        }
        assert set(old_domains[0]) == {"id", "name"}


class TestData:
    async def test_same_spec_same_bytes(self, clock: ManualClock) -> None:
        """Two fleets from the same spec and clock serve identical bodies."""
        bodies = []
        for _ in range(2):
            fleet = SimulatedFleet([make_spec(site_count=8)], clock=clock)
            async with fleet as sim, aiohttp.ClientSession() as http:
                reply = await call(
                    http,
                    sim.panels[0],
                    "/data",
                    "getData",
                    fields={"table": "sites"},
                )
                bodies.append(reply.body)

        assert bodies[0] == bodies[1]

    async def test_key_never_in_responses(
        self, start_fleet: FleetStarter, session: aiohttp.ClientSession
    ) -> None:
        """No read response contains the panel key or its md5 token."""
        sim = await start_fleet([make_spec(site_count=6)])
        panel = sim.panels[0]
        secrets = (panel.spec.key.encode(), md5_hex(panel.spec.key).encode())
        site = panel.runtime.data.sites[0].name
        calls = [
            ("/system", "GetSystemTotal", {}),
            ("/system", "GetNetWork", {}),
            ("/system", "GetConcifInfo", {}),
            ("/site", "GetSSL", {"siteName": site}),
            ("/data", "getData", {"table": "ftps"}),
            ("/data", "getData", {"table": "databases"}),
        ]

        for path, action, fields in calls:
            reply = await call(session, panel, path, action, fields=fields)
            assert reply.status == 200
            for secret in secrets:
                assert secret not in reply.body
