"""Fixtures that start simulated fleets on loopback for the simulator tests."""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence

import aiohttp
import pytest

from fleet.simulator import ManualClock, PanelSpec, SimulatedFleet

from .helpers import FleetStarter, client


@pytest.fixture
def clock() -> ManualClock:
    """A clock the test moves by hand."""
    return ManualClock()


@pytest.fixture
async def session() -> AsyncIterator[aiohttp.ClientSession]:
    """An HTTP client that keeps cookies per host, as fleet's client would."""
    async with client() as http:
        yield http


@pytest.fixture
async def start_fleet(clock: ManualClock) -> AsyncIterator[FleetStarter]:
    """Start fleets on the manual clock and close them when the test ends."""
    started: list[SimulatedFleet] = []

    async def start(specs: Sequence[PanelSpec]) -> SimulatedFleet:
        sim = SimulatedFleet(specs, clock=clock)
        await sim.start()
        started.append(sim)
        return sim

    yield start
    for sim in started:
        await sim.close()
