"""The fleet command line: exit codes, outputs, signals and secrets."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
import yaml

from fleet.cli.main import main
from fleet.errors import ExitCode
from fleet.signing import key_digest
from fleet.simulator.fleet import build_specs
from tests.e2e.threaded import fleet_in_thread

SIGNAL_WAIT_S = 20.0


def read_report(directory: Path) -> Any:
    (path,) = directory.glob("*.json")
    return json.loads(path.read_text(encoding="utf-8"))


def add_defaults(inventory: Path, section: str, values: dict[str, object]) -> None:
    document = yaml.safe_load(inventory.read_text(encoding="utf-8"))
    document["defaults"].setdefault(section, {}).update(values)
    inventory.write_text(yaml.safe_dump(document), encoding="utf-8")


class TestExitCodes:
    def test_all_ok_is_zero(self, tmp_path: Path) -> None:
        """A run where every operation succeeds exits 0 and writes the report."""
        with fleet_in_thread(build_specs(3)) as sim:
            sim.write_inventory(tmp_path / "inv.yaml", key_mode="file")
            code = main(
                ["run", str(tmp_path / "inv.yaml"), "system", "sites"]
                + ["--out", str(tmp_path / "out"), "--no-state", "-q"]
            )
        report = read_report(tmp_path / "out")
        assert code == ExitCode.OK
        assert report["summary"]["results_ok"] == 6

    def test_failed_panel_is_one(self, tmp_path: Path) -> None:
        """A run with a failed panel exits 1."""
        with fleet_in_thread(build_specs(2, faults={"api_disabled": 1})) as sim:
            sim.write_inventory(tmp_path / "inv.yaml", key_mode="file")
            code = main(
                ["run", str(tmp_path / "inv.yaml"), "system"]
                + ["--out", str(tmp_path / "out"), "--no-state", "-q"]
            )
        assert code == ExitCode.FAILED

    def test_unknown_operation_is_usage(self, tmp_path: Path) -> None:
        """An unknown operation name is a usage error, 64."""
        assert main(["run", str(tmp_path / "x.yaml"), "sitez"]) == ExitCode.USAGE

    def test_bad_option_is_usage(self) -> None:
        """argparse errors exit 64, not argparse's own 2."""
        assert main(["run", "--concurrency", "0", "inv.yaml", "system"]) == 64

    def test_bad_inventory_is_config(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """An inventory error exits 78 with file:line and no traceback."""
        inventory = tmp_path / "inv.yaml"
        inventory.write_text("panels:\n  - name: a\n    url: http://h:1/x9k2\n")
        code = main(["run", str(inventory), "system"])
        err = capsys.readouterr().err
        assert code == ExitCode.CONFIG
        assert "inv.yaml:3" in err
        assert "Traceback" not in err

    def test_empty_selection_is_usage(self, tmp_path: Path) -> None:
        """A selection that matches nothing is an error, not a success."""
        with fleet_in_thread(build_specs(2)) as sim:
            sim.write_inventory(tmp_path / "inv.yaml", key_mode="file")
            code = main(
                ["run", str(tmp_path / "inv.yaml"), "system", "--limit", "web-*"]
            )
        assert code == ExitCode.USAGE


class TestCall:
    def test_write_needs_flag(self, tmp_path: Path) -> None:
        """A state-changing action without --write is rejected before sending."""
        with fleet_in_thread(build_specs(1)) as sim:
            sim.write_inventory(tmp_path / "inv.yaml", key_mode="file")
            code = main(["call", str(tmp_path / "inv.yaml"), "/site", "SiteStop"])
            requests = sim.stats("sim-0001").requests
        assert code == ExitCode.USAGE
        assert requests == 0

    def test_write_with_flag_is_sent_once(self, tmp_path: Path) -> None:
        """With --write the action runs once on the panel."""
        with fleet_in_thread(build_specs(1)) as sim:
            sim.write_inventory(tmp_path / "inv.yaml", key_mode="file")
            code = main(
                ["call", str(tmp_path / "inv.yaml"), "/site", "SiteStop"]
                + ["id=1", "name=x", "--write", "--no-state", "-q"]
                + ["--out", str(tmp_path / "out")]
            )
            actions = sim.stats("sim-0001").actions
        assert code == ExitCode.OK
        assert actions.get("SiteStop") == 1


class TestSignals:
    @pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM])
    def test_signal_still_writes_report(self, tmp_path: Path, signum: int) -> None:
        """Ctrl-C or SIGTERM ends the run promptly with a complete report."""
        specs = build_specs(6, faults={"black_hole": 3})
        with fleet_in_thread(specs) as sim:
            inventory = tmp_path / "inv.yaml"
            sim.write_inventory(inventory, key_mode="file")
            add_defaults(inventory, "timeouts", {"read": 60})
            jsonl = tmp_path / "out.jsonl"
            process = subprocess.Popen(
                [sys.executable, "-m", "fleet", "run", str(inventory), "system"]
                + ["--jsonl", str(jsonl), "--out", str(tmp_path), "--no-state"],
                stdout=subprocess.DEVNULL,
                stderr=subprocess.PIPE,
            )
            wait_for_lines(jsonl, 4)
            process.send_signal(signum)
            _, stderr = process.communicate(timeout=SIGNAL_WAIT_S)
            code = process.returncode
        report = read_report(tmp_path)
        statuses = [r["status"] for r in report["results"]]
        assert code == 130, stderr
        assert b"Traceback" not in stderr
        assert len(statuses) == 6
        assert statuses.count("ok") == 3
        assert statuses.count("cancelled") == 3
        assert report["run"]["stopped"] == "cancelled"


