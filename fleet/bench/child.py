"""One benchmark client in a fresh process: run it once and print what it cost.

Run as ``python -m fleet.bench.child CLIENT INVENTORY CONCURRENCY WORK_DIR
[STATE_DIR]`` with CLIENT one of ``fleet``, ``ceiling``, ``tuned`` or
``vendor``. fleet keeps its cookies in STATE_DIR, by default WORK_DIR/state. The last
line of output is one JSON object. It contains the job's wall and CPU time
and request counts, and the resident set size after imports and after
set-up. It also contains the program's peak RSS (``VmHWM``, see
``probes.peak_rss_kb``) and the most descriptors it had open at once.
"""

from __future__ import annotations

import asyncio
import json
import resource
import sys
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any, TypeVar

from fleet.bench.ceiling import (
    TUNED_PANELS_IN_PROGRESS,
    CeilingClient,
    tune_gc,
)
from fleet.bench.fleet_job import FleetJob
from fleet.bench.loop import loop_factory, loop_name
from fleet.bench.probes import (
    DescriptorWatch,
    cpu_seconds,
    peak_rss_kb,
    rss_kb,
    ru_maxrss_kb,
)
from fleet.bench.targets import job_requests, read_targets
from fleet.bench.vendor import run_vendor

CLIENTS = ("fleet", "ceiling", "tuned", "vendor")
T = TypeVar("T")


def run_on_loop(make_job: Callable[[], Awaitable[T]], watch: DescriptorWatch) -> T:
    with asyncio.Runner(loop_factory=loop_factory()) as runner:
        return runner.run(watch.watch(make_job()))


def measure(
    client: str, inventory: Path, concurrency: int, work_dir: Path, state_dir: Path
) -> dict[str, Any]:
    """Set the client up, run its job once and return the measurements."""
    rss_imports = rss_kb()
    fd_soft_limit = resource.getrlimit(resource.RLIMIT_NOFILE)[0]
    setup_started = time.perf_counter()
    watch = DescriptorWatch()
    requests = job_requests()
    fleet_job: FleetJob | None = None
    if client == "fleet":
        fleet_job = FleetJob(inventory, concurrency, work_dir, state_dir)
        panels = len(fleet_job.request.panels)
    else:
        targets = read_targets(inventory)
        panels = len(targets)
    setup_s = time.perf_counter() - setup_started
    rss_setup = rss_kb()
    if client == "tuned":
        tune_gc()

    wall_started = time.perf_counter()
    cpu_started = cpu_seconds()
    if fleet_job is not None:
        exit_code = fleet_job.run(watch)
    elif client == "vendor":
        tally = run_vendor(targets, requests, work_dir / "cookies")
    elif client == "ceiling":
        ceiling = CeilingClient(requests, concurrency, concurrency)
        tally = run_on_loop(lambda: ceiling.run(targets), watch)
    else:
        tuned = CeilingClient(requests, TUNED_PANELS_IN_PROGRESS, None)
        tally = run_on_loop(lambda: tuned.run(targets), watch)
    wall_s = time.perf_counter() - wall_started
    cpu_s = cpu_seconds() - cpu_started
    maxrss = peak_rss_kb()
    ru_maxrss = ru_maxrss_kb()

    if fleet_job is not None:
        tally = fleet_job.count()
        failures = fleet_job.failures()
    else:
        exit_code = 0
        failures = {}
    return {
        "client": client,
        "panels": panels,
        "requests": tally.requests,
        "ok": tally.ok,
        "exit_code": exit_code,
        "failures": failures,
        "setup_s": setup_s,
        "wall_s": wall_s,
        "cpu_s": cpu_s,
        "rss_imports_kb": rss_imports,
        "rss_setup_kb": rss_setup,
        "maxrss_kb": maxrss,
        "ru_maxrss_kb": ru_maxrss,
        "peak_fds": watch.peak,
        "fd_soft_limit": fd_soft_limit,
        "loop": "sync" if client == "vendor" else loop_name(),
    }


def main(argv: list[str]) -> int:
    if len(argv) not in (4, 5) or argv[0] not in CLIENTS:
        print(
            "usage: python -m fleet.bench.child "
            f"{{{','.join(CLIENTS)}}} INVENTORY CONCURRENCY WORK_DIR [STATE_DIR]",
            file=sys.stderr,
        )
        return 64
    client, inventory, concurrency, work_dir = argv[:4]
    state_dir = Path(argv[4]) if len(argv) == 5 else Path(work_dir) / "state"
    result = measure(
        client, Path(inventory), int(concurrency), Path(work_dir), state_dir
    )
    print(json.dumps(result), flush=True)

    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
