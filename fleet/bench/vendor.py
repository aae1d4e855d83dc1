"""A client built like the panel vendor's Python example, as the slow baseline.

It reproduces the example's shape, not its code. Calls go one after another.
Each call builds a new urllib opener, so it opens a new connection, loads the
panel's Mozilla-format cookie file, sends the signed form, saves the file
again and parses the answer.
"""

from __future__ import annotations

import hashlib
import json
import time
import urllib.request
from collections.abc import Sequence
from http.cookiejar import MozillaCookieJar
from pathlib import Path
from urllib.parse import urlencode

from fleet.bench.ceiling import Tally
from fleet.bench.targets import Request, Target

TIMEOUT_S = 30


def md5_hex(text: str) -> str:
    return hashlib.md5(text.encode(), usedforsecurity=False).hexdigest()


def post_with_cookie_file(url: str, form: dict[str, str], cookie_file: Path) -> bytes:
    """Send one POST through a fresh opener whose cookies live in ``cookie_file``."""
    jar = MozillaCookieJar(str(cookie_file))
    if cookie_file.exists():
        jar.load(ignore_discard=True, ignore_expires=True)
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    data = urlencode(form).encode()
    with opener.open(urllib.request.Request(url, data), timeout=TIMEOUT_S) as answer:
        jar.save(ignore_discard=True, ignore_expires=True)
        body: bytes = answer.read()

    return body


def run_vendor(
    targets: Sequence[Target], requests: Sequence[Request], cookie_dir: Path
) -> Tally:
    """Send every request to every panel, one at a time."""
    tally = Tally()
    cookie_dir.mkdir(parents=True, exist_ok=True)
    for target in targets:
        cookie_file = cookie_dir / f"{md5_hex(target.url)}.cookie"
        digest = md5_hex(target.key)
        for request in requests:
            now = str(int(time.time()))
            form = dict(request.params)
            form["request_time"] = now
            form["request_token"] = md5_hex(now + digest)
            url = f"{target.url}{request.route}?action={request.action}"
            tally.requests += 1
            json.loads(post_with_cookie_file(url, form, cookie_file))
            tally.ok += 1

    return tally
