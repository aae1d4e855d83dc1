"""The audit configuration file: defaults, layering and strict errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from fleet.audit.config import DEFAULT_THRESHOLDS, AuditConfig
from fleet.audit.config_file import load_audit_config
from fleet.audit.model import Severity
from fleet.errors import ConfigError
from fleet.inventory.loader import load_inventory
from fleet.inventory.model import Inventory

KEY = "A" * 32
INVENTORY = f"""\
groups:
  shop: {{}}
  eu: {{}}
panels:
  - name: web-1
    url: http://127.0.0.1:8888
    key: {KEY}
    groups: [shop, eu]
  - name: web-2
    url: http://127.0.0.2:8888
    key: {KEY}
"""


def load_audit_config_text(
    tmp_path: Path, inventory: Inventory, text: str
) -> AuditConfig:
    path = tmp_path / "audit.yaml"
    path.write_text(text, encoding="utf-8")
    return load_audit_config(path, inventory)


@pytest.fixture
def inventory(tmp_path: Path) -> Inventory:
    path = tmp_path / "inventory.yaml"
    path.write_text(INVENTORY, encoding="utf-8")
    return load_inventory(path)


def error_of(tmp_path: Path, inventory: Inventory, text: str) -> str:
    with pytest.raises(ConfigError) as caught:
        load_audit_config_text(tmp_path, inventory, text)
    return str(caught.value)


class TestLayers:
    def test_empty_file_uses_defaults(
        self, tmp_path: Path, inventory: Inventory
    ) -> None:
        """An empty file leaves every panel with the built-in thresholds."""
        config = load_audit_config_text(tmp_path, inventory, "")
        assert config.for_panel("web-1") == DEFAULT_THRESHOLDS

    def test_key_by_key_merge(self, tmp_path: Path, inventory: Inventory) -> None:
        """Defaults, groups in inventory order and the panel override single keys."""
        text = """\
defaults:
  disk: {warning: 70}
groups:
  shop:
    disk: {critical: 80}
    certificates: {warning_days: 40}
  eu:
    certificates: {warning_days: 30}
panels:
  web-1:
    stopped_sites: {severity: critical, ignore: ["old-*"]}
"""
        config = load_audit_config_text(tmp_path, inventory, text)
        web1, web2 = config.for_panel("web-1"), config.for_panel("web-2")
        assert (web1.disk.warning, web1.disk.critical) == (70, 80)
        assert web1.certificates.warning_days == 30
        assert web1.stopped_sites.severity is Severity.CRITICAL
        assert web1.stopped_sites.ignore == ("old-*",)
        assert (web2.disk.warning, web2.disk.critical) == (70, 90)
        assert web2.certificates.warning_days == 21

    def test_minimum_versions(self, tmp_path: Path, inventory: Inventory) -> None:
        """Minimum panel versions are read per flavour as text."""
        text = 'defaults:\n  panel_version: {minimum: {baota: "11.0.0"}}\n'
        config = load_audit_config_text(tmp_path, inventory, text)
        assert dict(config.for_panel("web-2").panel_version.minimum) == {
            "baota": "11.0.0"
        }

    def test_extension_keys_ignored(self, tmp_path: Path, inventory: Inventory) -> None:
        """Top-level x- keys may hold anchors for reuse."""
        text = (
            "x-strict: &strict {warning: 50, critical: 60}\n"
            "defaults:\n  disk: *strict\n"
        )
        config = load_audit_config_text(tmp_path, inventory, text)
        assert config.for_panel("web-1").disk.critical == 60


class TestErrors:
    def test_unknown_key_has_position(
        self, tmp_path: Path, inventory: Inventory
    ) -> None:
        """An unknown key is reported with file, line, column and a suggestion."""
        message = error_of(tmp_path, inventory, "defaults:\n  disk:\n    warnng: 70\n")
        assert "audit.yaml:3:5" in message
        assert "did you mean 'warning'" in message

    def test_unknown_section(self, tmp_path: Path, inventory: Inventory) -> None:
        """An unknown check name is rejected."""
        message = error_of(tmp_path, inventory, "defaults:\n  disks: {}\n")
        assert "audit.yaml:2:3" in message
        assert "'disks'" in message

    def test_wrong_type(self, tmp_path: Path, inventory: Inventory) -> None:
        """A quoted number is rejected with a hint to remove the quotes."""
        message = error_of(tmp_path, inventory, 'defaults:\n  disk: {warning: "70"}\n')
        assert "audit.yaml:2:19" in message
        assert "remove the quotes" in message

    def test_out_of_range(self, tmp_path: Path, inventory: Inventory) -> None:
        """A percentage above 100 is rejected."""
        message = error_of(
            tmp_path, inventory, "defaults:\n  memory: {critical: 120}\n"
        )
        assert "at most 100" in message

    def test_unknown_group(self, tmp_path: Path, inventory: Inventory) -> None:
        """A group the inventory does not define is an error, not ignored."""
        message = error_of(tmp_path, inventory, "groups:\n  shp: {}\n")
        assert "audit.yaml:2:3" in message
        assert "group 'shp' is not in the inventory" in message

    def test_unknown_panel(self, tmp_path: Path, inventory: Inventory) -> None:
        """A panel the inventory does not list is an error."""
        message = error_of(tmp_path, inventory, "panels:\n  web-9: {}\n")
        assert "panel 'web-9' is not in the inventory" in message

    def test_contradicting_levels(self, tmp_path: Path, inventory: Inventory) -> None:
        """A warning level above the merged critical level names both places."""
        text = (
            "defaults:\n  disk: {critical: 85}\n"
            "panels:\n  web-2:\n    disk: {warning: 88}\n"
        )
        message = error_of(tmp_path, inventory, text)
        assert message.startswith(f"{tmp_path / 'audit.yaml'}:5:")
        assert "panel 'web-2'" in message
        assert "disk.warning (88.0" in message
        assert "audit.yaml:2:" in message

    def test_version_must_be_text(self, tmp_path: Path, inventory: Inventory) -> None:
        """An unquoted version that YAML reads as a number must be quoted."""
        text = "defaults:\n  panel_version: {minimum: {baota: 9.0}}\n"
        assert "put it in quotes" in error_of(tmp_path, inventory, text)

    def test_yaml_syntax(self, tmp_path: Path, inventory: Inventory) -> None:
        """Broken YAML is reported with its position."""
        message = error_of(tmp_path, inventory, "defaults:\n  disk: {warning: 1\n")
        assert "invalid YAML" in message
        assert "audit.yaml:3" in message

    def test_missing_file(self, tmp_path: Path, inventory: Inventory) -> None:
        """A missing file is a configuration error naming the path."""
        with pytest.raises(ConfigError, match="cannot read the audit configuration"):
            load_audit_config(tmp_path / "absent.yaml", inventory)
