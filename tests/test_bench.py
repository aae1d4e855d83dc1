"""The benchmark runs end to end in its quick plan and reports what it measured.

The numbers are not checked: the quick plan is too small to mean much, and a
shared machine makes timings noisy. The tests check that every client ran
against the simulator, received every response, and made the sessions it
should.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from fleet.bench.plan import CEILING, FLEET, FLEET_FIRST, QUICK, TUNED, VENDOR
from fleet.bench.processes import LineReader
from fleet.bench.samples import Row, scaled
from fleet.bench.targets import read_inventory, write_first_panels

QUICK_TIMEOUT_S = 170


@pytest.fixture(scope="module")
def quick_run(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """Run ``python -m fleet.bench --quick`` once and collect its outputs."""
    directory = tmp_path_factory.mktemp("bench")
    page = directory / "benchmarks.md"
    raw = directory / "raw.json"
    finished = subprocess.run(
        [
            sys.executable,
            "-m",
            "fleet.bench",
            "--quick",
            "--out",
            str(page),
            "--raw",
            str(raw),
        ],
        capture_output=True,
        text=True,
        timeout=QUICK_TIMEOUT_S,
        check=False,
    )
    assert finished.returncode == 0, finished.stderr[-3000:]
    return {
        "page": page.read_text(encoding="utf-8"),
        "raw": json.loads(raw.read_text(encoding="utf-8")),
        "stdout": finished.stdout,
    }


def samples_of(run: dict[str, Any], label: str) -> list[dict[str, Any]]:
    return [s for s in run["raw"]["samples"] if s["label"] == label]


@pytest.mark.timeout(QUICK_TIMEOUT_S + 10)
class TestQuickRun:
    def test_every_client_ran(self, quick_run: dict[str, Any]) -> None:
        """Each client ran at both latencies of the quick plan."""
        for label in (FLEET, FLEET_FIRST, CEILING, TUNED, VENDOR):
            latencies = {s["latency_ms"] for s in samples_of(quick_run, label)}
            assert latencies == set(QUICK.latencies_ms), label

    def test_every_call_succeeded(self, quick_run: dict[str, Any]) -> None:
        """No client lost a call: three responses per panel, every run."""
        for sample in quick_run["raw"]["samples"]:
            measured = sample["measured"]
            assert measured["ok"] == 3 * sample["panels"], sample["label"]
            assert measured["failures"] == {}, sample["label"]

    def test_fleet_reuses_saved_cookies(self, quick_run: dict[str, Any]) -> None:
        """fleet's first run makes one session per panel, later runs none."""
        for sample in samples_of(quick_run, FLEET_FIRST):
            assert sample["simulator"]["sessions_created"] == sample["panels"]
        for sample in samples_of(quick_run, FLEET):
            assert sample["simulator"]["sessions_created"] == 0

    def test_clients_make_one_session_per_panel(
        self, quick_run: dict[str, Any]
    ) -> None:
        """The ceilings and the vendor-style client keep one cookie per panel."""
        for label in (CEILING, TUNED, VENDOR):
            for sample in samples_of(quick_run, label):
                created = sample["simulator"]["sessions_created"]
                assert created == sample["panels"], label

    def test_page_has_every_section(self, quick_run: dict[str, Any]) -> None:
        """The written page contains machine, targets, results and ratios."""
        page = quick_run["page"]
        for heading in (
            "## Machine",
            "## Targets",
            "## Results at 0 ms of simulated latency",
            "## Results at 50 ms of simulated latency",
            "## Ratios within this run",
            "## Memory of fleet",
            "## Demo",
        ):
            assert heading in page

    def test_page_is_printed(self, quick_run: dict[str, Any]) -> None:
        """The page also goes to standard output."""
        assert "## Targets" in quick_run["stdout"]


class TestPieces:
    def test_scaled_estimate_is_linear(self) -> None:
        """A sequential client's estimate grows with the number of panels."""
        row = Row(
            label=VENDOR,
            latency_ms=50.0,
            panels=10,
            concurrency=1,
            runs=1,
            wall_s=1.5,
            requests_per_s=20.0,
            cpu_per_1k_requests_s=1.0,
            peak_rss_mb=40.0,
            sessions_per_panel=1.0,
            peak_fds=None,
            simulator_cpu_per_1k_requests_s=None,
            failed_calls=0,
        )
        estimate = scaled(row, 1000)
        assert estimate.wall_s == pytest.approx(150.0)
        assert estimate.estimated_from == 10

    def test_subset_inventory(self, tmp_path: Path) -> None:
        """The first N panels of an inventory are written with their keys."""
        document = {
            "defaults": {"timeouts": {"read": 5}},
            "panels": [
                {"name": f"p{i}", "url": f"http://127.0.0.1:{9000 + i}", "key": "k"}
                for i in range(5)
            ],
        }
        path = write_first_panels(document, 2, tmp_path / "two.yaml")
        written = read_inventory(path)
        assert [panel["name"] for panel in written["panels"]] == ["p0", "p1"]
        assert written["defaults"] == document["defaults"]
        assert path.stat().st_mode & 0o777 == 0o600

    def test_subset_larger_than_inventory(self, tmp_path: Path) -> None:
        """Asking for more panels than the simulator serves is an error."""
        with pytest.raises(ValueError, match="start the simulator with more"):
            write_first_panels({"panels": []}, 1, tmp_path / "x.yaml")

    def test_line_reader_times_out(self) -> None:
        """A silent pipe gives an empty line after the time limit."""
        script = "import time; print('one', flush=True); time.sleep(5)"
        with subprocess.Popen(
            [sys.executable, "-c", script], stdout=subprocess.PIPE
        ) as process:
            assert process.stdout is not None
            reader = LineReader(process.stdout)
            first = reader.read_line(10.0)
            silent = reader.read_line(0.2)
            process.kill()
        assert first == "one\n"
        assert silent == ""
