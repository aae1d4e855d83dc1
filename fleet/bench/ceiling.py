"""The ceiling: the same fan-out written directly on aiohttp, with nothing else.

It does what fleet's main job does on the wire and no more. A pool of workers
takes panels from a shared queue, and each panel gets its own session, cookie
jar and two-connection connector. The first call goes alone, so the panel
creates one session. The other calls follow one at a time while other panels
wait in the queue, and together once the queue is empty. There are no
retries, rate limits, reports, cookie files or logging. The answers are
parsed as JSON and counted.

The tuned variant raises the garbage collector's thresholds, freezes the
objects made during set-up, and keeps up to 128 panels in progress with no
fleet-wide request limit beyond two per panel.
"""

from __future__ import annotations

import asyncio
import collections
import dataclasses
import gc
import hashlib
import json
import time
from collections.abc import Sequence
from contextlib import AbstractAsyncContextManager, nullcontext
from urllib.parse import urlencode

import aiohttp

from fleet.bench.targets import Request, Target

TUNED_PANELS_IN_PROGRESS = 128
# Generation-0 collections every 50,000 allocations instead of every 700.
TUNED_GC_THRESHOLDS = (50_000, 50, 100)
FORM_TYPE = "application/x-www-form-urlencoded"


@dataclasses.dataclass(slots=True)
class Tally:
    """Counts of requests sent and answers that parsed as JSON."""

    requests: int = 0
    ok: int = 0


def sign(key_digest: str) -> dict[str, str]:
    """Return the panel's two auth fields for the current second."""
    now = str(int(time.time()))
    token = hashlib.md5((now + key_digest).encode(), usedforsecurity=False)

    return {"request_time": now, "request_token": token.hexdigest()}


class CeilingClient:
    """Bare-aiohttp fan-out over a list of panels."""

    def __init__(
        self,
        requests: Sequence[Request],
        panels_in_progress: int,
        requests_in_flight: int | None,
    ) -> None:
        self.requests = requests
        self.panels_in_progress = panels_in_progress
        self.gate = (
            asyncio.Semaphore(requests_in_flight) if requests_in_flight else None
        )
        self.tally = Tally()

    async def run(self, targets: Sequence[Target]) -> Tally:
        queue = collections.deque(targets)
        workers = min(self.panels_in_progress, len(targets))
        await asyncio.gather(*(self.work(queue) for _ in range(workers)))

        return self.tally

    async def work(self, queue: collections.deque[Target]) -> None:
        while queue:
            await self.run_panel(queue.popleft(), queue)

    async def run_panel(self, target: Target, queue: collections.deque[Target]) -> None:
        digest = hashlib.md5(target.key.encode(), usedforsecurity=False).hexdigest()
        connector = aiohttp.TCPConnector(limit=2)
        jar = aiohttp.CookieJar(unsafe=True)
        async with aiohttp.ClientSession(
            connector=connector, cookie_jar=jar
        ) as session:
            first, *rest = self.requests
            await self.post(session, target, digest, first)
            if queue:
                # Other panels wait, as in fleet: one connection, calls in turn.
                for request in rest:
                    await self.post(session, target, digest, request)
            else:
                await asyncio.gather(
                    *(self.post(session, target, digest, r) for r in rest)
                )

    async def post(
        self,
        session: aiohttp.ClientSession,
        target: Target,
        digest: str,
        request: Request,
    ) -> None:
        url = f"{target.url}{request.route}?action={request.action}"
        form = urlencode({**dict(request.params), **sign(digest)}).encode()
        async with self.slot():
            self.tally.requests += 1
            async with session.post(
                url, data=form, headers={"Content-Type": FORM_TYPE}
            ) as response:
                body = await response.read()
        if response.status == 200:
            json.loads(body)
            self.tally.ok += 1

    def slot(self) -> AbstractAsyncContextManager[object]:
        return self.gate if self.gate is not None else nullcontext()


def tune_gc() -> None:
    """Apply the tuned ceiling's garbage-collector settings."""
    gc.collect()
    gc.freeze()
    gc.set_threshold(*TUNED_GC_THRESHOLDS)
