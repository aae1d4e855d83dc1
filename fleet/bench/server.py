"""The benchmark's simulated fleet, served from a process of its own.

Run as ``python -m fleet.bench.server PANELS LATENCY_MS INVENTORY``. Once the
panels listen, it writes the inventory (inline keys) and prints one JSON line.
Each ``stats`` line on stdin is then answered with one JSON line of counter
totals over all panels and the process's CPU time. End of input stops it.
"""

from __future__ import annotations

import asyncio
import json
import resource
import sys
from pathlib import Path

from fleet.bench.loop import loop_factory
from fleet.simulator.fleet import SimulatedFleet, build_specs


def totals(sim: SimulatedFleet) -> dict[str, float]:
    """Return the summed counters of every panel and this process's CPU seconds."""
    requests = 0
    sessions = 0
    for panel in sim.panels:
        stats = panel.stats
        requests += stats.requests
        sessions += stats.sessions_created
    usage = resource.getrusage(resource.RUSAGE_SELF)

    return {
        "requests": requests,
        "sessions_created": sessions,
        "cpu_s": usage.ru_utime + usage.ru_stime,
    }


async def serve(panels: int, latency_ms: float, inventory: Path) -> None:
    specs = build_specs(panels, latency=latency_ms / 1000)
    loop = asyncio.get_running_loop()
    async with SimulatedFleet(specs) as sim:
        sim.write_inventory(inventory, key_mode="inline")
        print(json.dumps({"serving": panels, "inventory": str(inventory)}), flush=True)
        while True:
            line = await loop.run_in_executor(None, sys.stdin.readline)
            if not line:
                break
            if line.strip() == "stats":
                print(json.dumps(totals(sim)), flush=True)


def main(argv: list[str]) -> int:
    if len(argv) != 3:
        print("usage: python -m fleet.bench.server PANELS LATENCY_MS INVENTORY")
        return 64
    panels, latency_ms, inventory = int(argv[0]), float(argv[1]), Path(argv[2])
    with asyncio.Runner(loop_factory=loop_factory()) as runner:
        runner.run(serve(panels, latency_ms, inventory))

    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
