"""Serve simulated panels described in a JSON file, from a process of their own.

Usage: ``python -m tests.faults.spec_server SPECS INVENTORY MAX_SECONDS``

``SPECS`` is a JSON list of ``PanelSpec`` keyword mappings without keys; each
panel gets the key of seed 1. The process writes the inventory, prints
``ready`` and serves until its stdin closes or ``MAX_SECONDS`` pass. Tests use
it when the simulator's own work (such as encoding a 40 MB page) must not run
on the loop that is being measured.
"""

from __future__ import annotations

import asyncio
import json
import sys
from pathlib import Path

from fleet.simulator import PanelSpec, SimulatedFleet, derive_key


def read_specs(path: Path) -> list[PanelSpec]:
    described = json.loads(path.read_text(encoding="utf-8"))
    return [
        PanelSpec(key=derive_key(1, options["name"]), **options)
        for options in described
    ]


async def serve(specs: list[PanelSpec], inventory: Path, max_seconds: float) -> None:
    async with SimulatedFleet(specs) as sim:
        sim.write_inventory(inventory)
        print("ready", flush=True)
        await asyncio.wait_for(wait_for_stdin_close(), max_seconds)


async def wait_for_stdin_close() -> None:
    loop = asyncio.get_running_loop()
    reader = asyncio.StreamReader()
    await loop.connect_read_pipe(
        lambda: asyncio.StreamReaderProtocol(reader), sys.stdin
    )
    await reader.read()


if __name__ == "__main__":
    specs_arg, inventory_arg, seconds_arg = sys.argv[1:4]
    try:
        specs = read_specs(Path(specs_arg))
        asyncio.run(serve(specs, Path(inventory_arg), float(seconds_arg)))
    except TimeoutError:
        sys.exit("spec_server: stopped after its time limit")
