"""The YAML inventory the simulator writes for fleet."""

from __future__ import annotations

import stat
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from fleet.simulator import SimulatedFleet, build_specs


def mode(path: Path) -> int:
    """Return the permission bits of a file."""
    return stat.S_IMODE(path.stat().st_mode)


def load(path: Path) -> dict[str, Any]:
    """Parse a YAML file into a mapping."""
    document = yaml.safe_load(path.read_text())
    assert isinstance(document, dict)
    return document


def write_public(path: Path) -> None:
    """Create a world-readable file."""
    path.write_text("old")
    path.chmod(0o644)


def text(path: Path) -> str:
    """Return a file's text."""
    return path.read_text()


@pytest.fixture
async def sim() -> AsyncIterator[SimulatedFleet]:
    """A started three-panel fleet whose last panel has the wrong_key fault."""
    fleet = SimulatedFleet(build_specs(3, faults={"wrong_key": 1}))
    await fleet.start()
    try:
        yield fleet
    finally:
        await fleet.close()


class TestWriteInventory:
    async def test_inline_keys(self, sim: SimulatedFleet, tmp_path: Path) -> None:
        """Inline mode puts each panel's inventory key, URL, group and tags in YAML."""
        path = tmp_path / "inventory.yaml"

        environment = sim.write_inventory(path)

        document = load(path)
        assert environment == {}
        assert document["defaults"] == {"timeouts": {"connect": 5, "read": 10}}
        entries = document["panels"]
        assert [entry["name"] for entry in entries] == [p.name for p in sim.panels]
        assert entries[0]["url"] == sim.panels[0].url
        assert entries[0]["key"] == sim.panels[0].spec.key
        assert entries[0]["groups"] == ["healthy"]
        assert entries[0]["tags"] == {"fault": "none", "flavour": "baota11"}
        assert entries[2]["groups"] == ["faulty"]
        assert entries[2]["tags"]["fault"] == "wrong_key"
        assert mode(path) == 0o600

    async def test_wrong_key_panel_gets_other_key(
        self, sim: SimulatedFleet, tmp_path: Path
    ) -> None:
        """The wrong_key panel's inventory entry has a well-formed but wrong key."""
        path = tmp_path / "inventory.yaml"
        sim.write_inventory(path)

        entry = load(path)["panels"][2]

        assert entry["key"] != sim.panels[2].spec.key
        assert len(entry["key"]) == 32
        assert entry["key"].isalnum()

    async def test_key_files(self, sim: SimulatedFleet, tmp_path: Path) -> None:
        """File mode writes 0600 key files in a 0700 directory beside the inventory."""
        path = tmp_path / "inventory.yaml"

        sim.write_inventory(path, key_mode="file")

        entries = load(path)["panels"]
        key_dir = tmp_path / "inventory.keys"
        assert mode(key_dir) == 0o700
        for entry, panel in zip(entries, sim.panels, strict=True):
            assert "key" not in entry
            key_file = Path(entry["key_file"])
            assert key_file.parent == key_dir
            assert text(key_file) == panel.inventory_key
            assert mode(key_file) == 0o600

    async def test_env_keys(self, sim: SimulatedFleet, tmp_path: Path) -> None:
        """Env mode names a variable per panel and returns the values to set."""
        path = tmp_path / "inventory.yaml"

        environment = sim.write_inventory(path, key_mode="env")

        entries = load(path)["panels"]
        assert entries[0]["key_env"] == "FLEET_SIM_KEY_SIM_0001"
        assert environment["FLEET_SIM_KEY_SIM_0001"] == sim.panels[0].spec.key
        assert len(environment) == 3
        assert all(panel.spec.key not in text(path) for panel in sim.panels)

    async def test_unknown_mode_rejected(
        self, sim: SimulatedFleet, tmp_path: Path
    ) -> None:
        """An unknown key mode raises ValueError naming the valid ones."""
        with pytest.raises(ValueError, match="inline, file, env"):
            sim.write_inventory(tmp_path / "x.yaml", key_mode="vault")  # type: ignore[arg-type]

    async def test_rewrite_keeps_private_mode(
        self, sim: SimulatedFleet, tmp_path: Path
    ) -> None:
        """Writing over a world-readable file leaves it at mode 0600."""
        path = tmp_path / "inventory.yaml"
        write_public(path)

        sim.write_inventory(path)

        assert mode(path) == 0o600
