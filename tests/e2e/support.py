"""Helpers that run fleet's scheduler against a simulated fleet in one loop."""

from __future__ import annotations

import asyncio
import dataclasses
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import yaml

from fleet.inventory.loader import load_inventory
from fleet.inventory.model import Panel
from fleet.operations.catalogue import CATALOGUE, Operation
from fleet.report.model import Result
from fleet.scheduling.scheduler import RunOptions, RunOutcome, Scheduler
from fleet.simulator.fleet import SimulatedFleet

ALL_OPERATIONS: tuple[Operation, ...] = tuple(CATALOGUE.values())


def write_inventory(
    sim: SimulatedFleet, directory: Path, settings: dict[str, Any] | None = None
) -> Path:
    """Write the simulator's inventory, with extra defaults merged in."""
    path = directory / "inventory.yaml"
    sim.write_inventory(path, key_mode="file")
    if settings:
        document = yaml.safe_load(path.read_text(encoding="utf-8"))
        for section, values in settings.items():
            document["defaults"].setdefault(section, {}).update(values)
        path.write_text(yaml.safe_dump(document, sort_keys=False), encoding="utf-8")
    return path


async def panels_of(
    sim: SimulatedFleet, directory: Path, settings: dict[str, Any] | None = None
) -> tuple[Panel, ...]:
    """Write and load the inventory in a thread: 1,000 panels take a second."""

    def load() -> tuple[Panel, ...]:
        return load_inventory(write_inventory(sim, directory, settings)).panels

    return await asyncio.to_thread(load)


@dataclasses.dataclass
class Recorder:
    """Keeps results in the order they completed."""

    results: list[Result] = dataclasses.field(default_factory=list)

    def __call__(self, result: Result) -> None:
        self.results.append(result)


async def run_scheduler(
    panels: Sequence[Panel],
    operations: Sequence[Operation] = ALL_OPERATIONS,
    options: RunOptions | None = None,
    recorder: Recorder | None = None,
) -> RunOutcome:
    scheduler = Scheduler(panels, operations, options or RunOptions(), recorder)
    return await scheduler.run()


def by_panel(results: Sequence[Result], name: str) -> list[Result]:
    return [result for result in results if result.panel == name]
