"""The HTML report in headless Chromium: it renders, charts exist, no errors."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from fleet.audit.checks import evaluate
from fleet.audit.config import AuditConfig
from fleet.audit.diff import diff_runs
from fleet.audit.facts import Certificate, Mount, OperationFailure, Site
from fleet.audit.report import AuditReport
from fleet.report.formats.html import write_html

from .chromium import FLAGS, Browser, chromium_path
from .support import NOW, facts, report_of

pytestmark = pytest.mark.skipif(
    chromium_path() is None,
    reason="chromium is not installed; scripts/test installs it when run as root",
)
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
SCREENSHOT_TIMEOUT_S = 60


@pytest.fixture
def page(tmp_path: Path) -> Path:
    """Write a report with problems of every kind, a diff and hostile text."""
    panels = [
        facts(
            f"web-{number}",
            mounts=(Mount("/", 100, 40 + number * 9, 40.0 + number * 9, 3.0),),
            sites=(Site(f"<b>site{number}</b>.example.com", number % 2 == 0, "7.4"),),
            certificates=(
                Certificate(f"s{number}.example.com", "", number * 6 - 3, ""),
            ),
        )
        for number in range(1, 7)
    ]
    panels.append(
        facts(
            "web-down",
            reached=False,
            mounts=None,
            sites=None,
            certificates=None,
            backups=None,
            failures=(OperationFailure("system", "connect", "refused"),),
        )
    )
    before = report_of(panels[:5], evaluate(panels[:5], AuditConfig(), NOW), "run-0")
    after = report_of(panels, evaluate(panels, AuditConfig(), NOW), "run-1")
    report = AuditReport(
        after.run, after.panels, after.findings, diff_runs(before, after)
    )
    path = tmp_path / "report.html"
    write_html(report, path)
    return path


class TestInBrowser:
    def test_renders_without_errors(self, page: Path, tmp_path: Path) -> None:
        """The page loads, its script finishes and the console stays clean."""
        with Browser(tmp_path / "profile") as browser:
            browser.open(page.as_uri())
            ready = browser.evaluate("document.body.getAttribute('data-script')")
            errors = browser.evaluate("document.body.getAttribute('data-errors')")
            title = browser.evaluate("document.title")
            problems = browser.problems()
        assert ready == "ready"
        assert errors is None
        assert title == "Fleet audit run-1: critical"
        assert problems == []

    def test_charts_present(self, page: Path, tmp_path: Path) -> None:
        """All three charts are drawn with bars and a visible size."""
        with Browser(tmp_path / "profile") as browser:
            browser.open(page.as_uri())
            ids = browser.evaluate(
                "Array.from(document.querySelectorAll('svg.chart')).map(s => s.id)"
            )
            bars = browser.evaluate(
                "document.querySelectorAll('svg.chart rect.bar').length"
            )
            width = browser.evaluate(
                "document.getElementById('chart-disk').getBoundingClientRect().width"
            )
        assert ids == ["chart-status", "chart-disk", "chart-certificates"]
        assert bars >= 6
        assert width > 100

    def test_filter_and_sort(self, page: Path, tmp_path: Path) -> None:
        """The ok toggle shows more rows and a header click sorts by that column."""
        visible = (
            "Array.from(document.querySelectorAll('#findings-table tbody tr'))"
            ".filter(r => !r.hidden)"
        )
        with Browser(tmp_path / "profile") as browser:
            browser.open(page.as_uri())
            problems_only = browser.evaluate(f"{visible}.length")
            browser.evaluate("document.getElementById('show-ok').click()")
            everything = browser.evaluate(f"{visible}.length")
            browser.evaluate(
                "document.querySelectorAll('#findings-table th')[1].click()"
            )
            panels = browser.evaluate(f"{visible}.map(r => r.cells[1].textContent)")
            browser.evaluate(
                "document.querySelectorAll('#findings-table th')[1].click()"
            )
            reverse = browser.evaluate(f"{visible}.map(r => r.cells[1].textContent)")
            sites = browser.evaluate(
                "document.querySelectorAll('#findings-table b').length"
            )
            problems = browser.problems()
        assert 0 < problems_only < everything
        assert panels == sorted(panels)
        assert reverse == sorted(panels, reverse=True)
        assert sites == 0
        assert problems == []

    def test_screenshot(self, page: Path, tmp_path: Path) -> None:
        """Chromium's own --screenshot mode renders the page to a PNG."""
        binary = chromium_path()
        assert binary is not None
        shot = tmp_path / "report.png"
        subprocess.run(
            [binary, *FLAGS, f"--user-data-dir={tmp_path / 'profile'}"]
            + ["--window-size=1280,1600", f"--screenshot={shot}", page.as_uri()],
            capture_output=True,
            timeout=SCREENSHOT_TIMEOUT_S,
            check=True,
        )
        data = shot.read_bytes()
        assert data.startswith(PNG_SIGNATURE)
        assert len(data) > 20_000
