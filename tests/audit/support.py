"""Helpers for the audit tests: facts, healthy simulated panels, CLI runs."""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import yaml

from fleet.audit.facts import (
    Certificate,
    Mount,
    PanelFacts,
    Site,
    SiteBackups,
)
from fleet.audit.report import AuditReport, AuditRun
from fleet.simulator.fleet import SimulatedFleet, build_specs
from fleet.simulator.spec import PanelSpec

DAY = 86400.0
NOW = 1_800_000_000.0  # 2027-01-15, a fixed "now" for checks

# Overrides that leave a simulated panel without any problem. The stopped
# site list names no real site, so no generated site starts stopped.
HEALTHY = {
    "ssl_expiry_days": 60,
    "backup_age_days": 0,
    "stopped_sites": ["none.invalid"],
    "disk_used_percent": 40,
    "memory_used_percent": 40,
}
# Whether a PHP branch is past its end of life depends on the day the test
# runs. The CLI tests therefore switch that check off, and its unit tests
# use a fixed date.
NO_PHP_CHECK = "defaults:\n  php_eol: {enabled: false}\n"
FAST_LIMITS = {"rate": 100, "retries": 0}


def facts(name: str = "web-1", **fields: Any) -> PanelFacts:
    """Return facts of a reached BaoTa panel with one healthy mount and site."""
    values: dict[str, Any] = {
        "url": "http://127.0.0.1:1",
        "reached": True,
        "flavour": "baota",
        "version": "11.7.0",
        "cpu_count": 2,
        "memory_total_mb": 1000,
        "memory_used_mb": 400,
        "load_1m": 0.5,
        "load_5m": 0.5,
        "load_15m": 0.5,
        "mounts": (Mount("/", 100, 40, 40.0, 5.0),),
        "sites": (Site("shop.example.com", True, "8.3"),),
        "certificates": (Certificate("shop.example.com", "", 60, "R11"),),
        "backups": (SiteBackups("shop.example.com", 2, NOW - DAY),),
    }
    values.update(fields)
    return PanelFacts(name=name, **values)


def report_of(
    panels: Sequence[PanelFacts], findings: Sequence[Any], run_id: str = "run-1"
) -> AuditReport:
    run = AuditRun(
        run_id=run_id,
        command="audit",
        inventory="/srv/inventory.yaml",
        inventory_digest="0" * 64,
        config=None,
        started_at=NOW - 10,
        finished_at=NOW,
        fleet_version="test",
    )
    return AuditReport(run=run, panels=tuple(panels), findings=tuple(findings))


def healthy_specs(count: int, **overrides: Any) -> list[PanelSpec]:
    """Return panels without problems; ``overrides`` change all of them."""
    return [
        dataclasses.replace(spec, overrides={**HEALTHY, **overrides})
        for spec in build_specs(count, seed=3)
    ]


def with_overrides(spec: PanelSpec, **overrides: Any) -> PanelSpec:
    return dataclasses.replace(spec, overrides={**spec.overrides, **overrides})


def write_fast_inventory(sim: SimulatedFleet, directory: Path) -> Path:
    """Write the simulator's inventory with a high rate, so audits take little time."""
    path = directory / "inventory.yaml"
    sim.write_inventory(path, key_mode="file")
    document = yaml.safe_load(path.read_text(encoding="utf-8"))
    document["defaults"]["limits"] = dict(FAST_LIMITS)
    document["defaults"]["timeouts"] = {"connect": 2, "read": 2}
    path.write_text(yaml.safe_dump(document, sort_keys=False), encoding="utf-8")
    return path


def write_config(directory: Path, text: str = NO_PHP_CHECK) -> Path:
    path = directory / "audit.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def audit_args(inventory: Path, directory: Path, *extra: str) -> list[str]:
    """Return ``fleet audit`` arguments that keep every output under ``directory``."""
    return [
        "audit",
        str(inventory),
        "--out",
        str(directory / "out"),
        "--state-dir",
        str(directory / "state"),
        "-q",
        *extra,
    ]


def now() -> float:
    return time.time()
