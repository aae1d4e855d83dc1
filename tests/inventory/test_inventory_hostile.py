"""Inventory files built to hang or crash a loader."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from fleet.errors import ConfigError
from fleet.inventory.loader import load_inventory

KEY = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdef"


class TestHostileInventory:
    def test_merge_bomb_loads_quickly(self, tmp_path: Path) -> None:
        """Aliases merged ten at a time over nine levels load in well under a second."""
        lines = ["x-a0: &a0 {k0: v, k1: w}"]
        for level in range(1, 10):
            sources = ", ".join([f"*a{level - 1}"] * 10)
            lines.append(f"x-a{level}: &a{level} {{<<: [{sources}]}}")
        lines += [
            "panels:",
            "  - {name: p1, url: 'http://127.0.0.1:1', key: " + KEY + ", tags: *a9}",
        ]
        path = tmp_path / "bomb.yaml"
        path.write_text("\n".join(lines) + "\n")
        started = time.monotonic()
        inventory = load_inventory(path)
        assert dict(inventory.panels[0].tags) == {"k0": "v", "k1": "w"}
        assert time.monotonic() - started < 5.0

    def test_deep_nesting_is_a_config_error(self, tmp_path: Path) -> None:
        """Thousands of nested lists give a config error, not a RecursionError."""
        path = tmp_path / "deep.yaml"
        path.write_text("panels: " + "[" * 5000 + "]" * 5000 + "\n")
        with pytest.raises(ConfigError, match="nested too deeply"):
            load_inventory(path)

    def test_fifo_key_file_is_rejected(self, tmp_path: Path) -> None:
        """A key_file that is a FIFO is rejected instead of blocking forever."""
        fifo = tmp_path / "key.fifo"
        os.mkfifo(fifo)
        path = tmp_path / "inv.yaml"
        path.write_text(
            f"panels:\n  - name: p\n    url: http://127.0.0.1:1\n    key_file: {fifo}\n"
        )
        with pytest.raises(ConfigError, match="not a regular file"):
            load_inventory(path)
