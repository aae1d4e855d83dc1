"""The matrix of one benchmark run: sizes, latencies, repetitions and clients."""

from __future__ import annotations

import dataclasses

# Clients as the report names them.
FLEET = "fleet"
FLEET_FIRST = "fleet, first run"
CEILING = "ceiling"
TUNED = "tuned ceiling"
VENDOR = "vendor-style"


@dataclasses.dataclass(frozen=True, slots=True)
class Plan:
    """The matrix of one benchmark run.

    Every size runs at every latency, ``repetitions`` times, except the
    larger sizes with latency: those run ``large_repetitions`` times, because
    each run waits out thousands of round trips (25 s or more at 10,000
    panels), varies little, and would otherwise push a full run past ten
    minutes. ``sizes[0]`` is also where the vendor-style client and the
    high-concurrency pair run.
    The vendor-style client is measured on ``vendor_panels`` panels without
    latency and on ``vendor_sample_panels`` panels with it. Every other
    vendor figure is scaled from those, since it sends one request at a time.
    """

    name: str
    sizes: tuple[int, ...]
    latencies_ms: tuple[float, ...]
    repetitions: int
    large_repetitions: int
    concurrency: int
    high_concurrency: int
    vendor_panels: int
    vendor_sample_panels: int
    demo_runs: int

    @property
    def comparison_size(self) -> int:
        return self.sizes[0]

    @property
    def simulator_panels(self) -> int:
        return max(self.sizes)

    def repetitions_at(self, size: int, latency_ms: float) -> int:
        if size == self.comparison_size or latency_ms == 0:
            return self.repetitions
        return self.large_repetitions


FULL = Plan(
    name="full",
    sizes=(1000, 10_000),
    latencies_ms=(0.0, 50.0),
    repetitions=3,
    large_repetitions=1,
    concurrency=64,
    high_concurrency=256,
    vendor_panels=1000,
    vendor_sample_panels=100,
    demo_runs=3,
)

QUICK = Plan(
    name="quick",
    sizes=(100,),
    latencies_ms=(0.0, 50.0),
    repetitions=1,
    large_repetitions=1,
    concurrency=64,
    high_concurrency=256,
    vendor_panels=50,
    vendor_sample_panels=10,
    demo_runs=1,
)
