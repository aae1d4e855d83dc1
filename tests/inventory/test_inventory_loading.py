"""Tests of loading valid inventories: merging, anchors, URLs and key sources."""

from __future__ import annotations

from pathlib import Path
from types import MappingProxyType

import pytest

from fleet.inventory import Limits, Secret, Timeouts, TLSSettings, load_inventory

from .support import ENV_KEY, FILE_KEY, INLINE_KEY, load, write_inventory

FINGERPRINT = ":".join(["AB", "cd"] * 16)


class TestInheritance:
    def test_defaults_groups_panel_order(self, tmp_path: Path) -> None:
        """Settings merge per key: defaults, then groups in list order, then panel."""
        inventory = load(
            tmp_path,
            f"""
            defaults:
              timeouts: {{connect: 5, read: 30}}
              limits: {{concurrency: 4, rate: 2.5}}
              tags: {{env: prod, owner: ops}}
              key: {INLINE_KEY}
            groups:
              shop:
                tags: {{tier: gold, owner: shop-team}}
                timeouts: {{read: 60}}
              eu:
                tags: {{tier: silver}}
                address_family: ipv4
            panels:
              - name: web-1
                url: https://203.0.113.10:8888
                groups: [shop, eu]
                tags: {{role: shop}}
                limits: {{retries: 0}}
            """,
        )
        panel = inventory.panels[0]

        assert panel.timeouts == Timeouts(connect=5.0, read=60.0)
        assert panel.limits == Limits(
            concurrency=4, rate=2.5, retries=0, max_response_bytes=64 * 1024 * 1024
        )
        assert dict(panel.tags) == {
            "env": "prod",
            "owner": "shop-team",
            "tier": "silver",
            "role": "shop",
        }
        assert panel.address_family == "ipv4"
        assert panel.groups == ("shop", "eu")
        assert panel.key == Secret(INLINE_KEY)

    def test_later_key_source_replaces_earlier(self, tmp_path: Path) -> None:
        """A panel's key_env replaces the key_file its defaults set."""
        (tmp_path / "shared.key").write_text(FILE_KEY + "\n")
        inventory = load(
            tmp_path,
            """
            defaults:
              key_file: shared.key
            panels:
              - name: web-1
                url: https://203.0.113.10:8888
              - name: web-2
                url: https://203.0.113.11:8888
                key_env: BT_WEB1_KEY
            """,
        )

        assert inventory.panels[0].key.reveal() == FILE_KEY
        assert inventory.panels[1].key.reveal() == ENV_KEY

    def test_group_provides_key_file(self, tmp_path: Path) -> None:
        """A group can hold the one key file its panels share."""
        (tmp_path / "shop.key").write_text(FILE_KEY + "\n")
        inventory = load(
            tmp_path,
            """
            groups:
              shop: {key_file: shop.key}
            panels:
              - {name: web-1, url: "https://203.0.113.10:8888", groups: [shop]}
            """,
        )

        assert inventory.panels[0].key.reveal() == FILE_KEY

    def test_unset_fields_use_model_defaults(self, tmp_path: Path) -> None:
        """A panel with only name, url and key gets the model's default settings."""
        inventory = load(
            tmp_path,
            f"""
            panels:
              - name: web-1
                url: https://203.0.113.10:8888
                key: {INLINE_KEY}
            """,
        )
        panel = inventory.panels[0]

        assert panel.timeouts == Timeouts()
        assert panel.tls == TLSSettings()
        assert panel.limits == Limits()
        assert panel.address_family == "auto"
        assert dict(panel.tags) == {}
        assert panel.groups == ()

    def test_inventory_records_groups_and_path(self, tmp_path: Path) -> None:
        """The inventory lists defined groups in file order and its own path."""
        inventory = load(
            tmp_path,
            f"""
            groups:
              zeta:
              alpha: {{}}
            panels:
              - {{name: web-1, url: "https://203.0.113.10:8888", key: {INLINE_KEY}}}
            """,
        )

        assert inventory.groups == ("zeta", "alpha")
        assert inventory.path == str(tmp_path / "inventory.yaml")
        assert inventory.warnings == ()

    def test_source_names_file_and_line(self, tmp_path: Path) -> None:
        """Panel.source is FILE:LINE of the panel's entry."""
        inventory = load(
            tmp_path,
            f"""
            panels:
              - name: web-1
                url: https://203.0.113.10:8888
                key: {INLINE_KEY}
              - name: web-2
                url: https://203.0.113.11:8888
                key: {INLINE_KEY}
            """,
        )

        assert inventory.panels[1].source == f"{tmp_path / 'inventory.yaml'}:5"

    def test_numbers_and_exponent_floats(self, tmp_path: Path) -> None:
        """Integers, floats and YAML 1.2 exponents such as 1e3 are accepted."""
        inventory = load(
            tmp_path,
            f"""
            panels:
              - name: web-1
                url: https://203.0.113.10:8888
                key: {INLINE_KEY}
                timeouts: {{connect: 2.5, read: 1e3}}
                limits: {{max_response_bytes: 1_048_576}}
            """,
        )
        panel = inventory.panels[0]

        assert panel.timeouts == Timeouts(connect=2.5, read=1000.0)
        assert panel.limits.max_response_bytes == 1_048_576


