"""Child processes for tests that need fleet or the simulator out of this process.

Every child gets a time limit: the simulator stops by itself after
``--duration`` seconds, and each wait here has a timeout after which the
child is killed by its process id. Output that the test does not read while
the child runs goes to files, so a full pipe cannot stall the child.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import json
import sys
from collections.abc import AsyncIterator, Mapping, Sequence
from pathlib import Path
from typing import Any

REPOSITORY = Path(__file__).resolve().parents[2]
START_TIMEOUT_S = 60.0
STOP_TIMEOUT_S = 10.0


@contextlib.asynccontextmanager
async def fleet_simulate(
    inventory: Path, arguments: Sequence[str], max_seconds: float
) -> AsyncIterator[asyncio.subprocess.Process]:
    """Run ``fleet simulate`` until the block ends, once it serves every panel.

    Its log goes to ``INVENTORY.log`` beside the inventory.
    """
    with inventory.with_suffix(".log").open("wb") as log:
        process = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "fleet",
            "simulate",
            "--inventory",
            str(inventory),
            "--duration",
            str(max_seconds),
            *arguments,
            stdout=asyncio.subprocess.PIPE,
            stderr=log,
            cwd=REPOSITORY,
        )
    try:
        await wait_for_line(process, "serving ")
        yield process
    finally:
        await stop(process)


@contextlib.asynccontextmanager
async def spec_server(
    specs: Sequence[Mapping[str, Any]], directory: Path, max_seconds: float
) -> AsyncIterator[Path]:
    """Serve hand-described panels from another process; yield the inventory."""
    specs_path = directory / "specs.json"
    specs_path.write_text(json.dumps(list(specs)), encoding="utf-8")
    inventory = directory / "inventory.yaml"
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "tests.faults.spec_server",
        str(specs_path),
        str(inventory),
        str(max_seconds),
        stdin=asyncio.subprocess.PIPE,
        stdout=asyncio.subprocess.PIPE,
        cwd=REPOSITORY,
    )
    try:
        await wait_for_line(process, "ready")
        yield inventory
    finally:
        if process.stdin is not None:
            process.stdin.close()
        await stop(process)


@dataclasses.dataclass
class FleetProcess:
    """A running ``python -m fleet`` and the files its output goes to."""

    process: asyncio.subprocess.Process
    stdout: Path
    stderr: Path

    async def finish(self, max_seconds: float) -> int:
        """Wait for the exit code; kill the child if it overruns and re-raise."""
        try:
            return await asyncio.wait_for(self.process.wait(), max_seconds)
        except TimeoutError:
            self.process.kill()
            await self.process.wait()
            raise

    def kill(self) -> None:
        """Send SIGKILL to this child, which cannot catch it."""
        self.process.kill()

    def error_output(self) -> str:
        return self.stderr.read_text(encoding="utf-8", errors="replace")


async def start_fleet(
    arguments: Sequence[str], output: Path, open_files: int | None = None
) -> FleetProcess:
    """Start ``python -m fleet``, optionally under ``ulimit -n``.

    Output goes to ``OUTPUT.out`` and ``OUTPUT.err``.
    """
    command = [sys.executable, "-m", "fleet", *arguments]
    if open_files is not None:
        # The shell lowers both limits, as a service manager would, then execs.
        command = ["sh", "-c", f'ulimit -n {open_files} && exec "$@"', "sh", *command]
    stdout = output.with_suffix(".out")
    stderr = output.with_suffix(".err")
    with stdout.open("wb") as out, stderr.open("wb") as err:
        process = await asyncio.create_subprocess_exec(
            *command, stdout=out, stderr=err, cwd=REPOSITORY
        )

    return FleetProcess(process, stdout, stderr)


async def wait_for_line(process: asyncio.subprocess.Process, prefix: str) -> str:
    """Read stdout lines until one starts with ``prefix``; fail on exit or timeout."""
    assert process.stdout is not None
    async with asyncio.timeout(START_TIMEOUT_S):
        while True:
            line = (await process.stdout.readline()).decode()
            if not line:
                raise AssertionError(f"the child exited before printing {prefix!r}")
            if line.startswith(prefix):
                return line


async def stop(process: asyncio.subprocess.Process) -> None:
    """Send SIGTERM, then SIGKILL if the child does not exit in time."""
    if process.returncode is not None:
        return
    with contextlib.suppress(ProcessLookupError):
        process.terminate()
    try:
        await asyncio.wait_for(process.wait(), STOP_TIMEOUT_S)
    except TimeoutError:
        process.kill()
        await process.wait()
