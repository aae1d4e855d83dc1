"""Redaction, fact extraction and paging of panel answers."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pytest

from fleet.errors import BadResponseError, UsageError
from fleet.operations.catalogue import raw_call, resolve_operations
from fleet.operations.facts import disk_facts, parse_size, site_facts
from fleet.operations.paging import fetch_all_rows
from fleet.operations.redact import REDACTED, redact

PEM = "-----BEGIN RSA PRIVATE KEY-----\nMIIE\n-----END RSA PRIVATE KEY-----"


class TestRedact:
    def test_password_fields_are_replaced(self) -> None:
        """FTP, database and MySQL root passwords never survive."""
        answer = {
            "mysql_root": "rootpw",
            "data": [{"name": "db1", "password": "dbpw"}, {"password": ""}],
        }
        clean = redact(answer)
        assert clean["mysql_root"] == REDACTED
        assert clean["data"][0]["password"] == REDACTED
        assert clean["data"][0]["name"] == "db1"
        assert clean["data"][1]["password"] == ""

    def test_private_key_is_replaced_under_any_name(self) -> None:
        """A PEM private key is removed even under an unexpected field name."""
        assert redact({"key": PEM, "other": [PEM]}) == {
            "key": REDACTED,
            "other": [REDACTED],
        }

    def test_original_is_not_modified(self) -> None:
        """Redaction returns a copy."""
        answer = {"password": "x"}
        redact(answer)
        assert answer == {"password": "x"}


class TestFacts:
    def test_baota11_disk_uses_exact_bytes(self) -> None:
        """BaoTa 11 byte counts are used as they are."""
        row = {
            "path": "/",
            "byte_size": [100, 40, 60],
            "size": ["1 GB", "0.4 GB", "0.6 GB", "40%"],
            "inodes": [10, 1, 9, "10.5 %"],
        }
        (mount,) = disk_facts([row])
        assert mount["size_bytes"] == 100
        assert mount["used_percent"] == 40.0
        assert mount["inodes_used_percent"] == 10.5

    def test_df_style_sizes_are_parsed(self) -> None:
        """aaPanel and BaoTa 7 pass df -h strings."""
        (mount,) = disk_facts([{"path": "/", "size": ["40G", "12G", "26G", "32%"]}])
        assert mount["size_bytes"] == 40 << 30
        assert mount["free_bytes"] == 26 << 30

    @pytest.mark.parametrize(
        ("text", "expected"),
        [
            ("39.0 GB", int(39.0 * (1 << 30))),
            ("512M", 512 << 20),
            ("7", 7),
            ("x", None),
        ],
    )
    def test_parse_size(self, text: str, expected: int | None) -> None:
        """Human sizes turn into bytes; garbage turns into None."""
        assert parse_size(text) == expected

    def test_site_certificate_expiry(self) -> None:
        """Sites report their certificate's days left, or None without SSL."""
        rows = [
            {"id": 1, "name": "a", "status": "1", "ssl": {"endtime": 41}},
            {"id": 2, "name": "b", "status": "0", "ssl": -1},
        ]
        facts = site_facts(rows)
        assert facts["count"] == 2
        assert facts["sites"][0]["ssl_days_left"] == 41
        assert facts["sites"][1]["ssl_days_left"] is None
        assert facts["sites"][1]["running"] is False

    def test_wrong_shape_is_a_bad_response(self) -> None:
        """A disk answer that is not a list raises a bad response."""
        with pytest.raises(BadResponseError):
            disk_facts({"status": True})


def pager(total: int) -> str:
    count = f"<span class='Pcount'>共{total}条</span>"
    return f"<div><span class='Pcurrent'>1</span>{count}</div>"


class TestPaging:
    async def test_follows_every_page(self) -> None:
        """Pages are requested until the pager's total is reached."""
        rows = list(range(45))
        seen: list[str] = []

        async def call(route: str, action: str, params: Mapping[str, str]) -> Any:
            seen.append(params["p"])
            page = int(params["p"])
            return {"data": rows[(page - 1) * 20 : page * 20], "page": pager(45)}

        fetched = await fetch_all_rows(call, "/data", "getData", {"table": "sites"})
        assert fetched == rows
        assert seen == ["1", "2", "3"]

    async def test_english_pager(self) -> None:
        """aaPanel's 'Total N' pager is understood."""

        async def call(route: str, action: str, params: Mapping[str, str]) -> Any:
            return {"data": [1], "page": "<span class='Pcount'>Total 1</span>"}

        assert await fetch_all_rows(call, "/data", "getData", {}) == [1]

    async def test_traceback_string_is_a_bad_response(self) -> None:
        """getData's traceback string becomes a bad response."""

        async def call(route: str, action: str, params: Mapping[str, str]) -> Any:
            return "Traceback (most recent call last):\nKeyError: 'x'"

        with pytest.raises(BadResponseError, match="KeyError"):
            await fetch_all_rows(call, "/data", "getData", {})


class TestCatalogue:
    def test_unknown_operation_lists_choices(self) -> None:
        """An unknown name is a usage error naming the valid ones."""
        with pytest.raises(UsageError, match="system"):
            resolve_operations(["sistem"])

    def test_write_needs_flag(self) -> None:
        """An action that is not a known read needs --write."""
        with pytest.raises(UsageError, match="--write"):
            raw_call("/site", "SiteStop", {"id": "1"}, allow_write=False)

    def test_write_allowed_with_flag(self) -> None:
        """With --write the call is built and marked as a write."""
        operation = raw_call("site", "SiteStop", {"id": "1"}, allow_write=True)
        assert operation.write
        assert operation.route == "/site"

    def test_known_read_needs_no_flag(self) -> None:
        """A catalogued read action is allowed without --write."""
        assert not raw_call("/system", "GetDiskInfo", {}, allow_write=False).write
