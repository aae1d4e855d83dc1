"""The rows, ratios and target checks that a benchmark run produced."""

from __future__ import annotations

import dataclasses
import statistics
from collections import defaultdict
from typing import Any

from fleet.bench.plan import CEILING, FLEET, FLEET_FIRST, TUNED, VENDOR, Plan
from fleet.bench.samples import Row, Sample, scaled, summarize

TARGET_CEILING_RATIO = 1.1
TARGET_VENDOR_RATIO = 100.0
TARGET_PEAK_RSS_MB = 200.0
TARGET_DEMO_S = 3.0
# The soft open-file limit most Linux distributions start shells with.
COMMON_DEFAULT_FILE_LIMIT = 1024


@dataclasses.dataclass(frozen=True, slots=True)
class Ratios:
    """Wall-time ratios of one size and latency, from the same benchmark run."""

    latency_ms: float
    panels: int
    concurrency: int
    fleet_to_ceiling: float | None
    first_run_to_ceiling: float | None
    fleet_to_tuned: float | None
    vendor_to_fleet: float | None
    vendor_estimated: bool


@dataclasses.dataclass(frozen=True, slots=True)
class Check:
    """One target, what was measured against it and whether it was met."""

    target: str
    measured: str
    met: bool


class Results:
    """Summaries over the samples of one run."""

    def __init__(
        self,
        plan: Plan,
        samples: list[Sample],
        demo_runs: list[dict[str, Any]],
        inventory_memory: list[dict[str, Any]],
    ) -> None:
        self.plan = plan
        self.samples = samples
        self.demo_runs = demo_runs
        self.inventory_memory = {m["panels"]: m for m in inventory_memory}
        groups: dict[tuple[str, float, int, int], list[Sample]] = defaultdict(list)
        for sample in samples:
            key = (sample.label, sample.latency_ms, sample.panels, sample.concurrency)
            groups[key].append(sample)
        self.rows = [summarize(group) for group in groups.values()]
        self.rows += self.vendor_estimates()

    def vendor_estimates(self) -> list[Row]:
        estimates = []
        for measured in [row for row in self.rows if row.label == VENDOR]:
            for size in self.plan.sizes:
                if size != measured.panels:
                    estimates.append(scaled(measured, size))
        return estimates

    def find(
        self, label: str, latency_ms: float, panels: int, concurrency: int | None
    ) -> Row | None:
        for row in self.rows:
            if (row.label, row.latency_ms, row.panels) != (label, latency_ms, panels):
                continue
            if concurrency is None or row.concurrency == concurrency:
                return row
        return None

    def table_rows(self, latency_ms: float) -> list[Row]:
        """Return the rows of one latency by size, client and concurrency."""
        order = [FLEET, FLEET_FIRST, CEILING, TUNED, VENDOR]
        rows = [row for row in self.rows if row.latency_ms == latency_ms]

        return sorted(
            rows, key=lambda r: (r.panels, r.concurrency, order.index(r.label))
        )

    def ratios(self, latency_ms: float, panels: int, concurrency: int) -> Ratios:
        fleet = self.find(FLEET, latency_ms, panels, concurrency)
        first = self.find(FLEET_FIRST, latency_ms, panels, concurrency)
        ceiling = self.find(CEILING, latency_ms, panels, concurrency)
        tuned = self.find(TUNED, latency_ms, panels, None)
        vendor = self.find(VENDOR, latency_ms, panels, None)
        return Ratios(
            latency_ms=latency_ms,
            panels=panels,
            concurrency=concurrency,
            fleet_to_ceiling=ratio(fleet, ceiling),
            first_run_to_ceiling=ratio(first, ceiling),
            fleet_to_tuned=ratio(fleet, tuned),
            vendor_to_fleet=ratio(vendor, fleet),
            vendor_estimated=vendor is not None and vendor.estimated_from is not None,
        )

    def all_ratios(self) -> list[Ratios]:
        plan = self.plan
        found = []
        for latency_ms in plan.latencies_ms:
            for panels in plan.sizes:
                found.append(self.ratios(latency_ms, panels, plan.concurrency))
            if latency_ms > 0:
                found.append(
                    self.ratios(latency_ms, plan.comparison_size, plan.high_concurrency)
                )
        return found

    def fleet_rows(self, panels: int) -> list[Row]:
        return [
            row
            for row in self.rows
            if row.label in (FLEET, FLEET_FIRST) and row.panels == panels
        ]

    def fleet_samples(self, panels: int) -> list[dict[str, Any]]:
        return [
            sample.measured
            for sample in self.samples
            if sample.label in (FLEET, FLEET_FIRST) and sample.panels == panels
        ]

    def idle_panel_kb(self, panels: int) -> float:
        """Return the RSS each loaded panel adds before any work starts, in KiB."""
        grown = [
            (m["rss_setup_kb"] - m["rss_imports_kb"]) / panels
            for m in self.fleet_samples(panels)
        ]
        return statistics.median(grown) if grown else 0.0

    def live_panel_kb(self, panels: int) -> float | None:
        """Return the live memory of each loaded panel (tracemalloc), in KiB."""
        memory = self.inventory_memory.get(panels)
        return None if memory is None else memory["live_kb"] / panels

    def fleet_busy(
        self, latency_ms: float, panels: int, concurrency: int
    ) -> float | None:
        """Return fleet's client CPU time over its wall time in one configuration."""
        row = self.find(FLEET, latency_ms, panels, concurrency)
        if row is None:
            return None
        return row.cpu_per_1k_requests_s * row.requests_per_s / 1000

    def demo_median(self, key: str) -> float:
        return float(statistics.median(run[key] for run in self.demo_runs))

    def median_demo_run(self) -> dict[str, Any]:
        """Return the demo run whose time after set-up is the median one."""
        ordered = sorted(self.demo_runs, key=lambda run: run["after_set_up_s"])
        return ordered[(len(ordered) - 1) // 2]


def ratio(numerator: Row | None, denominator: Row | None) -> float | None:
    if numerator is None or denominator is None or not denominator.wall_s:
        return None
    return numerator.wall_s / denominator.wall_s
