"""One measured run of one client, and the medians over repeated runs."""

from __future__ import annotations

import dataclasses
import statistics
from collections.abc import Iterable
from typing import Any

from fleet.bench.plan import VENDOR
from fleet.bench.targets import OPERATION_NAMES

REQUESTS_PER_PANEL = len(OPERATION_NAMES)


@dataclasses.dataclass(frozen=True, slots=True)
class Sample:
    """A client's own measurements plus the simulator's counters for its run."""

    label: str
    latency_ms: float
    panels: int
    concurrency: int
    measured: dict[str, Any]
    simulator: dict[str, float]  # differences over the run


@dataclasses.dataclass(frozen=True, slots=True)
class Row:
    """The summary of one client in one configuration."""

    label: str
    latency_ms: float
    panels: int
    concurrency: int
    runs: int
    wall_s: float
    requests_per_s: float
    cpu_per_1k_requests_s: float
    peak_rss_mb: float
    sessions_per_panel: float | None
    peak_fds: int | None
    simulator_cpu_per_1k_requests_s: float | None
    failed_calls: int  # of the panels x operations, in the worst run
    estimated_from: int | None = None  # panels actually run, for estimates


def summarize(samples: list[Sample]) -> Row:
    """Return medians over runs of one configuration (the worst RSS and fds)."""
    first = samples[0]
    return Row(
        label=first.label,
        latency_ms=first.latency_ms,
        panels=first.panels,
        concurrency=first.concurrency,
        runs=len(samples),
        wall_s=median(s.measured["wall_s"] for s in samples),
        requests_per_s=median(
            s.measured["requests"] / s.measured["wall_s"] for s in samples
        ),
        cpu_per_1k_requests_s=median(
            1000 * s.measured["cpu_s"] / max(1, s.measured["requests"]) for s in samples
        ),
        peak_rss_mb=max(s.measured["maxrss_kb"] for s in samples) / 1024,
        sessions_per_panel=median(
            s.simulator["sessions_created"] / s.panels for s in samples
        ),
        peak_fds=None
        if first.label == VENDOR
        else max(s.measured["peak_fds"] for s in samples),
        simulator_cpu_per_1k_requests_s=median(
            1000 * s.simulator["cpu_s"] / max(1, s.simulator["requests"])
            for s in samples
        ),
        failed_calls=max(
            s.panels * REQUESTS_PER_PANEL - s.measured["ok"] for s in samples
        ),
    )


def scaled(row: Row, panels: int) -> Row:
    """Estimate a sequential client's row at another fleet size."""
    factor = panels / row.panels
    return dataclasses.replace(
        row,
        panels=panels,
        wall_s=row.wall_s * factor,
        estimated_from=row.estimated_from or row.panels,
    )


def median(values: Iterable[float]) -> float:
    return statistics.median(list(values))
