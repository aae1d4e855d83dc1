"""The panels and operations every benchmark client works through.

The bare-aiohttp and vendor-style clients read panel URLs and inline keys
straight from the simulator's inventory, because loading it the way fleet
does is part of fleet's set-up, not of theirs.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

import yaml

from fleet.operations.catalogue import CATALOGUE

# The main job of the benchmark: three single-request operations per panel.
OPERATION_NAMES = ("system", "disks", "network")

try:
    YAML_LOADER: Any = yaml.CSafeLoader
    YAML_DUMPER: Any = yaml.CSafeDumper
except AttributeError:  # PyYAML built without libyaml
    YAML_LOADER = yaml.SafeLoader
    YAML_DUMPER = yaml.SafeDumper


@dataclasses.dataclass(frozen=True, slots=True)
class Target:
    """One panel as the non-fleet clients see it."""

    name: str
    url: str
    key: str


@dataclasses.dataclass(frozen=True, slots=True)
class Request:
    """One API call of an operation: route, action and extra form fields."""

    route: str
    action: str
    params: tuple[tuple[str, str], ...]


def job_requests() -> tuple[Request, ...]:
    """Return the calls of the benchmark's operations, in operation order."""
    requests = []
    for name in OPERATION_NAMES:
        operation = CATALOGUE[name]
        params = tuple(operation.params.items())
        requests.append(Request(operation.route, operation.action, params))

    return tuple(requests)


def read_inventory(path: Path) -> dict[str, Any]:
    with path.open(encoding="utf-8") as stream:
        document: dict[str, Any] = yaml.load(stream, Loader=YAML_LOADER)
    return document


def read_targets(path: Path) -> list[Target]:
    """Read name, URL and inline key of every panel in an inventory."""
    panels = read_inventory(path)["panels"]

    return [Target(p["name"], p["url"], p["key"]) for p in panels]


def write_first_panels(document: dict[str, Any], count: int, path: Path) -> Path:
    """Write an inventory of the first ``count`` panels of ``document``."""
    if count > len(document["panels"]):
        raise ValueError(
            f"{count} panels requested but the inventory has "
            f"{len(document['panels'])}; start the simulator with more panels"
        )
    subset = {**document, "panels": document["panels"][:count]}
    path.write_text(
        yaml.dump(subset, Dumper=YAML_DUMPER, sort_keys=False), encoding="utf-8"
    )
    path.chmod(0o600)  # the keys are inline

    return path