class TestAnchors:
    TEXT = f"""
        x-base: &base
          tags: {{env: prod}}
          timeouts: {{read: 45}}
          key: {INLINE_KEY}
        x-eu: &eu
          tags: {{region: eu}}
          timeouts: {{read: 90, connect: 3}}
        panels:
          - <<: *base
            name: web-1
            url: https://203.0.113.10:8888
          - <<: [*eu, *base]
            name: web-2
            url: https://203.0.113.11:8888
            timeouts: {{connect: 7}}
        """

    def test_merge_keys_apply(self, tmp_path: Path) -> None:
        """A merge key copies the anchored mapping into the panel."""
        inventory = load(tmp_path, self.TEXT)
        panel = inventory.panels[0]

        assert dict(panel.tags) == {"env": "prod"}
        assert panel.timeouts.read == 45.0
        assert panel.key.reveal() == INLINE_KEY

    def test_merge_key_precedence(self, tmp_path: Path) -> None:
        """Own keys beat merged ones, and an earlier merge source beats a later one."""
        inventory = load(tmp_path, self.TEXT)
        panel = inventory.panels[1]

        assert dict(panel.tags) == {"region": "eu"}
        assert panel.key.reveal() == INLINE_KEY

    def test_merge_key_is_shallow(self, tmp_path: Path) -> None:
        """An own nested mapping replaces a merged one whole, as YAML merge keys do."""
        inventory = load(tmp_path, self.TEXT)
        panel = inventory.panels[1]

        # read comes from the model default, not from the merged *eu mapping.
        assert panel.timeouts == Timeouts(connect=7.0, read=Timeouts().read)

    def test_panels_share_no_tags_object(self, tmp_path: Path) -> None:
        """Panels built from one anchor get distinct, read-only tag mappings."""
        inventory = load(
            tmp_path,
            f"""
            x-tags: &tags {{env: prod}}
            defaults:
              key: {INLINE_KEY}
            panels:
              - {{name: web-1, url: "https://203.0.113.10:8888", tags: *tags}}
              - {{name: web-2, url: "https://203.0.113.11:8888", tags: *tags}}
            """,
        )
        first, second = inventory.panels

        assert first.tags == second.tags
        assert first.tags is not second.tags
        assert isinstance(first.tags, MappingProxyType)
        with pytest.raises(TypeError):
            first.tags["env"] = "dev"  # type: ignore[index]

    def test_alias_of_whole_panel_settings(self, tmp_path: Path) -> None:
        """An anchored defaults mapping can also be merged into a group."""
        inventory = load(
            tmp_path,
            f"""
            defaults: &defaults
              limits: {{concurrency: 1}}
              key: {INLINE_KEY}
            groups:
              slow:
                <<: *defaults
                timeouts: {{read: 120}}
            panels:
              - {{name: web-1, url: "https://203.0.113.10:8888", groups: [slow]}}
            """,
        )
        panel = inventory.panels[0]

        assert panel.limits.concurrency == 1
        assert panel.timeouts.read == 120.0


