"""Simulated BaoTa and aaPanel panels on loopback, for tests, demos and benchmarks.

One process serves thousands of panels, each on its own loopback port. The
panels reproduce the real signature check, lockout, whitelist, session
cookies, error pages and response shapes. Fault profiles add failures such as
a wrong key, a black hole or a truncated response::

    specs = build_specs(50, faults={"wrong_key": 1, "black_hole": 1})
    async with SimulatedFleet(specs) as sim:
        sim.write_inventory("inventory.yaml")
        ...
        sim.stats("sim-0001").requests
"""

from fleet.simulator.clock import Clock, ManualClock
from fleet.simulator.fleet import (
    RunningPanel,
    SimulatedFleet,
    build_specs,
    derive_key,
    inventory_key,
)
from fleet.simulator.inventory import KEY_MODES, KeyMode
from fleet.simulator.spec import (
    DEFAULT_WHITELIST,
    FAULTS,
    FLAVOURS,
    FaultName,
    Flavour,
    PanelSpec,
)
from fleet.simulator.stats import PanelStats

__all__ = [
    "DEFAULT_WHITELIST",
    "FAULTS",
    "FLAVOURS",
    "KEY_MODES",
    "Clock",
    "FaultName",
    "Flavour",
    "KeyMode",
    "ManualClock",
    "PanelSpec",
    "PanelStats",
    "RunningPanel",
    "SimulatedFleet",
    "build_specs",
    "derive_key",
    "inventory_key",
]
