"""The mutable runtime of one simulated panel: counters, lockout, sessions, state."""

from __future__ import annotations

import hashlib

from fleet.simulator.clock import Clock
from fleet.simulator.flavours import PROFILES, FlavourProfile
from fleet.simulator.generate import build_panel_data
from fleet.simulator.lockout import LIFETIME, THRESHOLD, LockoutTable
from fleet.simulator.records import PanelData, Site
from fleet.simulator.sessions import SessionStore
from fleet.simulator.spec import PanelSpec
from fleet.simulator.stats import PanelCounters, PanelStats


def md5_hex(text: str) -> str:
    """Return the lowercase md5 hex digest of UTF-8 text."""
    return hashlib.md5(text.encode("utf-8")).hexdigest()


class PanelRuntime:
    """One panel while it runs; all panels share one event loop, so no locks.

    The generated data is built on first use, which keeps idle panels small.
    Site and service changes made by write actions are kept beside it, and
    each of them bumps ``state_version`` so that cached responses expire.
    """

    __slots__ = (
        "_data",
        "clock",
        "counters",
        "lockout",
        "port",
        "profile",
        "sessions",
        "site_running",
        "spec",
        "state_version",
        "stopped_services",
        "token",
    )

    def __init__(self, spec: PanelSpec, clock: Clock) -> None:
        self.spec = spec
        self.profile: FlavourProfile = PROFILES[spec.flavour]
        # The panel stores md5(key) and signs against that, never the key.
        self.token = md5_hex(spec.key)
        self.clock = clock
        self.counters = PanelCounters()
        self.lockout = _build_lockout(spec, clock)
        self.sessions = SessionStore(
            _session_secret(spec), clock, spec.session_lifetime, spec.cookie_name
        )
        self.port = spec.port
        self._data: PanelData | None = None
        self.site_running: dict[int, bool] = {}
        self.stopped_services: set[str] = set()
        self.state_version = 0

    @property
    def name(self) -> str:
        return self.spec.name

    @property
    def data(self) -> PanelData:
        """The panel's generated data, built on first access."""
        if self._data is None:
            self._data = build_panel_data(self.spec, self.profile, self.clock())
        return self._data

    @property
    def api_enabled(self) -> bool:
        return self.spec.fault != "api_disabled"

    def is_running(self, site: Site) -> bool:
        """Return whether a site is running, after SiteStop and SiteStart calls."""
        return self.site_running.get(site.id, site.running)

    def set_running(self, site_id: int, running: bool) -> None:
        """Record a SiteStop or SiteStart."""
        self.site_running[site_id] = running
        self.state_version += 1

    def set_service_running(self, service: str, running: bool) -> None:
        """Record a ServiceAdmin start or stop."""
        if running:
            self.stopped_services.discard(service)
        else:
            self.stopped_services.add(service)
        self.state_version += 1

    def is_service_running(self, service: str) -> bool:
        return service not in self.stopped_services

    def stats(self) -> PanelStats:
        """Return a snapshot of the counters."""
        return self.counters.snapshot(self.spec.name, len(self.sessions))


def _build_lockout(spec: PanelSpec, clock: Clock) -> LockoutTable:
    if spec.fault != "locked_out":
        return LockoutTable(clock)
    # Every client starts at the threshold and is let in an hour later.
    return LockoutTable(clock, preset=THRESHOLD, preset_until=clock() + LIFETIME)


def _session_secret(spec: PanelSpec) -> bytes:
    # Real panels derive this from the host's uname and boot time; a value
    # from the name and seed keeps cookie names stable between runs.
    return hashlib.sha256(f"session:{spec.seed}:{spec.name}".encode()).digest()
