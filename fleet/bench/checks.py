"""The benchmark's targets, checked against one run's results."""

from __future__ import annotations

from fleet.bench.plan import CEILING, FLEET, VENDOR
from fleet.bench.results import (
    COMMON_DEFAULT_FILE_LIMIT,
    TARGET_CEILING_RATIO,
    TARGET_DEMO_S,
    TARGET_PEAK_RSS_MB,
    TARGET_VENDOR_RATIO,
    Check,
    Results,
)
from fleet.bench.samples import REQUESTS_PER_PANEL


def check_targets(results: Results) -> list[Check]:
    """Return one check per target, in the order the report lists them."""
    checks = [check_ceiling(results, latency) for latency in results.plan.latencies_ms]
    checks += check_vendor(results)
    checks += [check_memory(results), check_descriptors(results)]
    if results.demo_runs:
        checks.append(check_demo(results))
    return checks


def check_ceiling(results: Results, latency_ms: float) -> Check:
    plan = results.plan
    ratios = [results.ratios(latency_ms, size, plan.concurrency) for size in plan.sizes]
    found = [r.fleet_to_ceiling for r in ratios if r.fleet_to_ceiling is not None]
    measured = ", ".join(
        f"{r.fleet_to_ceiling:.2f}x at {r.panels:,} panels"
        for r in ratios
        if r.fleet_to_ceiling is not None
    )
    return Check(
        target=f"fleet <= {TARGET_CEILING_RATIO}x the ceiling at {latency_ms:g} ms "
        f"(concurrency {plan.concurrency})",
        measured=measured or "not measured",
        met=bool(found) and max(found) <= TARGET_CEILING_RATIO,
    )


def check_vendor(results: Results) -> list[Check]:
    plan = results.plan
    slow = [latency for latency in plan.latencies_ms if latency > 0]
    if not slow:
        return []
    checks = []
    for concurrency in (plan.concurrency, plan.high_concurrency):
        found = results.ratios(slow[0], plan.comparison_size, concurrency)
        vendor_ratio = found.vendor_to_fleet
        estimated = (
            " (vendor time scaled from a sample)" if found.vendor_estimated else ""
        )
        checks.append(
            Check(
                target=f"fleet >= {TARGET_VENDOR_RATIO:.0f}x faster than the "
                f"vendor-style client at {plan.comparison_size:,} panels and "
                f"{slow[0]:g} ms, concurrency {concurrency}",
                measured="not measured"
                if vendor_ratio is None
                else f"{vendor_ratio:.0f}x{estimated}",
                met=vendor_ratio is not None and vendor_ratio >= TARGET_VENDOR_RATIO,
            )
        )
    return checks


def check_memory(results: Results) -> Check:
    largest = max(results.plan.sizes)
    rows = results.fleet_rows(largest)
    peak = max((row.peak_rss_mb for row in rows), default=0.0)
    return Check(
        target=f"fleet peak RSS <= {TARGET_PEAK_RSS_MB:.0f} MB at {largest:,} panels",
        measured=f"{peak:.0f} MB; a loaded, idle panel adds "
        f"{results.idle_panel_kb(largest):.1f} KiB of RSS"
        + live_part(results.live_panel_kb(largest)),
        met=bool(rows) and peak <= TARGET_PEAK_RSS_MB,
    )


def live_part(live_kb: float | None) -> str:
    return "" if live_kb is None else f", {live_kb:.1f} KiB of it live objects"


def check_descriptors(results: Results) -> Check:
    largest = max(results.plan.sizes)
    rows = results.fleet_rows(largest)
    peak_fds = max((row.peak_fds or 0 for row in rows), default=0)
    failed = sum(row.failed_calls for row in rows)
    return Check(
        target=f"no 'too many open files' at {largest:,} panels",
        measured=f"{failed} failed calls; at most {peak_fds} descriptors open, "
        f"against the common default soft limit of {COMMON_DEFAULT_FILE_LIMIT}",
        met=bool(rows) and failed == 0 and peak_fds < COMMON_DEFAULT_FILE_LIMIT,
    )


def check_demo(results: Results) -> Check:
    after = results.demo_median("after_set_up_s")
    total = results.demo_median("total_s")
    return Check(
        target=f"the 50-panel demo job under {TARGET_DEMO_S:.0f} s after set-up",
        measured=f"{after:.2f} s after set-up, {total:.2f} s for the whole "
        f"`fleet demo` process (median of {len(results.demo_runs)})",
        met=after < TARGET_DEMO_S,
    )


def cpu_gap_s(results: Results, latency_ms: float, panels: int) -> float | None:
    """Return fleet's extra client CPU seconds per 1,000 requests over the ceiling."""
    plan = results.plan
    fleet = results.find(FLEET, latency_ms, panels, plan.concurrency)
    ceiling = results.find(CEILING, latency_ms, panels, plan.concurrency)
    if fleet is None or ceiling is None:
        return None
    return fleet.cpu_per_1k_requests_s - ceiling.cpu_per_1k_requests_s


def vendor_request_s(results: Results, latency_ms: float) -> float | None:
    """Return the vendor-style client's wall time per request at a latency."""
    for row in results.rows:
        measured = row.estimated_from is None
        if row.label == VENDOR and row.latency_ms == latency_ms and measured:
            return row.wall_s / (row.panels * REQUESTS_PER_PANEL)
    return None
