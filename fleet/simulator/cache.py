"""A bounded cache of encoded read responses, shared by all panels of a fleet.

Keys carry the panel's ``state_version``, so a write makes that panel's old
entries unreachable; they age out of the LRU order instead of being searched.
"""

from __future__ import annotations

import collections
from collections.abc import Hashable

DEFAULT_SIZE = 4096


class ResponseCache:
    """Least-recently-used map from request keys to response bytes."""

    __slots__ = ("_entries", "_size", "hits", "misses")

    def __init__(self, size: int = DEFAULT_SIZE) -> None:
        if size < 0:
            raise ValueError(f"'size' must be >= 0, got {size}")
        self._size = size
        self._entries: collections.OrderedDict[Hashable, tuple[int, bytes]] = (
            collections.OrderedDict()
        )
        self.hits = 0
        self.misses = 0

    def __len__(self) -> int:
        return len(self._entries)

    def get(self, key: Hashable) -> tuple[int, bytes] | None:
        """Return the cached ``(status, body)`` pair for a key, or None."""
        entry = self._entries.get(key)
        if entry is None:
            self.misses += 1
            return None
        self._entries.move_to_end(key)
        self.hits += 1

        return entry

    def put(self, key: Hashable, entry: tuple[int, bytes]) -> None:
        """Store an entry, evicting the least recently used one when full."""
        if self._size == 0:
            return
        self._entries[key] = entry
        self._entries.move_to_end(key)
        if len(self._entries) > self._size:
            self._entries.popitem(last=False)
