"""Session cookies saved between runs."""

from __future__ import annotations

import logging
import stat
from pathlib import Path

import aiohttp
import pytest
from yarl import URL

from fleet.transport.cookie_store import CookieStore

URL_A = "http://127.0.0.1:8888"


async def jar_with(name: str, value: str, url: str = URL_A) -> aiohttp.CookieJar:
    jar = aiohttp.CookieJar(unsafe=True)
    jar.update_cookies({name: value}, response_url=URL(url))
    return jar


class TestCookieStore:
    async def test_round_trip(self, tmp_path: Path) -> None:
        """A saved cookie comes back into a new jar for the same panel."""
        store = CookieStore(tmp_path)
        store.save("web-1", URL_A, await jar_with("sid", "abc"))
        jar = aiohttp.CookieJar(unsafe=True)
        store.load("web-1", URL_A, jar)
        assert {m.key: m.value for m in jar} == {"sid": "abc"}

    async def test_files_are_private(self, tmp_path: Path) -> None:
        """The cookie file is 0600 inside a 0700 directory."""
        store = CookieStore(tmp_path)
        store.save("web-1", URL_A, await jar_with("sid", "abc"))
        path = store.path_for("web-1")
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
        assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
        assert path.read_text().startswith("{")

    async def test_corrupt_file_is_discarded(
        self, tmp_path: Path, caplog: pytest.LogCaptureFixture
    ) -> None:
        """An unreadable file is removed with a warning and the jar stays empty."""
        store = CookieStore(tmp_path)
        store.directory.mkdir(parents=True)
        store.path_for("web-1").write_text("\x80garbage")
        jar = aiohttp.CookieJar(unsafe=True)
        with caplog.at_level(logging.WARNING):
            store.load("web-1", URL_A, jar)
        assert len(jar) == 0
        assert not store.path_for("web-1").exists()
        assert "web-1" in caplog.text

    async def test_moved_panel_loses_cookies(self, tmp_path: Path) -> None:
        """Cookies saved for another URL are not sent to the panel's new one."""
        store = CookieStore(tmp_path)
        store.save("web-1", URL_A, await jar_with("sid", "abc"))
        jar = aiohttp.CookieJar(unsafe=True)
        store.load("web-1", "http://127.0.0.2:8888", jar)
        assert len(jar) == 0

    async def test_prune_removes_unknown_panels(self, tmp_path: Path) -> None:
        """Files of panels no longer in the inventory are deleted."""
        store = CookieStore(tmp_path)
        store.save("keep", URL_A, await jar_with("sid", "a"))
        store.save("gone", URL_A, await jar_with("sid", "b"))
        assert store.prune(["keep"]) == 1
        assert store.path_for("keep").exists()
        assert not store.path_for("gone").exists()

    async def test_names_cannot_escape_directory(self, tmp_path: Path) -> None:
        """A panel name with path characters stays inside the cookie directory."""
        store = CookieStore(tmp_path)
        assert store.path_for("../../etc/x").parent == store.directory
