"""Counters each simulated panel keeps, and the frozen snapshot tests read."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from types import MappingProxyType


@dataclasses.dataclass(frozen=True, slots=True)
class PanelStats:
    """A snapshot of one panel's counters.

    ``auth_failures`` counts whitelist and token failures, which are the checks
    that raise the lockout counter. ``locked_out`` counts requests rejected
    because the client IP was locked. ``sessions_created`` counts sessions
    stored for requests without a valid known session cookie. ``actions``
    counts handler runs by action name. ``requests_by_address`` counts
    requests by the local address they arrived on, so a dual-stack panel
    shows which IP version each request used. ``body_bytes_sent`` counts the
    bytes of ``huge_body`` responses written before the client closed.
    """

    name: str
    requests: int
    sessions_created: int
    sessions_active: int
    cookies_rotated: int
    auth_failures: int
    locked_out: int
    clock_rejections: int
    actions: Mapping[str, int]
    requests_by_address: Mapping[str, int]
    body_bytes_sent: int


@dataclasses.dataclass(slots=True)
class PanelCounters:
    """The live, mutable counters behind PanelStats."""

    requests: int = 0
    sessions_created: int = 0
    cookies_rotated: int = 0
    auth_failures: int = 0
    locked_out: int = 0
    clock_rejections: int = 0
    actions: dict[str, int] = dataclasses.field(default_factory=dict)
    requests_by_address: dict[str, int] = dataclasses.field(default_factory=dict)
    body_bytes_sent: int = 0

    def count_request(self, local_address: str) -> None:
        """Add one request that arrived on ``local_address``."""
        self.requests += 1
        by_address = self.requests_by_address
        by_address[local_address] = by_address.get(local_address, 0) + 1

    def count_action(self, action: str) -> None:
        """Add one run of a handler."""
        self.actions[action] = self.actions.get(action, 0) + 1

    def snapshot(self, name: str, sessions_active: int) -> PanelStats:
        """Return a frozen copy of the counters."""
        return PanelStats(
            name=name,
            requests=self.requests,
            sessions_created=self.sessions_created,
            sessions_active=sessions_active,
            cookies_rotated=self.cookies_rotated,
            auth_failures=self.auth_failures,
            locked_out=self.locked_out,
            clock_rejections=self.clock_rejections,
            actions=MappingProxyType(dict(self.actions)),
            requests_by_address=MappingProxyType(dict(self.requests_by_address)),
            body_bytes_sent=self.body_bytes_sent,
        )
