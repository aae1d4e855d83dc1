"""Helpers that run fleet against simulated fleets with faults, in one loop.

The simulator writes the inventory. Tests then set per-panel timeouts and
limits in it, as an operator would, and load it with fleet's own loader.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import socket
from collections.abc import AsyncIterator, Mapping, Sequence
from pathlib import Path
from typing import Any

import yaml

from fleet.inventory.loader import load_inventory
from fleet.inventory.model import Panel
from fleet.operations.catalogue import CATALOGUE, Operation
from fleet.report.model import Result
from fleet.scheduling.scheduler import RunOptions, RunOutcome, Scheduler
from fleet.simulator import PanelSpec, SimulatedFleet, derive_key

ALL_OPERATIONS: tuple[Operation, ...] = tuple(CATALOGUE.values())
SYSTEM: tuple[Operation, ...] = (CATALOGUE["system"],)

# Short timeouts keep failing panels fast. Tests that need longer ones set them.
FAST_TIMEOUTS = {"connect": 1, "read": 1}

Settings = Mapping[str, Any]


def make_spec(name: str, **options: Any) -> PanelSpec:
    """Return a spec with the deterministic key of seed 1."""
    return PanelSpec(name=name, key=derive_key(1, name), **options)


@contextlib.asynccontextmanager
async def running(specs: Sequence[PanelSpec]) -> AsyncIterator[SimulatedFleet]:
    """Serve the specs on loopback for the duration of the block."""
    async with SimulatedFleet(specs, shutdown_timeout=0.1) as sim:
        yield sim


def tune_inventory(
    path: Path,
    defaults: Settings | None = None,
    panels: Mapping[str, Settings] | None = None,
) -> None:
    """Merge settings into an inventory's defaults and into named panels."""
    document = yaml.safe_load(path.read_text(encoding="utf-8"))
    merge(document["defaults"], defaults or {})
    by_name = {entry["name"]: entry for entry in document["panels"]}
    for name, settings in (panels or {}).items():
        merge(by_name[name], settings)
    path.write_text(yaml.safe_dump(document, sort_keys=False), encoding="utf-8")


def merge(target: dict[str, Any], settings: Settings) -> None:
    """Merge one level deep: sections such as ``timeouts`` merge key by key."""
    for key, value in settings.items():
        if isinstance(value, Mapping):
            target.setdefault(key, {}).update(value)
        else:
            target[key] = value


async def load_panels(
    sim: SimulatedFleet,
    directory: Path,
    defaults: Settings | None = None,
    panels: Mapping[str, Settings] | None = None,
) -> tuple[Panel, ...]:
    """Write, tune and load the inventory in a thread, off the event loop."""

    def load() -> tuple[Panel, ...]:
        path = directory / "inventory.yaml"
        sim.write_inventory(path)
        tune_inventory(path, defaults, panels)
        return load_inventory(path).panels

    return await asyncio.to_thread(load)


@dataclasses.dataclass
class Recorder:
    """Keeps every result handed to ``on_result``, in completion order."""

    results: list[Result] = dataclasses.field(default_factory=list)

    def __call__(self, result: Result) -> None:
        self.results.append(result)


async def run_fleet(
    panels: Sequence[Panel],
    operations: Sequence[Operation] = ALL_OPERATIONS,
    options: RunOptions | None = None,
    recorder: Recorder | None = None,
) -> RunOutcome:
    """Run fleet's scheduler in this loop, as ``fleet run`` does."""
    scheduler = Scheduler(panels, operations, options or RunOptions(), recorder)
    return await scheduler.run()


def results_of(outcome: RunOutcome, panel: str) -> list[Result]:
    """Return one panel's results in operation order."""
    return [result for result in outcome.results if result.panel == panel]


def only_result(outcome: RunOutcome, panel: str) -> Result:
    """Return the single result of a panel run with one operation."""
    (result,) = results_of(outcome, panel)
    return result


def has_ipv6_loopback() -> bool:
    """Tell whether this machine can listen on ::1."""
    try:
        with socket.socket(socket.AF_INET6, socket.SOCK_STREAM) as sock:
            sock.bind(("::1", 0))
    except OSError:
        return False
    return True


def resolves_to_both_families(name: str) -> bool:
    """Tell whether a host name resolves to an IPv4 and an IPv6 address."""
    families = set()
    for family in (socket.AF_INET, socket.AF_INET6):
        try:
            socket.getaddrinfo(name, 80, family, socket.SOCK_STREAM)
        except socket.gaierror:
            continue
        families.add(family)
    return len(families) == 2
