"""Start and stop a fleet of simulated panels, and describe it for fleet."""

from __future__ import annotations

import dataclasses
import logging
import os
import random
import time
from collections.abc import Mapping, Sequence
from types import TracebackType

from fleet.simulator.cache import DEFAULT_SIZE, ResponseCache
from fleet.simulator.clock import Clock
from fleet.simulator.inventory import KeyMode, write_inventory
from fleet.simulator.panel import PanelRuntime
from fleet.simulator.server import PanelServers
from fleet.simulator.spec import FAULTS, FaultName, Flavour, PanelSpec
from fleet.simulator.stats import PanelStats

logger = logging.getLogger(__name__)

_KEY_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"


@dataclasses.dataclass(frozen=True, slots=True)
class RunningPanel:
    """A started panel: its spec, its base URL and its live runtime."""

    spec: PanelSpec
    url: str
    runtime: PanelRuntime = dataclasses.field(repr=False, compare=False)

    @property
    def name(self) -> str:
        return self.spec.name

    @property
    def port(self) -> int:
        return self.runtime.port

    @property
    def stats(self) -> PanelStats:
        """A snapshot of the panel's counters."""
        return self.runtime.stats()

    @property
    def inventory_key(self) -> str:
        """The key written to the inventory, which is wrong for ``wrong_key`` panels."""
        return inventory_key(self.spec)


def derive_key(seed: int, name: str, purpose: str = "key") -> str:
    """Return a deterministic 32-character key for a panel name and seed."""
    rng = random.Random(f"{purpose}:{seed}:{name}")
    return "".join(rng.choices(_KEY_ALPHABET, k=32))


def inventory_key(spec: PanelSpec) -> str:
    """Return the key an inventory should carry for the panel."""
    if spec.fault != "wrong_key":
        return spec.key
    other = derive_key(spec.seed, spec.name, purpose="wrong-key")
    # A collision is astronomically unlikely, but the fault must never vanish.
    return other if other != spec.key else other[::-1]


def build_specs(
    count: int,
    *,
    faults: Mapping[str, int] | None = None,
    seed: int = 1,
    host: str = "127.0.0.1",
    flavours: Sequence[Flavour] = ("baota11",),
    latency: float = 0.0,
    site_count: int = 3,
) -> list[PanelSpec]:
    """Return specs for panels sim-0001 to sim-N, the faulty ones last.

    ``faults`` maps fault profile names to how many panels get each, in the
    mapping's order; ``flavours`` is cycled over the panels.
    """
    fault_list = _expand_faults(count, faults or {})
    if not flavours:
        raise ValueError("'flavours' must name at least one flavour")
    width = max(4, len(str(count)))
    healthy = count - len(fault_list)
    specs = []
    for index in range(count):
        name = f"sim-{index + 1:0{width}d}"
        specs.append(
            PanelSpec(
                name=name,
                key=derive_key(seed, name),
                host=host,
                flavour=flavours[index % len(flavours)],
                fault=fault_list[index - healthy] if index >= healthy else None,
                latency=latency,
                site_count=site_count,
                seed=seed,
            )
        )

    return specs


def _expand_faults(count: int, faults: Mapping[str, int]) -> list[FaultName]:
    expanded: list[FaultName] = []
    for fault, number in faults.items():
        if fault not in FAULTS:
            raise ValueError(f"unknown fault {fault!r}; use one of {', '.join(FAULTS)}")
        if number < 0:
            raise ValueError(f"fault {fault!r}: count must be >= 0, got {number}")
        expanded.extend([fault] * number)
    if len(expanded) > count:
        raise ValueError(
            f"{len(expanded)} faulty panels requested but 'count' is {count}; "
            "raise 'count' or ask for fewer faults"
        )

    return expanded


class SimulatedFleet:
    """Many simulated panels served from this process on loopback addresses.

    Use as ``async with SimulatedFleet(specs) as sim:``; ``clock`` drives
    lockout expiry, session lifetimes, the strict clock window, /v2
    timestamps and the dates in generated data.
    """

    def __init__(
        self,
        specs: Sequence[PanelSpec],
        *,
        clock: Clock = time.time,
        cache_size: int = DEFAULT_SIZE,
        shutdown_timeout: float = 0.25,
    ) -> None:
        _check_unique(specs)
        self._runtimes = [PanelRuntime(spec, clock) for spec in specs]
        self._servers = PanelServers(
            self._runtimes, ResponseCache(cache_size), shutdown_timeout
        )
        self._panels: list[RunningPanel] = []
        self._by_name: dict[str, RunningPanel] = {}

    async def __aenter__(self) -> SimulatedFleet:
        await self.start()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        await self.close()

    @property
    def panels(self) -> list[RunningPanel]:
        """The running panels in spec order; empty before start."""
        return list(self._panels)

    async def start(self) -> None:
        """Bind every panel's address and start serving."""
        started = time.monotonic()
        await self._servers.start()
        self._panels = [
            RunningPanel(runtime.spec, _base_url(runtime), runtime)
            for runtime in self._runtimes
        ]
        self._by_name = {panel.name: panel for panel in self._panels}
        logger.info(
            "started %d simulated panels in %.2f s",
            len(self._panels),
            time.monotonic() - started,
        )

    async def close(self) -> None:
        """Stop serving and close every connection."""
        await self._servers.close()
        logger.info("stopped %d simulated panels", len(self._panels))

    def panel(self, name: str) -> RunningPanel:
        """Return the running panel with this name, or raise KeyError."""
        try:
            return self._by_name[name]
        except KeyError:
            raise KeyError(f"no simulated panel named {name!r}") from None

    def stats(self, name: str) -> PanelStats:
        """Return a snapshot of one panel's counters."""
        return self.panel(name).stats

    def write_inventory(
        self, path: str | os.PathLike[str], key_mode: KeyMode = "inline"
    ) -> dict[str, str]:
        """Write a YAML inventory of the running panels.

        Returns the environment variables to set when ``key_mode`` is "env",
        otherwise an empty dict.
        """
        if not self._panels:
            raise RuntimeError("start the fleet before writing its inventory")
        return write_inventory(self._panels, path, key_mode)


def _base_url(runtime: PanelRuntime) -> str:
    host = runtime.spec.host
    if runtime.spec.dual_stack:
        host = "localhost"
    elif ":" in host:
        host = f"[{host}]"
    return f"http://{host}:{runtime.port}"


def _check_unique(specs: Sequence[PanelSpec]) -> None:
    names: set[str] = set()
    addresses: set[tuple[str, int]] = set()
    for spec in specs:
        if spec.name in names:
            raise ValueError(
                f"panel name {spec.name!r} is used twice; names must be unique"
            )
        names.add(spec.name)
        address = (spec.host, spec.port)
        if spec.port and address in addresses:
            raise ValueError(
                f"panel {spec.name}: {spec.host} port {spec.port} is used twice; "
                "give each panel its own port or use port 0"
            )
        addresses.add(address)
