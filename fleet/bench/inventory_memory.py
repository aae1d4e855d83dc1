"""Memory that fleet's loaded inventory holds, against what loading it cost.

Run as ``python -m fleet.bench.inventory_memory INVENTORY``; it prints one
JSON object. RSS after loading overstates what the panels keep, because the
allocator holds on to memory that the YAML parser freed. tracemalloc counts
the live objects and the peak during loading separately.
"""

from __future__ import annotations

import gc
import json
import sys
import time
import tracemalloc
from pathlib import Path
from typing import Any

from fleet.bench.probes import rss_kb
from fleet.inventory.loader import load_inventory


def measure(inventory: Path) -> dict[str, Any]:
    """Load the inventory once under tracemalloc and return the sizes, in KiB."""
    gc.collect()
    rss_before = rss_kb()
    tracemalloc.start()
    started = time.perf_counter()
    loaded = load_inventory(inventory)
    seconds = time.perf_counter() - started
    gc.collect()
    live, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()

    return {
        "panels": len(loaded.panels),
        "live_kb": live / 1024,
        "loading_peak_kb": peak / 1024,
        "rss_growth_kb": rss_kb() - rss_before,
        "traced_load_s": seconds,
    }


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print(
            "usage: python -m fleet.bench.inventory_memory INVENTORY", file=sys.stderr
        )
        return 64
    print(json.dumps(measure(Path(argv[0]))), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
