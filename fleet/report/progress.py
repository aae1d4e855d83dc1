"""A progress bar over panels for runs on a terminal, and one log line per give-up.

The bar goes to stderr and appears only when both stdout and stderr are
terminals and ``--quiet`` is off, so cron mail, CI logs and pipes never get
its control sequences. While it is shown, log lines are printed above it.
"""

from __future__ import annotations

import logging
import sys
import time
from collections import Counter
from collections.abc import Callable, Sequence
from types import TracebackType
from typing import Any

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)

from fleet.errors import ErrorKind
from fleet.report.model import Result

log = logging.getLogger(__name__)

# Results that were never sent or were cut off are not give-ups of a call.
_NOT_GIVE_UPS = {ErrorKind.CANCELLED.value, ErrorKind.TIMEOUT_DEADLINE.value}


def log_give_up(result: Result) -> None:
    """Log one line for an operation that failed after it was sent."""
    if result.ok or result.attempts == 0 or result.error_kind in _NOT_GIVE_UPS:
        return
    log.warning(
        "panel %s: %s failed after %d attempts (%s): %s",
        result.panel,
        result.operation,
        result.attempts,
        result.error_kind,
        result.error_message,
    )


class PanelProgress:
    """Counts panels whose every operation has a result, and how many failed."""

    def __init__(
        self, panels: Sequence[str], operations: int, console: Console | None
    ) -> None:
        self.total = len(panels)
        self.operations = operations
        self.console = console
        self.done = 0
        self.failed = 0
        self._results: Counter[str] = Counter()
        self._failed_panels: set[str] = set()
        self._progress: Progress | None = None
        self._task: TaskID | None = None
        self._started = time.monotonic()
        self._swapped: list[tuple[logging.StreamHandler[Any], Any]] = []

    @classmethod
    def for_terminal(
        cls, panels: Sequence[str], operations: int, enabled: bool
    ) -> PanelProgress:
        """Return a progress that draws only on a terminal and when ``enabled``."""
        on_terminal = sys.stdout.isatty() and sys.stderr.isatty()
        console = Console(stderr=True) if enabled and on_terminal else None
        return cls(panels, operations, console)

    def wrap(self, callback: Callable[[Result], None]) -> Callable[[Result], None]:
        """Return ``callback`` extended by counting and give-up logging."""

        def on_result(result: Result) -> None:
            callback(result)
            log_give_up(result)
            self.update(result)

        return on_result

    def update(self, result: Result) -> None:
        self._results[result.panel] += 1
        if not result.ok:
            self._failed_panels.add(result.panel)
        if self._results[result.panel] != self.operations:
            return
        self.done += 1
        self.failed += result.panel in self._failed_panels
        if self._progress is not None and self._task is not None:
            elapsed = max(time.monotonic() - self._started, 1e-6)
            self._progress.update(
                self._task,
                completed=self.done,
                failed=self.failed,
                rate=f"{self.done / elapsed:.1f} panels/s",
            )

    def __enter__(self) -> PanelProgress:
        self._started = time.monotonic()
        if self.console is None:
            return self
        self._progress = Progress(
            TextColumn("panels"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("[red]{task.fields[failed]} failed[/]"),
            TextColumn("{task.fields[rate]}"),
            TextColumn("ETA"),
            TimeRemainingColumn(),
            TimeElapsedColumn(),
            console=self.console,
            transient=True,
            redirect_stderr=True,
        )
        self._task = self._progress.add_task(
            "panels", total=self.total, completed=self.done, failed=0, rate=""
        )
        original_stderr = sys.stderr
        self._progress.start()
        self._route_logs_through_progress(original_stderr)
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        if self._progress is None:
            return
        for handler, stream in self._swapped:
            handler.setStream(stream)
        self._swapped.clear()
        self._progress.stop()
        self._progress = None

    def _route_logs_through_progress(self, original_stderr: Any) -> None:
        """Send fleet's stderr log lines through rich, which prints them above the bar.

        Rich replaced ``sys.stderr`` with a proxy when the bar started, but
        the log handler still writes to the stream it was created with.
        """
        for handler in logging.getLogger("fleet").handlers:
            if isinstance(handler, logging.StreamHandler) and (
                handler.stream is original_stderr
            ):
                self._swapped.append((handler, handler.setStream(sys.stderr)))
