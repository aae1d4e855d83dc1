"""Write the YAML inventory that fleet loads, with keys inline, in files or in env.

Files holding keys (the inventory itself with inline keys, key files, the env
file) are written with mode 0600, and key files go into a 0700 directory
named after the inventory, beside it.
"""

from __future__ import annotations

import os
import re
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Literal, get_args

import yaml

if TYPE_CHECKING:
    from fleet.simulator.fleet import RunningPanel

KeyMode = Literal["inline", "file", "env"]
KEY_MODES: tuple[KeyMode, ...] = get_args(KeyMode)
ENV_PREFIX = "FLEET_SIM_KEY_"
DEFAULT_TIMEOUTS = {"connect": 5, "read": 10}


def write_inventory(
    panels: Sequence[RunningPanel],
    path: str | os.PathLike[str],
    key_mode: KeyMode = "inline",
) -> dict[str, str]:
    """Write the inventory and return the env variables it expects (env mode only)."""
    if key_mode not in KEY_MODES:
        raise ValueError(
            f"unknown key mode {key_mode!r}; use one of {', '.join(KEY_MODES)}"
        )
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    key_dir = key_directory(target)
    if key_mode == "file":
        key_dir.mkdir(mode=0o700, exist_ok=True)
    environment: dict[str, str] = {}
    entries = [_entry(panel, key_mode, key_dir, environment) for panel in panels]
    document = {
        "defaults": {"timeouts": dict(DEFAULT_TIMEOUTS)},
        "groups": {"healthy": {}, "faulty": {}},
        "panels": entries,
    }
    write_private(target, yaml.safe_dump(document, sort_keys=False))

    return environment


def write_env_file(path: str | os.PathLike[str], environment: dict[str, str]) -> Path:
    """Write ``export NAME='value'`` lines for a shell to source, mode 0600."""
    target = Path(path)
    lines = [
        f"export {name}='{value}'\n" for name, value in sorted(environment.items())
    ]
    write_private(target, "".join(lines))

    return target


def key_directory(inventory: Path) -> Path:
    """Return the directory that contains the key files of an inventory."""
    return inventory.parent / f"{inventory.stem}.keys"


def env_variable(name: str) -> str:
    """Return the name of the environment variable for a panel's key."""
    return ENV_PREFIX + re.sub(r"[^A-Z0-9]", "_", name.upper())


def write_private(path: Path, text: str) -> None:
    """Write text to a file readable only by its owner, replacing any old content."""
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as stream:
        # The mode given to os.open applies only to new files.
        os.fchmod(stream.fileno(), 0o600)
        stream.write(text)


def _entry(
    panel: RunningPanel,
    key_mode: KeyMode,
    key_dir: Path,
    environment: dict[str, str],
) -> dict[str, object]:
    spec = panel.spec
    entry: dict[str, object] = {"name": spec.name, "url": panel.url}
    key = panel.inventory_key
    if key_mode == "inline":
        entry["key"] = key
    elif key_mode == "file":
        key_file = key_dir / f"{spec.name}.key"
        write_private(key_file, key)
        entry["key_file"] = str(key_file.resolve())
    else:
        variable = env_variable(spec.name)
        environment[variable] = key
        entry["key_env"] = variable
    entry["groups"] = ["faulty" if spec.fault else "healthy"]
    entry["tags"] = {"fault": spec.fault or "none", "flavour": spec.flavour}

    return entry
