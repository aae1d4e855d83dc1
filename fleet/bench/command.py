"""``scripts/bench``: run the benchmark plan, print the page and write it."""

from __future__ import annotations

import argparse
import dataclasses
import json
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from fleet.bench.machine import describe_machine
from fleet.bench.markdown import render
from fleet.bench.matrix import Matrix
from fleet.bench.plan import FULL, QUICK
from fleet.bench.processes import USABLE_CORES, BenchError, client_core, pinned_to
from fleet.bench.results import Results
from fleet.bench.samples import Sample


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="scripts/bench",
        description="Benchmark fleet against a bare-aiohttp ceiling and a "
        "vendor-style client on simulated panels on 127.0.0.1.",
    )
    parser.add_argument(
        "--quick",
        action="store_true",
        help="100 panels, one repetition: checks the benchmark works in under "
        "a minute, and its numbers mean little",
    )
    parser.add_argument(
        "--out",
        type=Path,
        default=None,
        help="write the Markdown page here (default: docs/benchmarks.md for the "
        "full plan, nothing for --quick)",
    )
    parser.add_argument(
        "--raw",
        type=Path,
        default=None,
        help="also write every run's measurements to this JSON file",
    )
    parser.add_argument(
        "--keep",
        action="store_true",
        help="keep the working directory (inventories, reports, cookies)",
    )
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    plan = QUICK if args.quick else FULL
    out = args.out
    if out is None and not args.quick:
        out = Path("docs/benchmarks.md")
    pinned_to(client_core())()  # the orchestrator stays off the simulator's core
    work_dir = Path(tempfile.mkdtemp(prefix="fleet-bench-"))
    started = time.perf_counter()
    matrix = Matrix(plan, work_dir, log_progress)
    try:
        matrix.run()
    except BenchError as error:
        print(f"bench: {error}", file=sys.stderr)
        return 1
    finally:
        if args.keep:
            print(f"bench: kept {work_dir}", file=sys.stderr)
        else:
            shutil.rmtree(work_dir, ignore_errors=True)
    elapsed = time.perf_counter() - started

    results = Results(plan, matrix.samples, matrix.demo_runs, matrix.inventory_memory)
    page = render(results, machine(), elapsed)
    print(page)
    if out is not None:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(page, encoding="utf-8")
        print(f"bench: wrote {out}", file=sys.stderr)
    if args.raw is not None:
        raw = {
            "plan": plan.name,
            "samples": [sample_record(sample) for sample in matrix.samples],
            "demo": matrix.demo_runs,
            "inventory_memory": matrix.inventory_memory,
        }
        args.raw.write_text(json.dumps(raw, indent=1), encoding="utf-8")

    return 0


def machine() -> dict[str, str]:
    facts = describe_machine()
    cores = USABLE_CORES
    facts["pinning"] = (
        f"simulator on core {cores[-1]}, clients on core {cores[0]}"
        if len(cores) > 1
        else "one core: simulator and clients share it"
    )
    return facts


def sample_record(sample: Sample) -> dict[str, Any]:
    return dataclasses.asdict(sample)


def log_progress(message: str) -> None:
    print(f"bench: {message}", file=sys.stderr, flush=True)
