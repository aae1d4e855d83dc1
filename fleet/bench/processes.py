"""Start the benchmark's processes: the simulator, each client, the demo.

Where the machine has two or more cores, the simulator is pinned to the last
one and every client to the first, so the two never share a core. Every
process gets a time limit.
"""

from __future__ import annotations

import json
import os
import select
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import IO, Any

from fleet.bench.targets import read_inventory

SIMULATOR_START_TIMEOUT_S = 180.0
CLIENT_TIMEOUT_S = 300.0
DEMO_TIMEOUT_S = 120.0
STATS_TIMEOUT_S = 30.0


# Read once at import, before the orchestrator pins itself to one core.
USABLE_CORES = sorted(os.sched_getaffinity(0))


def client_core() -> set[int]:
    return {USABLE_CORES[0]}


def simulator_core() -> set[int]:
    """Return the simulator's core: the last one, or the only one there is."""
    return {USABLE_CORES[-1]}


def pinned_to(cores: set[int]) -> Callable[[], None]:
    def pin() -> None:
        os.sched_setaffinity(0, cores)

    return pin


class BenchError(RuntimeError):
    """A benchmark process failed; the message names it and shows its output."""


class SimulatorProcess:
    """The simulated fleet in its own process, with counters read over a pipe."""

    def __init__(self, panels: int, latency_ms: float, inventory: Path) -> None:
        self.panels = panels
        self.latency_ms = latency_ms
        self.inventory = inventory
        self.process: subprocess.Popen[bytes] | None = None
        self.reader: LineReader | None = None

    def __enter__(self) -> SimulatorProcess:
        command = [
            sys.executable,
            "-m",
            "fleet.bench.server",
            str(self.panels),
            str(self.latency_ms),
            str(self.inventory),
        ]
        self.process = subprocess.Popen(
            command,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            preexec_fn=pinned_to(simulator_core()),
        )
        assert self.process.stdout is not None
        self.reader = LineReader(self.process.stdout)
        self.read_line(SIMULATOR_START_TIMEOUT_S)
        return self

    def __exit__(self, *exc_info: object) -> None:
        if self.process is None:
            return
        assert self.process.stdin is not None
        self.process.stdin.close()  # end of input stops the simulator
        try:
            self.process.wait(timeout=STATS_TIMEOUT_S)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        if self.process.stdout is not None:
            self.process.stdout.close()

    def stats(self) -> dict[str, float]:
        """Return the totals of every panel's counters and the simulator's CPU time."""
        assert self.process is not None
        assert self.process.stdin is not None
        self.process.stdin.write(b"stats\n")
        self.process.stdin.flush()
        totals: dict[str, float] = self.read_line(STATS_TIMEOUT_S)
        return totals

    def read_line(self, timeout_s: float) -> Any:
        assert self.process is not None
        assert self.reader is not None
        line = self.reader.read_line(timeout_s)
        if not line:
            code = self.process.poll()
            raise BenchError(
                f"the simulator ({self.panels} panels, {self.latency_ms} ms) "
                f"stopped or did not answer within {timeout_s:.0f} s "
                f"(exit code {code}); its error output is above"
            )
        return json.loads(line)


class LineReader:
    """Reads lines from a pipe with a time limit, keeping any partial line."""

    def __init__(self, stream: IO[bytes]) -> None:
        self.fd = stream.fileno()
        self.pending = b""

    def read_line(self, timeout_s: float) -> str:
        """Return the next line, or "" at end of output or after ``timeout_s``."""
        deadline = time.monotonic() + timeout_s
        while b"\n" not in self.pending:
            remaining = deadline - time.monotonic()
            readable, _, _ = select.select([self.fd], [], [], max(0.0, remaining))
            if not readable:
                return ""
            chunk = os.read(self.fd, 65536)
            if not chunk:
                line, self.pending = self.pending, b""
                return line.decode()
            self.pending += chunk
        line, _, self.pending = self.pending.partition(b"\n")

        return line.decode() + "\n"


