"""``fleet demo``: the main job on a simulated fleet, with no real panel needed.

The simulator runs in this process on 127.0.0.1. A few panels carry faults a
real fleet shows (wrong key, whitelist, API off, dead and broken hosts), so
the report shows how each is classified.
"""

from __future__ import annotations

import argparse
import dataclasses
from pathlib import Path
from typing import Any

import yaml
from rich.console import Console

from fleet.cli.runner import RunRequest, execute
from fleet.inventory.loader import load_inventory
from fleet.operations.catalogue import CATALOGUE
from fleet.scheduling.scheduler import RunOptions
from fleet.simulator.fleet import SimulatedFleet, build_specs

DEMO_FAULTS = {
    "wrong_key": 1,
    "ip_not_whitelisted": 1,
    "api_disabled": 1,
    "black_hole": 1,
    "connection_reset": 1,
    "bad_gateway": 1,
    "truncated": 1,
    "slow": 1,
}
# Short timeouts keep the demo quick; the slow panel gets a longer read
# timeout of its own to show a per-panel override.
DEMO_TIMEOUTS = {"connect": 2, "read": 1}
SLOW_PANEL_TIMEOUTS = {"read": 5}
SLOW_PANEL_LIMITS = {"concurrency": 4}
SLOW_PANEL_DELAY_S = 1.0
DEMO_LIMITS = {"retries": 1}


async def run_demo(args: argparse.Namespace, console: Console) -> int:
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)  # noqa: ASYNC240 - once, before any I/O
    inventory_path = out / "inventory.yaml"
    specs = [
        dataclasses.replace(spec, slow_seconds=SLOW_PANEL_DELAY_S)
        for spec in build_specs(count=args.panels, faults=DEMO_FAULTS, seed=1)
    ]
    async with SimulatedFleet(specs) as simulator:
        simulator.write_inventory(inventory_path, key_mode="file")
        tune_inventory(inventory_path)
        console.print(
            f"simulated fleet: {len(specs)} panels on 127.0.0.1, "
            f"{sum(DEMO_FAULTS.values())} of them faulty; inventory {inventory_path}",
            style="dim",
        )
        inventory = load_inventory(inventory_path)
        request = RunRequest(
            command="demo",
            inventory=str(inventory_path),
            panels=inventory.panels,
            operations=list(CATALOGUE.values()),
            options=RunOptions(),
            out_dir=str(out),
            show_all=args.all,
        )
        return await execute(request, console)


def tune_inventory(path: Path) -> None:
    """Set the demo's short timeouts and the slow panel's override."""
    document: dict[str, Any] = yaml.safe_load(path.read_text(encoding="utf-8"))
    defaults = document.setdefault("defaults", {})
    defaults["timeouts"] = dict(DEMO_TIMEOUTS)
    defaults["limits"] = {**defaults.get("limits", {}), **DEMO_LIMITS}
    for panel in document["panels"]:
        if panel.get("tags", {}).get("fault") == "slow":
            panel["timeouts"] = dict(SLOW_PANEL_TIMEOUTS)
            panel["limits"] = dict(SLOW_PANEL_LIMITS)
    path.write_text(yaml.safe_dump(document, sort_keys=False), encoding="utf-8")
