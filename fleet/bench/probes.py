"""Readings a benchmark process takes of itself: RSS, CPU time, open descriptors."""

from __future__ import annotations

import asyncio
import os
import resource
from collections.abc import Awaitable
from typing import TypeVar

FD_SAMPLE_INTERVAL_S = 0.02
T = TypeVar("T")


def status_kb(field: str) -> int:
    """Return a size field of /proc/self/status in KiB, or 0 where it is missing."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith(f"{field}:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def rss_kb() -> int:
    """Return the current resident set size, in KiB."""
    return status_kb("VmRSS")


def peak_rss_kb() -> int:
    """Return the peak resident set size of this program, in KiB.

    ``ru_maxrss`` also counts the memory of the parent at ``fork``, because
    Linux carries the old address space's peak over ``exec``. ``VmHWM``
    belongs to the new address space alone, so it is used where it exists.
    """
    own_peak = status_kb("VmHWM")
    return own_peak or resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def ru_maxrss_kb() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def cpu_seconds() -> float:
    """Return the user plus system CPU time of this process so far."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def open_descriptors() -> int:
    return len(os.listdir("/proc/self/fd"))


class DescriptorWatch:
    """Samples the number of open descriptors while a coroutine runs.

    A sample every 20 ms can miss a shorter peak, so ``peak`` is a lower bound.
    """

    def __init__(self) -> None:
        self.peak = open_descriptors()

    async def watch(self, job: Awaitable[T]) -> T:
        sampler = asyncio.create_task(self.sample())
        try:
            return await job
        finally:
            sampler.cancel()
            self.peak = max(self.peak, open_descriptors())

    async def sample(self) -> None:
        while True:
            self.peak = max(self.peak, open_descriptors())
            await asyncio.sleep(FD_SAMPLE_INTERVAL_S)