class TestURLs:
    def test_url_normalised(self, tmp_path: Path) -> None:
        """Scheme and host are lower-cased and a trailing slash is dropped."""
        inventory = load(
            tmp_path,
            f"""
            panels:
              - name: web-1
                url: HTTPS://Panel.Example.COM:8888/
                key: {INLINE_KEY}
            """,
        )

        assert inventory.panels[0].url == "https://panel.example.com:8888"

    def test_ipv6_literal_kept_in_brackets(self, tmp_path: Path) -> None:
        """An IPv6 literal is compressed, lower-cased and kept in brackets."""
        inventory = load(
            tmp_path,
            f"""
            panels:
              - name: web-6
                url: http://[2001:DB8:0:0::10]:8888
                key: {INLINE_KEY}
                address_family: ipv6
            """,
        )

        assert inventory.panels[0].url == "http://[2001:db8::10]:8888"
        assert inventory.panels[0].address_family == "ipv6"

    def test_missing_port_defaults_with_warning(self, tmp_path: Path) -> None:
        """A URL without a port gets 8888 and a warning that names the panel."""
        inventory = load(
            tmp_path,
            f"""
            panels:
              - {{name: web-1, url: "https://203.0.113.10", key: {INLINE_KEY}}}
            """,
        )

        assert inventory.panels[0].url == "https://203.0.113.10:8888"
        assert len(inventory.warnings) == 1
        assert "panel 'web-1'" in inventory.warnings[0]
        assert "has no port" in inventory.warnings[0]


class TestTLS:
    def test_fingerprint_normalised(self, tmp_path: Path) -> None:
        """A fingerprint with colons and capitals becomes 64 lowercase hex digits."""
        inventory = load(
            tmp_path,
            f"""
            panels:
              - name: web-1
                url: https://203.0.113.10:8888
                key: {INLINE_KEY}
                tls: {{fingerprint: "{FINGERPRINT}"}}
            """,
        )

        assert inventory.panels[0].tls.fingerprint == "abcd" * 16
        assert inventory.panels[0].tls.verify is True

    def test_ca_file_relative_to_inventory(self, tmp_path: Path) -> None:
        """A relative ca_file is stored as an absolute path from the inventory."""
        (tmp_path / "certs").mkdir()
        (tmp_path / "certs" / "ca.pem").write_text("not checked here\n")
        inventory = load(
            tmp_path,
            f"""
            defaults:
              tls: {{ca_file: certs/ca.pem}}
            panels:
              - {{name: web-1, url: "https://203.0.113.10:8888", key: {INLINE_KEY}}}
            """,
        )

        assert inventory.panels[0].tls.ca_file == str(tmp_path / "certs" / "ca.pem")

    def test_verify_off(self, tmp_path: Path) -> None:
        """verify: false from a group reaches the panel."""
        inventory = load(
            tmp_path,
            f"""
            groups:
              lab: {{tls: {{verify: false}}}}
            panels:
              - name: web-1
                url: https://203.0.113.10:8888
                key: {INLINE_KEY}
                groups: [lab]
            """,
        )

        assert inventory.panels[0].tls == TLSSettings(verify=False)


class TestExtensionKeys:
    def test_x_keys_ignored(self, tmp_path: Path) -> None:
        """Top-level keys starting with 'x-' are skipped, even with odd content."""
        inventory = load(
            tmp_path,
            f"""
            x-notes: [anything, {{goes: here}}]
            x-key: &key {{key: {INLINE_KEY}}}
            panels:
              - <<: *key
                name: web-1
                url: https://203.0.113.10:8888
            """,
        )

        assert [panel.name for panel in inventory.panels] == ["web-1"]


