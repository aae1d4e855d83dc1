"""The panel inventory: loading the YAML file and selecting panels from it."""

from fleet.inventory.loader import load_inventory
from fleet.inventory.model import (
    Inventory,
    Limits,
    Panel,
    Secret,
    Timeouts,
    TLSSettings,
)
from fleet.inventory.selection import select_panels

__all__ = [
    "Inventory",
    "Limits",
    "Panel",
    "Secret",
    "TLSSettings",
    "Timeouts",
    "load_inventory",
    "select_panels",
]
