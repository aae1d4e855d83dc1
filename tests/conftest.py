"""Shared fixtures: a loop-lag watchdog for every async test."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator

import pytest

# Anything that holds the event loop longer than this stalls every panel.
MAX_LOOP_LAG_S = 0.25
TICK_S = 0.02


class LoopLagWatchdog:
    """Measures how late a periodic timer fires: the longest loop block."""

    def __init__(self) -> None:
        self.worst = 0.0
        self._task: asyncio.Task[None] | None = None

    def start(self) -> None:
        self._task = asyncio.create_task(self._watch())

    async def _watch(self) -> None:
        while True:
            before = time.perf_counter()
            await asyncio.sleep(TICK_S)
            late = time.perf_counter() - before - TICK_S
            self.worst = max(self.worst, late)

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            await asyncio.gather(self._task, return_exceptions=True)


@pytest.fixture(autouse=True)
async def loop_lag_watchdog(
    request: pytest.FixtureRequest,
) -> AsyncIterator[LoopLagWatchdog]:
    """Fail any async test during which the event loop was blocked too long."""
    watchdog = LoopLagWatchdog()
    watchdog.start()
    yield watchdog
    await watchdog.stop()
    if request.node.get_closest_marker("allow_loop_lag") is None:
        assert watchdog.worst <= MAX_LOOP_LAG_S, (
            f"the event loop was blocked for {watchdog.worst:.3f} s "
            f"(limit {MAX_LOOP_LAG_S} s)"
        )