class TestKeySources:
    def test_key_env(self, tmp_path: Path) -> None:
        """key_env reads the key from the given environment mapping."""
        inventory = load(
            tmp_path,
            """
            panels:
              - {name: web-1, url: "https://203.0.113.10:8888", key_env: BT_WEB1_KEY}
            """,
        )

        assert inventory.panels[0].key.reveal() == ENV_KEY

    def test_key_file_relative_to_inventory(
        self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """A relative key_file starts at the inventory's directory, not the cwd."""
        (tmp_path / "keys").mkdir()
        (tmp_path / "keys" / "web1.key").write_text(FILE_KEY + "\n")
        path = write_inventory(
            tmp_path,
            """
            panels:
              - {name: web-1, url: "https://203.0.113.10:8888", key_file: keys/web1.key}
            """,
        )
        monkeypatch.chdir("/")
        inventory = load_inventory(path, {})

        assert inventory.panels[0].key.reveal() == FILE_KEY
        assert inventory.warnings == ()

    def test_inline_key(self, tmp_path: Path) -> None:
        """An inline key becomes a Secret whose repr hides it."""
        inventory = load(
            tmp_path,
            f"""
            panels:
              - {{name: web-1, url: "https://203.0.113.10:8888", key: {INLINE_KEY}}}
            """,
        )
        panel = inventory.panels[0]

        assert panel.key.reveal() == INLINE_KEY
        assert INLINE_KEY not in repr(panel)

    def test_key_file_crlf_newline_silent(self, tmp_path: Path) -> None:
        """A key file ending in CRLF loses it without a warning."""
        (tmp_path / "web1.key").write_bytes(FILE_KEY.encode() + b"\r\n")
        inventory = load(
            tmp_path,
            """
            panels:
              - {name: web-1, url: "https://203.0.113.10:8888", key_file: web1.key}
            """,
        )

        assert inventory.panels[0].key.reveal() == FILE_KEY
        assert inventory.warnings == ()


class TestKeyWhitespace:
    def test_inline_key_stripped_with_warning(self, tmp_path: Path) -> None:
        """Spaces around an inline key are stripped and reported without the key."""
        inventory = load(
            tmp_path,
            f"""
            panels:
              - name: web-1
                url: https://203.0.113.10:8888
                key: "  {INLINE_KEY}\\n"
            """,
        )

        assert inventory.panels[0].key.reveal() == INLINE_KEY
        assert len(inventory.warnings) == 1
        warning = inventory.warnings[0]
        assert warning.startswith(f"{tmp_path / 'inventory.yaml'}:4:10:")
        assert "panel 'web-1'" in warning
        assert "the 'key' setting" in warning
        assert "whitespace" in warning

    def test_env_key_stripped_with_warning(self, tmp_path: Path) -> None:
        """A trailing newline in an environment variable is stripped with a warning."""
        inventory = load(
            tmp_path,
            """
            panels:
              - {name: web-1, url: "https://203.0.113.10:8888", key_env: BT_WEB1_KEY}
            """,
            environ={"BT_WEB1_KEY": ENV_KEY + "\n"},
        )

        assert inventory.panels[0].key.reveal() == ENV_KEY
        assert len(inventory.warnings) == 1
        assert "environment variable 'BT_WEB1_KEY'" in inventory.warnings[0]

    def test_key_file_spaces_warned(self, tmp_path: Path) -> None:
        """Spaces in a key file beyond its final newline are stripped with a warning."""
        (tmp_path / "web1.key").write_text(f" {FILE_KEY}  \n")
        inventory = load(
            tmp_path,
            """
            panels:
              - {name: web-1, url: "https://203.0.113.10:8888", key_file: web1.key}
            """,
        )

        assert inventory.panels[0].key.reveal() == FILE_KEY
        assert len(inventory.warnings) == 1
        assert "web1.key" in inventory.warnings[0]
        assert "panel 'web-1'" in inventory.warnings[0]
