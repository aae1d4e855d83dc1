"""``fleet demo``: the main job and an audit on a simulated fleet, no real panel needed.

The simulator runs in this process on 127.0.0.1. A few panels carry faults a
real fleet shows (wrong key, whitelist, API off, dead and broken hosts), so
the report shows how each is classified. Others carry seeded problems
(expiring certificates, full disks, old panel versions, missing backups,
stopped sites, PHP past its end of life), so the audit finds each kind.
"""

from __future__ import annotations

import argparse
import dataclasses
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml
from rich.console import Console

from fleet.audit.config_file import load_audit_config
from fleet.audit.runner import AuditOutcome, AuditRequest, run_audit
from fleet.errors import ExitCode
from fleet.inventory.loader import load_inventory
from fleet.report.files import RunInfo, build_report, write_json_atomic
from fleet.report.formats import ALL_FORMATS
from fleet.report.formats.terminal import render_terminal
from fleet.report.table import render
from fleet.scheduling.scheduler import RunOptions
from fleet.simulator.fleet import SimulatedFleet, build_specs
from fleet.simulator.spec import PanelSpec
from fleet.store.history import HistoryStore

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
DEMO_TIMEOUTS = {"connect": 2, "read": 0.75}
SLOW_PANEL_TIMEOUTS = {"read": 5}
SLOW_PANEL_LIMITS = {"concurrency": 6}
SLOW_PANEL_DELAY_S = 0.5
# The audit sends one call per site for certificates and one for backups.
# A rate above the default 5 per second keeps the demo at a few seconds.
DEMO_LIMITS = {"retries": 1, "rate": 20}

DEMO_SITES = ("shop.example.com", "blog.example.com", "old.example.com")
# Seeded problems, by the position of a healthy panel (0 is sim-0001).
DEMO_SEEDS: dict[int, dict[str, Any]] = {
    1: {"overrides": {"ssl_expiry_days": 5}},
    2: {"overrides": {"ssl_expiry_days": -2}},
    3: {"overrides": {"ssl_expiry_days": 15}},
    4: {"overrides": {"disk_used_percent": 96}},
    5: {"overrides": {"disk_used_percent": 85, "memory_used_percent": 97}},
    6: {"overrides": {"panel_version": "11.5.0"}},
    7: {"overrides": {"panel_version": "10.0.0"}},
    8: {"overrides": {"backup_age_days": 12}},
    9: {
        "overrides": {
            "site_names": list(DEMO_SITES),
            "stopped_sites": ["old.example.com"],
            "backup_age_days": {"blog.example.com": None},
        }
    },
    10: {"overrides": {"php_versions": ["56"]}},
    11: {"flavour": "aapanel8"},
    12: {"flavour": "aapanel8", "overrides": {"panel_version": "8.9.0"}},
    13: {"flavour": "baota7"},
}
# The change of ``--variant 2``: the panel of seed 6 is upgraded.
VARIANT_CHANGES: dict[int, dict[int, dict[str, Any]]] = {
    2: {6: {"overrides": {"panel_version": "11.7.0"}}},
}

DEMO_AUDIT_CONFIG = """\
# Thresholds of the demo audit; docs/audit.md describes every key.
defaults:
  panel_version:
    minimum: {baota: "11.0.0", aapanel: "8.0.0"}
groups:
  healthy:
    # The simulator makes backups up to 10 days old; only older ones matter here.
    backups: {warning_days: 8, critical_days: 11}
"""
# The audit's own printing is off: the demo prints the panel table first.
NO_OUTPUT = Console(quiet=True)


async def run_demo(args: argparse.Namespace, console: Console) -> int:
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)  # noqa: ASYNC240 - once, before any I/O
    inventory_path = out / "inventory.yaml"
    config_path = out / "audit.yaml"
    config_path.write_text(DEMO_AUDIT_CONFIG, encoding="utf-8")
    specs = demo_specs(args.panels, args.variant)
    async with SimulatedFleet(specs) as simulator:
        simulator.write_inventory(inventory_path, key_mode="file")
        tune_inventory(inventory_path)
        console.print(
            f"simulated fleet: {len(specs)} panels on 127.0.0.1, "
            f"{sum(DEMO_FAULTS.values())} of them faulty, variant {args.variant}; "
            f"inventory {inventory_path}, audit configuration {config_path}",
            style="dim",
        )
        inventory = load_inventory(inventory_path)
        state_dir = Path(args.state_dir) if args.state_dir else out / "state"
        request = AuditRequest(
            command="demo",
            inventory=str(inventory_path),
            panels=inventory.panels,
            config=load_audit_config(config_path, inventory),
            options=RunOptions(),
            out_dir=out,
            formats=tuple(name for name in ALL_FORMATS if name != "table"),
            history=HistoryStore.in_state_dir(state_dir),
            show_all=args.all,
            show_progress=not args.quiet,
        )
        outcome = await run_audit(request, NO_OUTPUT)
    names = [operation.name for operation in request.operations]
    render(console, outcome.results, names, args.all)
    main_report = write_main_report(out, names, outcome)
    render_terminal(console, outcome.report, args.all)
    console.print(f"run report: {main_report}", style="dim", highlight=False)
    for name, path in outcome.paths.items():
        console.print(f"{name}: {path}", style="dim", highlight=False)
    console.print(f"history: fleet history --state-dir {state_dir}", style="dim")

    return ExitCode.OK if all(r.ok for r in outcome.results) else ExitCode.FAILED


def write_main_report(out: Path, operations: list[str], outcome: AuditOutcome) -> Path:
    """Write the main job's JSON report, the one ``fleet run`` writes, by run id."""
    audit_run = outcome.report.run
    run = RunInfo(
        run_id=audit_run.run_id,
        command="demo",
        inventory=audit_run.inventory,
        operations=tuple(operations),
        started_at=audit_run.started_at,
    )
    path = out / f"{run.run_id}.json"
    report = build_report(
        run, outcome.results, audit_run.finished_at, audit_run.stopped
    )
    write_json_atomic(path, report)

    return path


def demo_specs(count: int, variant: int) -> list[PanelSpec]:
    """Return the demo fleet: faulty panels last, seeded problems on healthy ones."""
    specs = [
        dataclasses.replace(spec, slow_seconds=SLOW_PANEL_DELAY_S)
        for spec in build_specs(count=count, faults=DEMO_FAULTS, seed=1)
    ]
    seeds = {**DEMO_SEEDS}
    for index, change in VARIANT_CHANGES.get(variant, {}).items():
        seeds[index] = merge_seed(seeds.get(index, {}), change)
    for index, seed in seeds.items():
        if index < len(specs) and specs[index].fault is None:
            specs[index] = dataclasses.replace(specs[index], **seed)

    return specs


def merge_seed(seed: Mapping[str, Any], change: Mapping[str, Any]) -> dict[str, Any]:
    overrides = {**seed.get("overrides", {}), **change.get("overrides", {})}
    return {**seed, **change, "overrides": overrides}


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
