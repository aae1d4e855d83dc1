"""``fleet audit``, ``history``, ``diff`` and ``demo`` through ``main`` on loopback."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from fleet.cli.main import main
from fleet.errors import ExitCode
from fleet.signing import key_digest
from fleet.simulator.fleet import build_specs
from fleet.simulator.spec import PanelSpec
from tests.e2e.threaded import fleet_in_thread

from .support import (
    HEALTHY,
    audit_args,
    healthy_specs,
    with_overrides,
    write_config,
    write_fast_inventory,
)

SITES = ["a.example.com", "b.example.com", "c.example.com"]
DEMO_TIMEOUT_S = 120


def audit(tmp_path: Path, specs: list[PanelSpec], *extra: str) -> int:
    """Serve ``specs``, audit them with the PHP check off and return the exit code."""
    config = write_config(tmp_path)
    with fleet_in_thread(specs) as sim:
        inventory = write_fast_inventory(sim, tmp_path)
        return main(audit_args(inventory, tmp_path, "--config", str(config), *extra))


def latest_report(directory: Path) -> Any:
    """Return the JSON report of the run that started last.

    Run ids have one-second resolution, so two runs in one second do not sort
    by their ids.
    """
    documents = [
        json.loads(path.read_text(encoding="utf-8"))
        for path in directory.glob("*.audit.json")
    ]
    return max(documents, key=lambda document: document["run"]["started_at"])


def audit_document(tmp_path: Path) -> Any:
    (path,) = (tmp_path / "out").glob("*.audit.json")
    return json.loads(path.read_text(encoding="utf-8"))


class TestExitCodes:
    def test_ok_is_zero(self, tmp_path: Path) -> None:
        """A fleet without problems exits 0 and writes every report."""
        assert audit(tmp_path, healthy_specs(2)) == 0
        names = sorted(
            path.name.split(".", 1)[1] for path in (tmp_path / "out").iterdir()
        )
        assert names == [
            "audit.html",
            "audit.json",
            "audit.jsonl",
            "audit.md",
            "findings.csv",
            "junit.xml",
            "prom",
        ]

    def test_warning_is_one(self, tmp_path: Path) -> None:
        """A stopped site alone is a warning, exit 1."""
        first, second = healthy_specs(2)
        first = with_overrides(first, site_names=SITES, stopped_sites=["b.example.com"])
        assert audit(tmp_path, [first, second]) == 1
        (problem,) = [
            f for f in audit_document(tmp_path)["findings"] if f["severity"] != "ok"
        ]
        assert (problem["check"], problem["object"]) == (
            "stopped_sites",
            "b.example.com",
        )

    def test_critical_is_two(self, tmp_path: Path) -> None:
        """A full disk is critical, exit 2."""
        first, second = healthy_specs(2)
        assert (
            audit(tmp_path, [with_overrides(first, disk_used_percent=97), second]) == 2
        )

    def test_unreachable_is_three(self, tmp_path: Path) -> None:
        """A panel that cannot be audited, and nothing critical, exits 3."""
        specs = build_specs(2, faults={"wrong_key": 1}, seed=3)
        specs = [with_overrides(spec, **HEALTHY) for spec in specs]
        assert audit(tmp_path, specs) == 3
        summary = audit_document(tmp_path)["summary"]
        assert summary["panels_by_status"]["unknown"] == 1

    def test_critical_beats_unknown(self, tmp_path: Path) -> None:
        """Critical findings decide the exit code even with an unreachable panel."""
        specs = build_specs(2, faults={"wrong_key": 1}, seed=3)
        specs = [with_overrides(spec, **HEALTHY) for spec in specs]
        specs[0] = with_overrides(specs[0], ssl_expiry_days=-1)
        assert audit(tmp_path, specs) == 2

    def test_deadline_is_unknown(self, tmp_path: Path) -> None:
        """Work cut off by the deadline is unknown and the reports are still written."""
        specs = build_specs(2, faults={"slow": 1}, seed=3)
        specs = [with_overrides(spec, **HEALTHY) for spec in specs]
        assert audit(tmp_path, specs, "--deadline", "0.5") == 3
        document = audit_document(tmp_path)
        assert document["run"]["stopped"] == "timeout.deadline"

    def test_bad_format_is_usage(self, tmp_path: Path) -> None:
        """An unknown report format is a usage error, 64."""
        code = main(["audit", str(tmp_path / "x.yaml"), "--formats", "pdf"])
        assert code == ExitCode.USAGE

    def test_empty_selection_is_usage(self, tmp_path: Path) -> None:
        """A selection that matches no panel is a usage error, 64."""
        assert audit(tmp_path, healthy_specs(1), "--limit", "nothing-*") == 64

    def test_bad_config_is_config(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """A wrong audit configuration exits 78 before any panel is contacted."""
        config = write_config(tmp_path, "defaults:\n  disk: {warnig: 50}\n")
        with fleet_in_thread(healthy_specs(1)) as sim:
            inventory = write_fast_inventory(sim, tmp_path)
            code = main(audit_args(inventory, tmp_path, "--config", str(config)))
            requests = sim.stats(sim.panels[0].name).requests
        assert code == ExitCode.CONFIG
        assert "audit.yaml:2:10" in capsys.readouterr().err
        assert requests == 0


class TestOutputs:
    def test_no_progress_off_terminal(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """Without a terminal no progress bar is drawn; the table goes to stdout."""
        first, second = healthy_specs(2)
        first = with_overrides(first, disk_used_percent=97)
        config = write_config(tmp_path)
        with fleet_in_thread([first, second]) as sim:
            inventory = write_fast_inventory(sim, tmp_path)
            args = audit_args(inventory, tmp_path, "--config", str(config))
            args.remove("-q")
            main(args)
        captured = capsys.readouterr()
        assert "panels/s" not in captured.out + captured.err
        assert "ETA" not in captured.err
        assert "\x1b[" not in captured.err
        assert "Problems" in captured.out
        assert "critical" in captured.out

    def test_prometheus_file_option(self, tmp_path: Path) -> None:
        """--prometheus-file writes the metrics to the given path."""
        target = tmp_path / "textfile" / "fleet.prom"
        audit(tmp_path, healthy_specs(1), "--prometheus-file", str(target))
        assert "fleet_audit_status 0" in target.read_text(encoding="utf-8")
        assert not (tmp_path / "out" / "fleet-audit.prom").exists()

    def test_no_secret_anywhere(self, tmp_path: Path) -> None:
        """No key, key digest or private key reaches the reports or the history."""
        specs = healthy_specs(2)
        audit(tmp_path, specs)
        outputs = [p.read_bytes() for p in (tmp_path / "out").iterdir()]
        outputs += [p.read_bytes() for p in (tmp_path / "state").glob("history*")]
        secrets = [spec.key for spec in specs] + [key_digest(s.key) for s in specs]
        for blob in outputs:
            assert not [s for s in secrets if s.encode() in blob]
            assert b"PRIVATE KEY" not in blob


class TestHistoryAndDiff:
    def test_history_lists_runs(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """Two audits appear in ``fleet history`` newest first."""
        specs = healthy_specs(1)
        audit(tmp_path, specs)
        audit(tmp_path, specs)
        capsys.readouterr()
        state = str(tmp_path / "state")
        assert main(["history", "--state-dir", state, "--format", "json"]) == 0
        runs = json.loads(capsys.readouterr().out)
        assert len(runs) == 2
        assert runs[0]["started_at"] >= runs[1]["started_at"]
        assert {run["status"] for run in runs} == {"complete"}

    def test_diff_between_audits(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """A disk that filled up between two audits appears in report and diff."""
        first, second = healthy_specs(2)
        audit(tmp_path, [first, second])
        audit(tmp_path, [with_overrides(first, disk_used_percent=97), second])
        latest = latest_report(tmp_path / "out")
        appeared = [(f["panel"], f["check"]) for f in latest["diff"]["appeared"]]
        assert appeared == [(first.name, "disk")]
        capsys.readouterr()
        state = str(tmp_path / "state")
        assert main(["diff", "--state-dir", state, "--format", "json"]) == 0
        assert json.loads(capsys.readouterr().out) == latest["diff"]

    def test_diff_needs_history(self, tmp_path: Path) -> None:
        """Without a history database, diff is a usage error."""
        assert main(["diff", "--state-dir", str(tmp_path)]) == ExitCode.USAGE


def run_demo(out: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    """Run ``fleet demo`` in its own process, as scripts/demo does."""
    return subprocess.run(
        [sys.executable, "-m", "fleet", "demo", "--out", str(out), "--panels", "22"]
        + ["-q", *extra],
        capture_output=True,
        text=True,
        timeout=DEMO_TIMEOUT_S,
        check=False,
    )


class TestDemo:
    def test_variant_shows_exactly_its_change(self, tmp_path: Path) -> None:
        """A demo run after --variant 2 diffs to exactly the one upgraded panel."""
        out = tmp_path / "demo"
        first = run_demo(out)
        second = run_demo(out, "--variant", "2")
        assert first.returncode == ExitCode.FAILED, first.stderr
        assert second.returncode == ExitCode.FAILED, second.stderr
        diff = latest_report(out)["diff"]
        changes = {key: value for key, value in diff.items() if value}
        changes.pop("before_run")
        changes.pop("after_run")
        assert changes.pop("version_changes") == [
            {"panel": "sim-0007", "before": "11.5.0", "after": "11.7.0"}
        ]
        resolved = changes.pop("resolved")
        assert [(f["panel"], f["check"]) for f in resolved] == [
            ("sim-0007", "panel_version")
        ]
        assert changes == {}
        for suffix in (
            ".audit.html",
            ".findings.csv",
            ".junit.xml",
            "fleet-audit.prom",
        ):
            assert suffix in second.stdout
