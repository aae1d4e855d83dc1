"""Clocks the simulator reads: wall time by default, a manual one for tests."""

from __future__ import annotations

from collections.abc import Callable

# Seconds since the epoch, like ``time.time``.
Clock = Callable[[], float]


class ManualClock:
    """A clock that moves only on ``advance``, so tests can jump past lifetimes."""

    __slots__ = ("_now",)

    def __init__(self, start: float = 1_779_245_000.0) -> None:
        self._now = start

    def __call__(self) -> float:
        return self._now

    def advance(self, seconds: float) -> None:
        """Move the clock forward by ``seconds``."""
        if seconds < 0:
            raise ValueError(f"'seconds' must be >= 0, got {seconds}")
        self._now += seconds
