"""Tests of inventory errors in the YAML document, its keys and value types."""

from __future__ import annotations

from pathlib import Path

import pytest

from fleet.errors import ConfigError
from fleet.inventory import load_inventory

from .support import INLINE_KEY, load_error, position


class TestDocumentErrors:
    def test_empty_file(self, tmp_path: Path) -> None:
        """An empty file is rejected with a hint that panels are needed."""
        message = load_error(tmp_path, "# only a comment\n")

        assert message.startswith(f"{tmp_path / 'inventory.yaml'}: ")
        assert "the inventory is empty" in message
        assert "'panels' list" in message

    def test_missing_file(self, tmp_path: Path) -> None:
        """A path that does not exist gives a ConfigError, not an OSError."""
        with pytest.raises(ConfigError, match="cannot read the inventory"):
            load_inventory(tmp_path / "absent.yaml", {})

    def test_not_utf8(self, tmp_path: Path) -> None:
        """Bytes that are not UTF-8 are reported with their offset."""
        path = tmp_path / "inventory.yaml"
        path.write_bytes(b"panels:\n  - name: caf\xe9\n")

        with pytest.raises(ConfigError, match="not UTF-8 text") as caught:
            load_inventory(path, {})

        assert "offset 21" in str(caught.value)

    def test_top_level_not_mapping(self, tmp_path: Path) -> None:
        """A top-level list is rejected at its first line."""
        message = load_error(tmp_path, "- name: web-1\n")

        assert message.startswith(position(tmp_path, 1, 1))
        assert "top level must be a mapping with a 'panels' list, not a list" in message

    def test_panels_missing(self, tmp_path: Path) -> None:
        """An inventory without a panels key says to add one."""
        message = load_error(tmp_path, "defaults: {}\n")

        assert message.startswith(position(tmp_path, 1, 1))
        assert "has no 'panels' list" in message

    def test_panels_empty(self, tmp_path: Path) -> None:
        """An empty panels list is rejected at the list."""
        message = load_error(tmp_path, "panels: []\n")

        assert message.startswith(position(tmp_path, 1, 9))
        assert "'panels' is empty; add at least one panel" in message

    def test_panels_not_list(self, tmp_path: Path) -> None:
        """A panels mapping instead of a list is rejected."""
        message = load_error(tmp_path, "panels: {web-1: {}}\n")

        assert message.startswith(position(tmp_path, 1, 9))
        assert "panels must be a list, not a mapping" in message

    def test_tab_indentation(self, tmp_path: Path) -> None:
        """A tab in the indentation is reported at its position."""
        message = load_error(tmp_path, "panels:\n\t- name: web-1\n")

        assert message.startswith(position(tmp_path, 2, 1))
        assert "tab character" in message
        assert "replace the tab with spaces" in message

    def test_syntax_error_position(self, tmp_path: Path) -> None:
        """A YAML syntax error gives the position, the problem and no traceback."""
        message = load_error(tmp_path, "panels: [\n  {name: web-1\n")

        assert message.startswith(position(tmp_path, 3, 1))
        assert "invalid YAML: expected ',' or '}'" in message
        assert "starts at 2:3" in message
        assert "Traceback" not in message

    def test_syntax_error_hides_line(self, tmp_path: Path) -> None:
        """A syntax error on a key line does not quote the line."""
        text = f"""
            panels:
              - name: web-1
                key: {INLINE_KEY}: x
            """
        message = load_error(tmp_path, text)

        assert message.startswith(position(tmp_path, 3, 42))
        assert "mapping values are not allowed here" in message

    def test_block_error_hints_indentation(self, tmp_path: Path) -> None:
        """A broken block structure suggests checking the indentation."""
        message = load_error(tmp_path, "panels:\n  - name: a\n  url: b\n")

        assert message.startswith(position(tmp_path, 3, 3))
        assert "check the indentation" in message