def wait_for_lines(path: Path, count: int) -> None:
    """Wait until the JSONL file has ``count`` lines (header included)."""
    deadline = time.monotonic() + SIGNAL_WAIT_S
    while time.monotonic() < deadline:
        if path.exists() and len(path.read_text().splitlines()) >= count:
            return
        time.sleep(0.05)
    raise AssertionError(f"{path} did not reach {count} lines")


class TestSecrets:
    def test_demo_output_has_no_keys(self, tmp_path: Path) -> None:
        """No simulator key or key digest appears in the demo's outputs."""
        out = tmp_path / "demo"
        done = subprocess.run(
            [sys.executable, "-m", "fleet", "demo", "--out", str(out), "--all"],
            capture_output=True,
            text=True,
            timeout=120,
            env={**os.environ, "XDG_STATE_HOME": str(tmp_path / "state")},
            check=False,
        )
        outputs = [done.stdout, done.stderr]
        outputs += [p.read_text() for p in out.glob("*.json*")]
        secrets = [spec.key for spec in build_specs(50)]
        secrets += [key_digest(key) for key in secrets]
        assert done.returncode == ExitCode.FAILED
        assert "sim-0050" in done.stdout
        for text in outputs:
            assert not [secret for secret in secrets if secret in text]
            assert "request_token" not in text


class TestReviewedMistakes:
    def test_empty_limit_selects_nothing(self, tmp_path: Path) -> None:
        """An empty --limit (an unset variable) is rejected, not read as 'all'."""
        with fleet_in_thread(build_specs(2)) as sim:
            sim.write_inventory(tmp_path / "inv.yaml", key_mode="file")
            code = main(
                ["call", str(tmp_path / "inv.yaml"), "/site", "SiteStop", "id=1"]
                + ["--write", "--limit", "", "--no-state"]
            )
            requests = [sim.stats(f"sim-000{i}").requests for i in (1, 2)]
        assert code == ExitCode.USAGE
        assert requests == [0, 0]

    def test_nan_deadline_is_usage(self) -> None:
        """A deadline of nan is a usage error."""
        assert main(["run", "inv.yaml", "system", "--deadline", "nan"]) == 64

    def test_output_over_a_file_is_cant_create(self, tmp_path: Path) -> None:
        """An --out that is a file exits 73 before any panel is contacted."""
        blocker = tmp_path / "file"
        blocker.write_text("")
        with fleet_in_thread(build_specs(1)) as sim:
            sim.write_inventory(tmp_path / "inv.yaml", key_mode="file")
            code = main(
                ["run", str(tmp_path / "inv.yaml"), "system"]
                + ["--out", str(blocker / "sub"), "--no-state"]
            )
            requests = sim.stats("sim-0001").requests
        assert code == ExitCode.CANT_CREATE
        assert requests == 0

    def test_only_failed_keeps_earlier_selection(self, tmp_path: Path) -> None:
        """--only-failed never adds panels the earlier run did not select."""
        with fleet_in_thread(build_specs(3, faults={"wrong_key": 1})) as sim:
            inventory = str(tmp_path / "inv.yaml")
            sim.write_inventory(inventory, key_mode="file")
            first = tmp_path / "first.json"
            main(
                ["run", inventory, "system", "--limit", "sim-0003", "--no-state"]
                + ["--json", str(first), "--out", str(tmp_path / "out"), "-q"]
            )
            before = [sim.stats(f"sim-000{i}").requests for i in (1, 2, 3)]
            main(
                ["run", inventory, "--only-failed", str(first), "--no-state", "-q"]
                + ["--out", str(tmp_path / "out2")]
            )
            after = [sim.stats(f"sim-000{i}").requests for i in (1, 2, 3)]
        assert after[:2] == before[:2] == [0, 0]
        assert after[2] == before[2] + 1
