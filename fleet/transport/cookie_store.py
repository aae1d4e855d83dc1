"""Panel session cookies kept between runs, one JSON file per panel.

The panel stores a server-side session for every successful call that
arrives without its cookie, and BaoTa 11 evicts the sessions closest to
expiry once it stores about 1,000, which can log out a real administrator. A
nightly run therefore reuses yesterday's cookie while the panel still
accepts it. Files hold session secrets: mode 0600 in a 0700 directory, JSON
only (never pickle), replaced atomically so overlapping runs never read half
a file; the last writer wins.
"""

from __future__ import annotations

import json
import logging
import os
import re
import time
from collections.abc import Iterable
from http.cookies import Morsel, SimpleCookie
from pathlib import Path
from typing import Any

import aiohttp
from yarl import URL

from fleet.atomic import replace_atomically

log = logging.getLogger(__name__)

FORMAT_VERSION = 1
_UNSAFE_FILE_CHARS = re.compile(r"[^A-Za-z0-9._-]")


def default_state_dir() -> Path:
    """Return ``$XDG_STATE_HOME/fleet``, or ``~/.local/state/fleet``."""
    base = os.environ.get("XDG_STATE_HOME") or Path.home() / ".local" / "state"
    return Path(base) / "fleet"


class CookieStore:
    """Loads and saves each panel's cookie jar under ``STATE_DIR/cookies``."""

    def __init__(self, state_dir: Path) -> None:
        self.directory = state_dir / "cookies"

    def path_for(self, panel_name: str) -> Path:
        safe = _UNSAFE_FILE_CHARS.sub("_", panel_name)
        return self.directory / f"{safe}.json"

    def load(self, panel_name: str, url: str, jar: aiohttp.CookieJar) -> None:
        """Fill ``jar`` with the panel's saved cookies; discard a corrupt file."""
        path = self.path_for(panel_name)
        try:
            document = json.loads(path.read_text(encoding="utf-8"))
            cookies = parse_document(document, url)
        except FileNotFoundError:
            return
        except (OSError, ValueError, KeyError, TypeError) as error:
            log.warning(
                "panel %s: discarding unreadable cookie file %s (%s)",
                panel_name,
                path,
                type(error).__name__,
            )
            path.unlink(missing_ok=True)
            return
        jar.update_cookies(cookies, response_url=URL(url))

    def save(self, panel_name: str, url: str, jar: aiohttp.CookieJar) -> None:
        """Write the jar's unexpired cookies for the panel, atomically."""
        document = {
            "version": FORMAT_VERSION,
            "panel": panel_name,
            "url": url,
            "saved_at": round(time.time(), 3),
            "cookies": [morsel_record(morsel) for morsel in jar],
        }
        self.directory.mkdir(mode=0o700, parents=True, exist_ok=True)
        text = json.dumps(document)
        replace_atomically(self.path_for(panel_name), lambda file: file.write(text))

    def prune(self, keep: Iterable[str]) -> int:
        """Delete files of panels not in ``keep``; return how many went."""
        wanted = {self.path_for(name).name for name in keep}
        removed = 0
        for path in self.directory.glob("*.json"):
            if path.name not in wanted:
                path.unlink(missing_ok=True)
                removed += 1
        return removed


def morsel_record(morsel: Morsel[str]) -> dict[str, Any]:
    return {
        "name": morsel.key,
        "value": morsel.value,
        "path": morsel["path"] or "/",
        "expires": morsel["expires"] or "",
    }


def parse_document(document: Any, url: str) -> SimpleCookie:
    """Check a saved file and return its cookies; raise ValueError if it is off."""
    if document.get("version") != FORMAT_VERSION:
        raise ValueError("unknown format version")
    if document.get("url") != url:
        # The panel moved: its old cookies belong to another server.
        return SimpleCookie()
    cookies: SimpleCookie = SimpleCookie()
    for record in document["cookies"]:
        name = str(record["name"])
        cookies[name] = str(record["value"])
        cookies[name]["path"] = str(record.get("path") or "/")
        if record.get("expires"):
            cookies[name]["expires"] = str(record["expires"])
    return cookies
