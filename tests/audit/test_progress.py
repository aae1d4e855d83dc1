"""The panel progress bar and the give-up log lines."""

from __future__ import annotations

import io
import logging

import pytest
from rich.console import Console

from fleet.report.model import Result
from fleet.report.progress import PanelProgress, log_give_up


def result(panel: str, operation: str, ok: bool = True, **fields: object) -> Result:
    return Result(panel, "http://127.0.0.1:1", operation, ok, 1, 0.1, 0.0, **fields)  # type: ignore[arg-type]


class TestPanelProgress:
    def test_counts_whole_panels(self) -> None:
        """A panel counts as done once every operation has a result."""
        progress = PanelProgress(["a", "b"], 2, console=None)
        seen: list[Result] = []
        on_result = progress.wrap(seen.append)
        with progress:
            on_result(result("a", "system"))
            assert progress.done == 0
            on_result(result("a", "disks", ok=False, error_kind="connect"))
            on_result(result("b", "system"))
            on_result(result("b", "disks"))
        assert (progress.done, progress.failed) == (2, 1)
        assert len(seen) == 4

    def test_draws_on_a_terminal(self) -> None:
        """With a terminal console the bar shows done, failed and the rate."""
        screen = io.StringIO()
        console = Console(file=screen, force_terminal=True, width=120)
        progress = PanelProgress(["a"], 1, console=console)
        with progress:
            progress.update(result("a", "system", ok=False, error_kind="dns"))
            progress._progress.refresh()  # type: ignore[union-attr]
        drawn = screen.getvalue()
        assert "1/1" in drawn
        assert "1 failed" in drawn
        assert "panels/s" in drawn

    def test_off_without_terminal(self) -> None:
        """Under pytest stdout is no terminal, so no console is made."""
        progress = PanelProgress.for_terminal(["a"], 1, enabled=True)
        assert progress.console is None


class TestGiveUpLog:
    def test_one_line_per_give_up(self, caplog: pytest.LogCaptureFixture) -> None:
        """A failed call logs one warning; unsent and cancelled work logs none."""
        caplog.set_level(logging.WARNING, logger="fleet")
        log_give_up(result("a", "system", ok=False, error_kind="connect"))
        log_give_up(result("a", "disks", ok=True))
        unsent = Result("a", "", "sites", False, 0, 0.0, 0.0, error_kind="connect")
        log_give_up(unsent)
        stopped = result("a", "network", ok=False, error_kind="cancelled")
        log_give_up(stopped)
        assert len(caplog.records) == 1
        assert "panel a: system failed after 1 attempts (connect)" in caplog.text