class TestMappingKeys:
    def test_unknown_top_level_key(self, tmp_path: Path) -> None:
        """An unknown top-level key suggests the closest valid key."""
        message = load_error(tmp_path, "panel:\n  - name: web-1\n")

        assert message.startswith(position(tmp_path, 1, 1))
        assert "unknown key 'panel' in the top level; did you mean 'panels'?" in message

    def test_unknown_panel_key(self, tmp_path: Path) -> None:
        """An unknown key in a panel suggests the closest valid key."""
        text = f"""
            panels:
              - name: web-1
                urll: https://203.0.113.10:8888
                key: {INLINE_KEY}
            """
        message = load_error(tmp_path, text)

        assert message.startswith(position(tmp_path, 3, 5))
        assert "panel #1: unknown key 'urll' in a panel; did you mean 'url'?" in message

    def test_unknown_nested_key(self, tmp_path: Path) -> None:
        """An unknown key in timeouts suggests the closest valid key."""
        text = f"""
            panels:
              - name: web-1
                url: https://203.0.113.10:8888
                key: {INLINE_KEY}
                timeouts: {{reed: 5}}
            """
        message = load_error(tmp_path, text)

        assert message.startswith(position(tmp_path, 5, 16))
        assert "panel 'web-1': unknown key 'reed' in timeouts" in message
        assert "did you mean 'read'?" in message

    def test_unknown_key_without_close_match(self, tmp_path: Path) -> None:
        """An unknown key with no close match lists the valid keys."""
        message = load_error(tmp_path, "defaults:\n  colour: red\npanels: []\n")

        assert message.startswith(position(tmp_path, 2, 3))
        assert "defaults: unknown key 'colour' in defaults" in message
        assert "valid keys are address_family, key, key_env, key_file" in message

    def test_duplicate_panel_key(self, tmp_path: Path) -> None:
        """A key written twice in a panel names both lines."""
        text = f"""
            panels:
              - name: web-1
                url: https://203.0.113.10:8888
                url: https://203.0.113.11:8888
                key: {INLINE_KEY}
            """
        message = load_error(tmp_path, text)

        assert message.startswith(position(tmp_path, 4, 5))
        assert "duplicate key 'url' (first at line 3)" in message

    def test_duplicate_nested_key(self, tmp_path: Path) -> None:
        """A key written twice in a flow mapping is reported at the second one."""
        text = f"""
            panels:
              - name: web-1
                url: https://203.0.113.10:8888
                key: {INLINE_KEY}
                tags: {{env: a, env: b}}
            """
        message = load_error(tmp_path, text)

        assert message.startswith(position(tmp_path, 5, 20))
        assert "duplicate key 'env'" in message

    def test_duplicate_top_level_key(self, tmp_path: Path) -> None:
        """A second panels list is a duplicate, not a silent replacement."""
        message = load_error(tmp_path, "panels: []\npanels: []\n")

        assert message.startswith(position(tmp_path, 2, 1))
        assert "duplicate key 'panels' (first at line 1)" in message

    def test_merge_key_needs_mapping(self, tmp_path: Path) -> None:
        """A merge key that points at a plain value is rejected."""
        text = """
            x-a: &a hello
            panels:
              - <<: *a
                name: web-1
            """
        message = load_error(tmp_path, text)

        assert message.startswith(position(tmp_path, 1, 6))
        assert "a merge key '<<' needs a mapping" in message

    def test_recursive_merge_key(self, tmp_path: Path) -> None:
        """A merge key that includes its own mapping is rejected, not looped over."""
        text = """
            panels:
              - &p
                <<: *p
                name: web-1
            """
        message = load_error(tmp_path, text)

        assert message.startswith(position(tmp_path, 2, 5))
        assert "refers to a mapping that contains it" in message


