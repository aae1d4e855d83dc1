"""Run a plan: every client at every size and latency, alternating within a run."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from pathlib import Path
from typing import Any

from fleet.bench.ceiling import TUNED_PANELS_IN_PROGRESS
from fleet.bench.plan import CEILING, FLEET, FLEET_FIRST, TUNED, VENDOR, Plan
from fleet.bench.processes import (
    SimulatorProcess,
    run_client,
    run_demo,
    run_inventory_memory,
)
from fleet.bench.samples import Sample
from fleet.bench.targets import read_inventory, write_first_panels

Log = Callable[[str], None]


class Matrix:
    """Collects the samples of one benchmark run."""

    def __init__(self, plan: Plan, work_dir: Path, log: Log) -> None:
        self.plan = plan
        self.work_dir = work_dir
        self.log = log
        self.samples: list[Sample] = []
        self.demo_runs: list[dict[str, Any]] = []
        self.inventory_memory: list[dict[str, Any]] = []
        self._run_ids = itertools.count(1)

    def run(self) -> None:
        for latency_ms in self.plan.latencies_ms:
            self.run_latency(latency_ms)
        for index in range(self.plan.demo_runs):
            demo = run_demo(self.work_dir / f"demo-{index}")
            self.log(
                f"fleet demo: {demo['total_s']:.2f} s in all, "
                f"{demo['after_set_up_s']:.2f} s after set-up"
            )
            self.demo_runs.append(demo)

    def run_latency(self, latency_ms: float) -> None:
        plan = self.plan
        inventory = self.work_dir / f"simulator-{latency_ms:g}ms.yaml"
        self.log(f"starting {plan.simulator_panels} panels at {latency_ms:g} ms")
        with SimulatorProcess(plan.simulator_panels, latency_ms, inventory) as sim:
            document = read_inventory(inventory)
            vendor_panels = self.vendor_panels(latency_ms)
            for size in sorted({*plan.sizes, vendor_panels}):
                path = self.inventory_path(latency_ms, size)
                write_first_panels(document, size, path)
            for size in plan.sizes:
                self.run_size(sim, latency_ms, size)
                if latency_ms == plan.latencies_ms[0]:
                    self.measure_inventory(latency_ms, size)
            self.run_vendor(sim, latency_ms, vendor_panels)

    def run_size(self, sim: SimulatorProcess, latency_ms: float, size: int) -> None:
        plan = self.plan
        inventory = self.inventory_path(latency_ms, size)
        # One state directory per configuration: the first run writes every
        # cookie file and the repetitions reuse them, as nightly runs do.
        state = self.work_dir / f"state-{latency_ms:g}ms-{size}"
        concurrency = plan.concurrency
        self.measure(sim, FLEET_FIRST, latency_ms, inventory, concurrency, state)
        for _ in range(plan.repetitions_at(size, latency_ms)):
            self.measure(sim, FLEET, latency_ms, inventory, concurrency, state)
            self.measure(sim, CEILING, latency_ms, inventory, concurrency)
            self.measure(sim, TUNED, latency_ms, inventory, TUNED_PANELS_IN_PROGRESS)
        if latency_ms > 0 and size == plan.comparison_size:
            high = plan.high_concurrency
            for _ in range(plan.repetitions):
                self.measure(sim, FLEET, latency_ms, inventory, high, state)
                self.measure(sim, CEILING, latency_ms, inventory, high)

    def measure_inventory(self, latency_ms: float, size: int) -> None:
        memory = run_inventory_memory(self.inventory_path(latency_ms, size))
        self.inventory_memory.append(memory)
        self.log(
            f"inventory of {size} panels: {memory['live_kb'] / 1024:.1f} MB live, "
            f"{memory['loading_peak_kb'] / 1024:.0f} MB at the peak of loading"
        )

    def run_vendor(self, sim: SimulatorProcess, latency_ms: float, panels: int) -> None:
        inventory = self.inventory_path(latency_ms, panels)
        runs = self.plan.repetitions if latency_ms == 0 else 1
        for _ in range(runs):
            self.measure(sim, VENDOR, latency_ms, inventory, 1)

    def vendor_panels(self, latency_ms: float) -> int:
        if latency_ms == 0:
            return self.plan.vendor_panels
        return self.plan.vendor_sample_panels

    def inventory_path(self, latency_ms: float, size: int) -> Path:
        return self.work_dir / f"inventory-{latency_ms:g}ms-{size}.yaml"

    def measure(
        self,
        sim: SimulatorProcess,
        label: str,
        latency_ms: float,
        inventory: Path,
        concurrency: int,
        state: Path | None = None,
    ) -> None:
        client = CLIENT_OF_LABEL[label]
        work = self.work_dir / f"run-{next(self._run_ids):03d}-{client}"
        before = sim.stats()
        measured = run_client(client, inventory, concurrency, work, state)
        after = sim.stats()
        simulator = {key: after[key] - before[key] for key in after}
        sample = Sample(
            label, latency_ms, measured["panels"], concurrency, measured, simulator
        )
        self.samples.append(sample)
        self.log(describe(sample))


CLIENT_OF_LABEL = {
    FLEET: "fleet",
    FLEET_FIRST: "fleet",
    CEILING: "ceiling",
    TUNED: "tuned",
    VENDOR: "vendor",
}


def describe(sample: Sample) -> str:
    measured: dict[str, Any] = sample.measured
    failed = measured["panels"] * 3 - measured["ok"]
    return (
        f"{sample.latency_ms:g} ms, {sample.panels} panels, {sample.label} "
        f"(concurrency {sample.concurrency}): {measured['wall_s']:.2f} s wall, "
        f"{measured['cpu_s']:.2f} s CPU, {measured['maxrss_kb'] / 1024:.0f} MB peak"
        + (f", {failed} calls failed" if failed else "")
    )
