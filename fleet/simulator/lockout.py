"""Per-client-IP failure counter that locks the API after 20 failed checks.

Each failure adds one and resets the entry's lifetime to an hour. An IP whose
count has reached 20 is rejected before the whitelist and token checks, and
rejected calls do not count. On success the panel "resets" the counter with a
quirk: an absent or zero count becomes 1, and any other count is deleted.
"""

from __future__ import annotations

import dataclasses

from fleet.simulator.clock import Clock

THRESHOLD = 20
LIFETIME = 3600.0


@dataclasses.dataclass(slots=True)
class _Entry:
    count: int
    expires_at: float


class LockoutTable:
    """Failure counts by client IP, with expiry read from an injectable clock.

    ``preset`` gives every IP not yet seen that count until ``preset_until``,
    which is how a panel starts out locked.
    """

    __slots__ = ("_clock", "_entries", "_preset", "_preset_until")

    def __init__(self, clock: Clock, preset: int = 0, preset_until: float = 0.0):
        self._clock = clock
        self._entries: dict[str, _Entry] = {}
        self._preset = preset
        self._preset_until = preset_until

    def failures(self, ip: str) -> int:
        """Return the current failure count of an IP."""
        now = self._clock()
        entry = self._entries.get(ip)
        if entry is None:
            return self._preset if now < self._preset_until else 0
        if now >= entry.expires_at:
            del self._entries[ip]
            return 0

        return entry.count

    def is_locked(self, ip: str) -> bool:
        """Return whether the IP has reached the failure threshold."""
        return self.failures(ip) >= THRESHOLD

    def record_failure(self, ip: str) -> None:
        """Add one failure and restart the hour."""
        count = self.failures(ip) + 1
        self._entries[ip] = _Entry(count, self._clock() + LIFETIME)

    def record_success(self, ip: str) -> None:
        """Apply the panel's reset rule after a successful check."""
        if self.failures(ip) == 0:
            self._entries[ip] = _Entry(1, self._clock() + LIFETIME)
        else:
            self._entries.pop(ip, None)
