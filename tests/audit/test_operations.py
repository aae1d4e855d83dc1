"""The audit's per-site operations against simulated panels on loopback."""

from __future__ import annotations

import json
import time
from pathlib import Path

from fleet.audit.facts import PanelFacts, collect_facts
from fleet.audit.operations import AUDIT_OPERATIONS, BACKUPS, CERTIFICATES
from fleet.inventory.loader import load_inventory
from fleet.report.model import Result
from fleet.scheduling.scheduler import RunOptions, Scheduler
from fleet.simulator.fleet import SimulatedFleet, build_specs

from .support import with_overrides, write_fast_inventory

SITES = ["a.example.com", "b.example.com", "c.example.com"]


async def audit_results(
    sim: SimulatedFleet, directory: Path
) -> tuple[list[PanelFacts], list[Result]]:
    inventory = load_inventory(write_fast_inventory(sim, directory))
    outcome = await Scheduler(inventory.panels, AUDIT_OPERATIONS, RunOptions()).run()
    return collect_facts(inventory.panels, outcome.results), outcome.results


class TestSiteOperations:
    async def test_certificates_and_backups(self, tmp_path: Path) -> None:
        """GetSSL and the backup listing give each site's expiry and newest backup."""
        (spec,) = build_specs(1, flavours=("aapanel8",))
        spec = with_overrides(
            spec,
            site_names=SITES,
            ssl_expiry_days={"a.example.com": 4, "b.example.com": None},
            backup_age_days={"a.example.com": 2, "b.example.com": None},
        )
        async with SimulatedFleet([spec]) as sim:
            started = time.time()
            (facts,), _ = await audit_results(sim, tmp_path)
        assert facts.certificates is not None
        assert facts.backups is not None
        certificates = {c.site: c.days_left for c in facts.certificates}
        backups = {b.site: b.newest_at for b in facts.backups}
        assert certificates["a.example.com"] == 4
        assert "b.example.com" not in certificates
        newest = backups["a.example.com"]
        assert backups["b.example.com"] is None
        assert newest is not None
        age_days = (started - newest) / 86400
        assert 1.9 < age_days < 2.1
        assert facts.flavour == "aapanel"

    async def test_private_keys_never_kept(self, tmp_path: Path) -> None:
        """The private key GetSSL returns appears in no result."""
        (spec,) = build_specs(1)
        spec = with_overrides(spec, ssl_expiry_days=30)
        async with SimulatedFleet([spec]) as sim:
            _, results = await audit_results(sim, tmp_path)
        text = json.dumps([r.to_record() for r in results])
        assert "PRIVATE KEY" not in text
        assert "SIMULATED-PRIVATE-KEY" not in text

    async def test_failed_site_call_fails_operation(self, tmp_path: Path) -> None:
        """A panel that fails auth fails every audit operation with that kind."""
        (spec,) = build_specs(1, faults={"wrong_key": 1})
        async with SimulatedFleet([spec]) as sim:
            (facts,), results = await audit_results(sim, tmp_path)
        assert not facts.reached
        kinds = {r.operation: r.error_kind for r in results}
        assert kinds[CERTIFICATES.name] == "auth.wrong_key"
        assert kinds[BACKUPS.name] == "auth.wrong_key"
