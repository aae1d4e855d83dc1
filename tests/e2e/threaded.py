"""A simulated fleet served from a background thread, for tests of the CLI.

``fleet.cli.main.main`` runs its own event loop, so it cannot share the test's
loop with the simulator; the simulator gets a loop in a thread instead.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager

from fleet.simulator.fleet import SimulatedFleet
from fleet.simulator.spec import PanelSpec

START_TIMEOUT_S = 30.0


@contextmanager
def fleet_in_thread(specs: Sequence[PanelSpec]) -> Iterator[SimulatedFleet]:
    """Serve ``specs`` from a thread until the block ends."""
    loop = asyncio.new_event_loop()
    thread = threading.Thread(target=loop.run_forever, daemon=True)
    thread.start()
    sim = SimulatedFleet(specs)
    try:
        asyncio.run_coroutine_threadsafe(sim.start(), loop).result(START_TIMEOUT_S)
        yield sim
    finally:
        asyncio.run_coroutine_threadsafe(sim.close(), loop).result(START_TIMEOUT_S)
        loop.call_soon_threadsafe(loop.stop)
        thread.join(START_TIMEOUT_S)
        loop.close()