class TestYAMLTyping:
    @pytest.mark.parametrize(
        ("written", "type_name"),
        [
            ("no", "a boolean"),
            ("on", "a boolean"),
            ("yes", "a boolean"),
            ("0123", "an integer"),
            ("12", "an integer"),
            ("1e3", "a number"),
            ("1.5", "a number"),
        ],
    )
    def test_name_typed_by_yaml(
        self, tmp_path: Path, written: str, type_name: str
    ) -> None:
        """A panel name that YAML reads as another type must be quoted."""
        text = f"""
            panels:
              - name: {written}
                url: https://203.0.113.10:8888
                key: {INLINE_KEY}
            """
        message = load_error(tmp_path, text)

        assert message.startswith(position(tmp_path, 2, 11))
        assert f"YAML reads the name '{written}' as {type_name}" in message
        assert f'put it in quotes: "{written}"' in message

    def test_key_typed_by_yaml(self, tmp_path: Path) -> None:
        """A numeric key must be quoted, and the message does not repeat it."""
        text = """
            panels:
              - name: web-1
                url: https://203.0.113.10:8888
                key: 12345678901234567890
            """
        message = load_error(tmp_path, text)

        assert message.startswith(position(tmp_path, 4, 10))
        assert "YAML reads the key as an integer; put it in quotes" in message
        assert "1234567890" not in message

    def test_tag_name_typed_by_yaml(self, tmp_path: Path) -> None:
        """A tag name such as 'on' that YAML reads as a boolean must be quoted."""
        text = f"""
            panels:
              - name: web-1
                url: https://203.0.113.10:8888
                key: {INLINE_KEY}
                tags: {{on: call}}
            """
        message = load_error(tmp_path, text)

        assert message.startswith(position(tmp_path, 5, 12))
        assert "tag name 'on' as a boolean" in message
        assert "put it in quotes" in message

    def test_tag_value_typed_by_yaml(self, tmp_path: Path) -> None:
        """A tag value that YAML reads as an integer must be quoted."""
        text = """
            defaults:
              tags:
                tier: 1
            panels: []
            """
        message = load_error(tmp_path, text)

        assert message.startswith(position(tmp_path, 3, 11))
        assert "defaults: YAML reads the tags.tier '1' as an integer" in message
        assert f"{INLINE_KEY}" not in message

    def test_group_name_typed_by_yaml(self, tmp_path: Path) -> None:
        """A group name that YAML reads as a boolean must be quoted."""
        message = load_error(tmp_path, "groups:\n  yes: {}\npanels: []\n")

        assert message.startswith(position(tmp_path, 2, 3))
        assert "YAML reads the group name 'yes' as a boolean" in message

    def test_group_reference_typed_by_yaml(self, tmp_path: Path) -> None:
        """A group reference in a panel that YAML reads as a number must be quoted."""
        text = f"""
            groups:
              "1": {{}}
            panels:
              - name: web-1
                url: https://203.0.113.10:8888
                key: {INLINE_KEY}
                groups: [1]
            """
        message = load_error(tmp_path, text)

        assert message.startswith(position(tmp_path, 7, 14))
        assert "YAML reads the group name '1' as an integer" in message

    def test_name_null(self, tmp_path: Path) -> None:
        """An empty name is reported as having no value."""
        text = f"""
            panels:
              - name:
                url: https://203.0.113.10:8888
                key: {INLINE_KEY}
            """
        message = load_error(tmp_path, text)

        assert message.startswith(f"{tmp_path / 'inventory.yaml'}:2:")
        assert "name has no value" in message