def run_client(
    client: str,
    inventory: Path,
    concurrency: int,
    work_dir: Path,
    state_dir: Path | None = None,
) -> dict[str, Any]:
    """Run one client in a fresh, pinned process and return its measurements."""
    work_dir.mkdir(parents=True, exist_ok=True)
    command = [
        sys.executable,
        "-m",
        "fleet.bench.child",
        client,
        str(inventory),
        str(concurrency),
        str(work_dir),
    ]
    if state_dir is not None:
        command.append(str(state_dir))
    try:
        finished = subprocess.run(
            command,
            capture_output=True,
            text=True,
            timeout=CLIENT_TIMEOUT_S,
            preexec_fn=pinned_to(client_core()),
            check=False,
        )
    except subprocess.TimeoutExpired as error:
        raise BenchError(
            f"client {client} on {inventory.name} ran past {CLIENT_TIMEOUT_S:.0f} s"
        ) from error
    lines = finished.stdout.strip().splitlines()
    if finished.returncode != 0 or not lines:
        raise BenchError(
            f"client {client} on {inventory.name} failed with exit code "
            f"{finished.returncode}:\n{finished.stderr[-3000:]}"
        )
    measured: dict[str, Any] = json.loads(lines[-1])
    measured["stderr"] = finished.stderr[-2000:]

    return measured


def run_inventory_memory(inventory: Path) -> dict[str, Any]:
    """Measure the memory of fleet's loaded inventory in a fresh process."""
    command = [sys.executable, "-m", "fleet.bench.inventory_memory", str(inventory)]
    try:
        finished = subprocess.run(
            command,
            capture_output=True,
            text=True,
            timeout=CLIENT_TIMEOUT_S,
            preexec_fn=pinned_to(client_core()),
            check=True,
        )
    except (subprocess.CalledProcessError, subprocess.TimeoutExpired) as error:
        raise BenchError(
            f"measuring the inventory {inventory} failed: {error}"
        ) from error
    measured: dict[str, Any] = json.loads(finished.stdout.strip().splitlines()[-1])

    return measured


def run_demo(out_dir: Path) -> dict[str, Any]:
    """Run ``fleet demo`` once; time the whole process and the part after set-up.

    Set-up ends when the demo prints its "simulated fleet" line, after its
    simulator is listening and its inventory is written.
    """
    command = [sys.executable, "-m", "fleet", "demo", "--out", str(out_dir)]
    started = time.perf_counter()
    process = subprocess.Popen(
        command,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        preexec_fn=pinned_to(client_core()),
    )
    with process:
        assert process.stdout is not None
        set_up_at = wait_for_set_up(LineReader(process.stdout), started)
        try:
            code = process.wait(
                timeout=max(1.0, started + DEMO_TIMEOUT_S - time.perf_counter())
            )
        except subprocess.TimeoutExpired as error:
            process.kill()
            raise BenchError(f"fleet demo ran past {DEMO_TIMEOUT_S:.0f} s") from error
    ended = time.perf_counter()
    if set_up_at is None:
        raise BenchError(f"fleet demo exited with {code} before its fleet started")

    return {
        "exit_code": code,
        "total_s": ended - started,
        "set_up_s": set_up_at - started,
        "after_set_up_s": ended - set_up_at,
        **last_result(out_dir),
    }


def wait_for_set_up(reader: LineReader, started: float) -> float | None:
    """Read the demo's output to its end; return when set-up was announced."""
    set_up_at = None
    deadline = started + DEMO_TIMEOUT_S
    while line := reader.read_line(max(0.0, deadline - time.perf_counter())):
        if set_up_at is None and line.startswith("simulated fleet"):
            set_up_at = time.perf_counter()

    return set_up_at


def last_result(out_dir: Path) -> dict[str, Any]:
    """Find the demo's last result to finish: what bounds the demo's duration.

    Returns its panel, operation, fault profile and end time in seconds after
    the first call started, or nothing when the report cannot be read.
    """
    reports = [p for p in out_dir.glob("*.json") if p.name.count(".") == 1]
    if len(reports) != 1:
        return {}
    results = json.loads(reports[0].read_text(encoding="utf-8"))["results"]
    start = min(result["started_at"] for result in results)
    last = max(results, key=lambda r: r["started_at"] + r["duration_s"])
    inventory = read_inventory(out_dir / "inventory.yaml")
    faults = {
        panel["name"]: panel.get("tags", {}).get("fault", "none")
        for panel in inventory["panels"]
    }

    return {
        "last_panel": last["panel"],
        "last_operation": last["operation"],
        "last_fault": faults.get(last["panel"], "unknown"),
        "last_end_s": last["started_at"] + last["duration_s"] - start,
        "last_attempts": last["attempts"],
    }
