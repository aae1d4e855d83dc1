"""The ``fleet simulate`` command, run as a child process."""

from __future__ import annotations

import argparse
import asyncio
import signal
import sys
from pathlib import Path

import yaml

from fleet.simulator import command

_SCRIPT = (
    "import argparse, sys\n"
    "from fleet.simulator import command\n"
    "parser = argparse.ArgumentParser()\n"
    "command.add_arguments(parser)\n"
    "sys.exit(command.run(parser.parse_args(sys.argv[1:])))\n"
)


def text(path: Path) -> str:
    """Return a file's text."""
    return path.read_text()


def mode(path: Path) -> int:
    """Return the permission bits of a file."""
    return path.stat().st_mode & 0o777


async def start(*arguments: str) -> asyncio.subprocess.Process:
    """Start the command in a child Python process with piped output."""
    return await asyncio.create_subprocess_exec(
        sys.executable,
        "-c",
        _SCRIPT,
        *arguments,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )


class TestCommand:
    def test_defaults(self) -> None:
        """The parser's defaults describe ten healthy inline-key panels."""
        parser = argparse.ArgumentParser()
        command.add_arguments(parser)

        args = parser.parse_args([])

        assert args.panels == 10
        assert args.faulty == 0
        assert args.key_mode == "inline"
        assert args.duration is None

    async def test_serves_until_sigterm(self, tmp_path: Path) -> None:
        """The command prints the inventory and summary, then exits 0 on SIGTERM."""
        inventory = tmp_path / "inv.yaml"
        process = await start(
            "--panels", "12", "--faulty", "11", "--inventory", str(inventory)
        )
        assert process.stdout is not None
        first = await asyncio.wait_for(process.stdout.readline(), timeout=20)
        summary = await asyncio.wait_for(process.stdout.readline(), timeout=5)

        process.send_signal(signal.SIGTERM)
        code = await asyncio.wait_for(process.wait(), timeout=10)

        assert first.decode().strip() == f"inventory: {inventory}"
        assert summary.decode().startswith("serving 12 simulated panels on 127.0.0.1")
        assert "11 faulty" in summary.decode()
        assert code == 0
        panels = yaml.safe_load(text(inventory))["panels"]
        assert len(panels) == 12
        assert sum(1 for entry in panels if entry["groups"] == ["faulty"]) == 11

    async def test_env_mode_writes_env_file(self, tmp_path: Path) -> None:
        """With --key-mode env the keys go to a 0600 file to source, not to stdout."""
        inventory = tmp_path / "inv.yaml"
        process = await start(
            "--panels",
            "2",
            "--key-mode",
            "env",
            "--duration",
            "0.2",
            "--inventory",
            str(inventory),
        )
        output, _ = await asyncio.wait_for(process.communicate(), timeout=20)

        env_file = tmp_path / "inv.env"
        assert process.returncode == 0
        assert f"keys: source {env_file}" in output.decode()
        assert text(env_file).startswith("export FLEET_SIM_KEY_SIM_0001='")
        assert mode(env_file) == 0o600
        for line in text(env_file).splitlines():
            assert line.split("'")[1] not in output.decode()

    async def test_too_many_faulty_is_usage_error(self) -> None:
        """--faulty above --panels exits 64 with a message."""
        process = await start("--panels", "1", "--faulty", "2")
        _, errors = await asyncio.wait_for(process.communicate(), timeout=20)

        assert process.returncode == 64
        assert "--faulty 2 is more than --panels 1" in errors.decode()

    async def test_non_loopback_host_is_usage_error(self) -> None:
        """A host outside loopback exits 64 without binding anything."""
        process = await start("--panels", "1", "--host", "0.0.0.0")
        _, errors = await asyncio.wait_for(process.communicate(), timeout=20)

        assert process.returncode == 64
        assert "not a loopback address" in errors.decode()