class TestValueTypes:
    def check(self, tmp_path: Path, setting: str, column: int, expected: str) -> None:
        """Load one panel with an extra setting on line 5 and check the message."""
        text = f"""
            panels:
              - name: web-1
                url: https://203.0.113.10:8888
                key: {INLINE_KEY}
                {setting}
            """
        message = load_error(tmp_path, text)

        assert message.startswith(position(tmp_path, 5, column))
        assert f"panel 'web-1': {expected}" in message

    def test_timeout_not_number(self, tmp_path: Path) -> None:
        """A timeout written as text is rejected with its value."""
        self.check(
            tmp_path,
            "timeouts: {read: abc}",
            22,
            "timeouts.read must be a number of seconds greater than 0, not the "
            "string 'abc'",
        )

    def test_timeout_negative(self, tmp_path: Path) -> None:
        """A negative timeout is rejected."""
        self.check(
            tmp_path,
            "timeouts: {connect: -1}",
            25,
            "timeouts.connect must be a number of seconds greater than 0, not -1",
        )

    def test_timeout_zero(self, tmp_path: Path) -> None:
        """A zero timeout is rejected."""
        self.check(
            tmp_path,
            "timeouts: {read: 0}",
            22,
            "timeouts.read must be a number of seconds greater than 0, not 0",
        )

    def test_timeout_infinite(self, tmp_path: Path) -> None:
        """An infinite timeout is rejected."""
        self.check(
            tmp_path,
            "timeouts: {read: .inf}",
            22,
            "timeouts.read must be a number of seconds greater than 0, not inf",
        )

    def test_concurrency_zero(self, tmp_path: Path) -> None:
        """A concurrency of 0 is rejected."""
        self.check(
            tmp_path,
            "limits: {concurrency: 0}",
            27,
            "limits.concurrency must be a whole number of at least 1, not 0",
        )

    def test_retries_negative(self, tmp_path: Path) -> None:
        """A negative retry count is rejected."""
        self.check(
            tmp_path,
            "limits: {retries: -1}",
            23,
            "limits.retries must be a whole number of at least 0, not -1",
        )

    def test_response_size_fraction(self, tmp_path: Path) -> None:
        """A fractional byte limit is rejected."""
        self.check(
            tmp_path,
            "limits: {max_response_bytes: 1.5}",
            34,
            "limits.max_response_bytes must be a whole number of at least 1, not 1.5",
        )

    def test_rate_quoted(self, tmp_path: Path) -> None:
        """A quoted number is rejected with a hint to drop the quotes."""
        self.check(
            tmp_path,
            'limits: {rate: "5"}',
            20,
            "limits.rate must be a number of requests per second greater than 0, "
            "not the string '5'; remove the quotes",
        )

    def test_rate_boolean(self, tmp_path: Path) -> None:
        """A boolean where a number belongs is rejected."""
        self.check(
            tmp_path,
            "limits: {rate: yes}",
            20,
            "limits.rate must be a number of requests per second greater than 0, "
            "not a boolean 'yes'",
        )

    def test_verify_not_boolean(self, tmp_path: Path) -> None:
        """A quoted boolean in tls.verify is rejected."""
        self.check(
            tmp_path,
            'tls: {verify: "yes"}',
            19,
            "tls.verify must be true or false, not the string 'yes'",
        )

    def test_address_family_unknown(self, tmp_path: Path) -> None:
        """An unknown address family lists the valid ones."""
        self.check(
            tmp_path,
            "address_family: ipv5",
            21,
            "address_family 'ipv5' is invalid; use one of auto, ipv4, ipv6",
        )

    def test_section_not_mapping(self, tmp_path: Path) -> None:
        """A timeouts value that is not a mapping is rejected."""
        self.check(
            tmp_path,
            "timeouts: 5",
            15,
            "timeouts must be a mapping, not a single value",
        )

    def test_groups_not_list(self, tmp_path: Path) -> None:
        """A panel's groups given as one word instead of a list is rejected."""
        self.check(
            tmp_path, "groups: shop", 13, "groups must be a list, not a single value"
        )

    def test_tag_value_list(self, tmp_path: Path) -> None:
        """A tag value that is a list is rejected."""
        self.check(
            tmp_path,
            "tags: {env: [a, b]}",
            17,
            "tags.env must be a single value, not a list",
        )

    def test_tag_name_with_equals(self, tmp_path: Path) -> None:
        """A tag name containing '=' is rejected, since filters split on it."""
        self.check(tmp_path, 'tags: {"a=b": c}', 12, "tag name 'a=b' is invalid")
