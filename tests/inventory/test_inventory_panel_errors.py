"""Tests of inventory errors in panels: names, URLs, groups, keys and TLS."""

from __future__ import annotations

from pathlib import Path

import pytest

from fleet.inventory.keys import KEY_FILE_MAX_BYTES

from .support import ENV_KEY, FILE_KEY, INLINE_KEY, load_error, position


class TestPanelEntries:
    def test_entry_not_mapping(self, tmp_path: Path) -> None:
        """A panel written as a bare word is rejected."""
        message = load_error(tmp_path, "panels:\n  - web-1\n")

        assert message.startswith(position(tmp_path, 2, 5))
        assert (
            "panel #1: a panel entry must be a mapping, not a single value" in message
        )

    def test_missing_name(self, tmp_path: Path) -> None:
        """A panel without a name is reported by its position in the list."""
        text = f"""
            panels:
              - url: https://203.0.113.10:8888
                key: {INLINE_KEY}
            """
        message = load_error(tmp_path, text)

        assert message.startswith(position(tmp_path, 2, 5))
        assert "panel #1: has no name; add 'name: NAME'" in message

    def test_missing_url(self, tmp_path: Path) -> None:
        """A panel without a url is rejected."""
        message = load_error(
            tmp_path, f"panels:\n  - {{name: web-1, key: {INLINE_KEY}}}\n"
        )

        assert message.startswith(position(tmp_path, 2, 5))
        assert "panel 'web-1': has no url; add 'url: https://HOST:PORT'" in message

    def test_invalid_name_characters(self, tmp_path: Path) -> None:
        """A name with a space is rejected with the allowed characters."""
        text = f"""
            panels:
              - name: web 1
                url: https://203.0.113.10:8888
                key: {INLINE_KEY}
            """
        message = load_error(tmp_path, text)

        assert message.startswith(position(tmp_path, 2, 11))
        assert "name 'web 1' is invalid; use only letters, digits" in message

    def test_duplicate_name(self, tmp_path: Path) -> None:
        """A repeated panel name names the lines of both panels."""
        text = f"""
            panels:
              - name: web-1
                url: https://203.0.113.10:8888
                key: {INLINE_KEY}
              - name: web-1
                url: https://203.0.113.11:8888
                key: {INLINE_KEY}
            """
        message = load_error(tmp_path, text)

        assert message.startswith(position(tmp_path, 5, 5))
        assert (
            "panel 'web-1': the name is already used by the panel at line 2" in message
        )

    def test_duplicate_url_after_normalising(self, tmp_path: Path) -> None:
        """Two panels whose URLs normalise alike are both named."""
        text = f"""
            panels:
              - name: web-1
                url: https://203.0.113.10:8888
                key: {INLINE_KEY}
              - name: web-2
                url: HTTPS://203.0.113.10:8888/
                key: {INLINE_KEY}
            """
        message = load_error(tmp_path, text)

        assert message.startswith(position(tmp_path, 5, 5))
        assert "panel 'web-2': URL 'https://203.0.113.10:8888'" in message
        assert "also the URL of panel 'web-1' at line 2" in message

    def test_errors_of_several_panels_collected(self, tmp_path: Path) -> None:
        """Independent errors in two panels are reported together, one per line."""
        text = f"""
            panels:
              - {{name: web-1, url: "ftp://203.0.113.10:8888", key: {INLINE_KEY}}}
              - {{name: web-2, url: "https://203.0.113.11:8888", key: {INLINE_KEY}}}
              - {{name: web-3, url: "https://203.0.113.12:8888"}}
            """
        lines = load_error(tmp_path, text).splitlines()

        assert len(lines) == 2
        assert lines[0].startswith(position(tmp_path, 2, 24))
        assert "panel 'web-1'" in lines[0]
        assert lines[1].startswith(position(tmp_path, 4, 5))
        assert "panel 'web-3': has no API key" in lines[1]


class TestURLErrors:
    def url_error(self, tmp_path: Path, url: str) -> str:
        """Load one panel with the given URL and return the error message."""
        text = f"""
            panels:
              - name: web-3
                url: "{url}"
                key: {INLINE_KEY}
            """
        message = load_error(tmp_path, text)

        assert message.startswith(position(tmp_path, 3, 10))
        return message

    def test_path(self, tmp_path: Path) -> None:
        """A security entrance path in the URL is rejected with the reason."""
        message = self.url_error(tmp_path, "https://198.51.100.7:8888/x9k2")

        assert message.endswith(
            "panel 'web-3': URL 'https://198.51.100.7:8888/x9k2' has a path; the "
            "API lives at the panel root, so drop '/x9k2' (a security entrance "
            "path is only for the browser login page)"
        )

    def test_query(self, tmp_path: Path) -> None:
        """A query string is rejected."""
        message = self.url_error(tmp_path, "https://198.51.100.7:8888/?a=1")

        assert "URL 'https://198.51.100.7:8888/' has a query after '?'" in message
        assert "a=1" not in message

    def test_fragment(self, tmp_path: Path) -> None:
        """A fragment is rejected."""
        message = self.url_error(tmp_path, "https://198.51.100.7:8888#top")

        assert "has a fragment after '#'; remove it" in message
        assert "top" not in message

    def test_no_scheme(self, tmp_path: Path) -> None:
        """A URL without a scheme shows the expected form."""
        message = self.url_error(tmp_path, "198.51.100.7:8888")

        assert "URL '198.51.100.7:8888' has no scheme" in message
        assert "'https://HOST:PORT'" in message

    def test_other_scheme(self, tmp_path: Path) -> None:
        """A scheme other than http and https is rejected."""
        message = self.url_error(tmp_path, "ftp://198.51.100.7:8888")

        assert "has the scheme 'ftp'; use https:// or http://" in message

    def test_no_host(self, tmp_path: Path) -> None:
        """A URL without a host is rejected."""
        message = self.url_error(tmp_path, "https://:8888")

        assert "URL 'https://:8888' has no host" in message

    @pytest.mark.parametrize("port", ["abc", "70000", "0", ""])
    def test_invalid_port(self, tmp_path: Path, port: str) -> None:
        """A port that is not a number from 1 to 65535 is rejected."""
        message = self.url_error(tmp_path, f"https://198.51.100.7:{port}")

        assert f"has an invalid port '{port}'; use a number from 1 to 65535" in message

    def test_ipv6_without_brackets(self, tmp_path: Path) -> None:
        """An IPv6 address without brackets gets the bracketed form as the fix."""
        message = self.url_error(tmp_path, "https://2001:db8::10:8888")

        assert "IPv6 address without brackets" in message
        assert "'https://[2001:db8::10]:8888'" in message

    def test_invalid_ipv6(self, tmp_path: Path) -> None:
        """A bracketed host that is not an IPv6 address is rejected."""
        message = self.url_error(tmp_path, "https://[2001:zz::1]:8888")

        assert "invalid IPv6 address '2001:zz::1'" in message

    def test_invalid_ipv4(self, tmp_path: Path) -> None:
        """A dotted number that is not an IPv4 address is rejected."""
        message = self.url_error(tmp_path, "https://198.51.100.700:8888")

        assert "invalid IPv4 address '198.51.100.700'" in message

    def test_invalid_host_name(self, tmp_path: Path) -> None:
        """A host name with invalid characters is rejected."""
        message = self.url_error(tmp_path, "https://pan*el.example:8888")

        assert "invalid host name 'pan*el.example'" in message

    def test_user_info_hidden(self, tmp_path: Path) -> None:
        """A URL with a password is rejected without repeating the password."""
        message = self.url_error(tmp_path, "https://admin:hunter2@198.51.100.7:8888")

        assert "URL contains user info before '@'" in message
        assert "hunter2" not in message

    def test_address_family_contradicts_literal(self, tmp_path: Path) -> None:
        """address_family ipv4 with an IPv6 literal is rejected at the setting."""
        text = f"""
            defaults:
              address_family: ipv4
            panels:
              - {{name: web-6, url: "https://[2001:db8::10]:8888", key: {INLINE_KEY}}}
            """
        message = load_error(tmp_path, text)

        assert message.startswith(position(tmp_path, 2, 19))
        assert "panel 'web-6': address_family 'ipv4' cannot reach the IPv6" in message


class TestGroupErrors:
    def test_undefined_group(self, tmp_path: Path) -> None:
        """A panel naming an undefined group gets the closest defined group."""
        text = f"""
            groups:
              shop: {{}}
              blog: {{}}
            panels:
              - name: web-1
                url: https://203.0.113.10:8888
                key: {INLINE_KEY}
                groups: [shops]
            """
        message = load_error(tmp_path, text)

        assert message.startswith(position(tmp_path, 8, 14))
        assert "group 'shops' is not defined under 'groups'" in message
        assert "did you mean 'shop'?" in message

    def test_undefined_group_lists_groups(self, tmp_path: Path) -> None:
        """Without a close match the message lists the defined groups."""
        text = f"""
            groups:
              shop: {{}}
              blog: {{}}
            panels:
              - name: web-1
                url: https://203.0.113.10:8888
                key: {INLINE_KEY}
                groups: [mail]
            """
        message = load_error(tmp_path, text)

        assert "group 'mail' is not defined" in message
        assert "defined groups are shop, blog" in message

    def test_group_listed_twice(self, tmp_path: Path) -> None:
        """A group listed twice in one panel is rejected."""
        text = f"""
            groups: {{shop: {{}}}}
            panels:
              - name: web-1
                url: https://203.0.113.10:8888
                key: {INLINE_KEY}
                groups: [shop, shop]
            """
        message = load_error(tmp_path, text)

        assert "group 'shop' is listed twice" in message

    def test_group_unknown_key(self, tmp_path: Path) -> None:
        """An unknown key inside a group names the group."""
        text = """
            groups:
              shop:
                tag: {tier: gold}
            panels: []
            """
        message = load_error(tmp_path, text)

        assert message.startswith(position(tmp_path, 3, 5))
        assert (
            "group 'shop': unknown key 'tag' in a group; did you mean 'tags'?"
            in message
        )

    def test_group_errors_collected(self, tmp_path: Path) -> None:
        """Errors in two groups are reported together."""
        text = """
            groups:
              shop: {limits: {rate: 0}}
              blog: {timeouts: {read: -5}}
            panels: []
            """
        lines = load_error(tmp_path, text).splitlines()

        assert len(lines) == 2
        assert "group 'shop': limits.rate" in lines[0]
        assert "group 'blog': timeouts.read" in lines[1]


class TestKeySourceErrors:
    def test_no_key_source(self, tmp_path: Path) -> None:
        """A panel without any key source lists the three ways to set one."""
        message = load_error(
            tmp_path, 'panels:\n  - {name: web-1, url: "https://203.0.113.10:8888"}\n'
        )

        assert message.startswith(position(tmp_path, 2, 5))
        assert "panel 'web-1': has no API key; set key_env, key_file or key" in message

    def test_two_key_sources_same_level(self, tmp_path: Path) -> None:
        """key and key_env in one panel are rejected at the second one."""
        text = f"""
            panels:
              - name: web-1
                url: https://203.0.113.10:8888
                key: {INLINE_KEY}
                key_env: BT_WEB1_KEY
            """
        message = load_error(tmp_path, text)

        assert message.startswith(position(tmp_path, 5, 5))
        assert "sets both key and key_env; keep one key source at this level" in message

    def test_two_key_sources_in_defaults(self, tmp_path: Path) -> None:
        """Two key sources in defaults are rejected with the defaults as subject."""
        text = """
            defaults:
              key_file: a.key
              key_env: BT_WEB1_KEY
            panels: []
            """
        message = load_error(tmp_path, text)

        assert message.startswith(position(tmp_path, 3, 3))
        assert "defaults: sets both key_file and key_env" in message

    def test_missing_environment_variable(self, tmp_path: Path) -> None:
        """An unset key_env variable is named at the line that sets it."""
        text = """
            defaults:
              key_env: BT_MISSING_KEY
            panels:
              - {name: web-1, url: "https://203.0.113.10:8888"}
            """
        message = load_error(tmp_path, text)

        assert message.startswith(position(tmp_path, 2, 12))
        assert "panel 'web-1': environment variable 'BT_MISSING_KEY'" in message
        assert "is not set; export it before running fleet" in message

    def test_key_pasted_into_key_env(self, tmp_path: Path) -> None:
        """A key pasted where a variable name belongs is not repeated."""
        text = f"""
            panels:
              - {{name: web-1, url: "https://203.0.113.10:8888", key_env: {ENV_KEY}}}
            """
        message = load_error(tmp_path, text, environ={})

        assert message.startswith(position(tmp_path, 2, 62))
        assert "not shown because it looks like an API key" in message

    def test_shared_source_failure_reported_once(self, tmp_path: Path) -> None:
        """A missing variable named in defaults is reported once, not per panel."""
        text = """
            defaults:
              key_env: BT_MISSING_KEY
            panels:
              - {name: web-1, url: "https://203.0.113.10:8888"}
              - {name: web-2, url: "https://203.0.113.11:8888"}
              - {name: web-3, url: "https://203.0.113.12:8888"}
            """
        lines = load_error(tmp_path, text).splitlines()

        assert len(lines) == 1
        assert "panel 'web-1'" in lines[0]
        assert "BT_MISSING_KEY" in lines[0]

    def test_invalid_environment_variable_name(self, tmp_path: Path) -> None:
        """A key_env value that cannot be a variable name is rejected."""
        text = """
            panels:
              - {name: web-1, url: "https://203.0.113.10:8888", key_env: BT-KEY}
            """
        message = load_error(tmp_path, text)

        assert "key_env 'BT-KEY' is not a valid environment variable name" in message

    def test_missing_key_file(self, tmp_path: Path) -> None:
        """A missing key file is named with the directory relative paths start at."""
        text = """
            panels:
              - name: web-1
                url: https://203.0.113.10:8888
                key_file: keys/web1.key
            """
        message = load_error(tmp_path, text)

        assert message.startswith(position(tmp_path, 4, 15))
        assert f"key file '{tmp_path / 'keys' / 'web1.key'}' not found" in message
        assert f"inventory's directory '{tmp_path}'" in message

    def test_unreadable_key_file(self, tmp_path: Path) -> None:
        """A key file that is a directory is rejected as not a regular file."""
        (tmp_path / "web1.key").mkdir()
        text = """
            panels:
              - {name: web-1, url: "https://203.0.113.10:8888", key_file: web1.key}
            """
        message = load_error(tmp_path, text)

        assert f"key file '{tmp_path / 'web1.key'}' is not a regular file" in message

    def test_key_pasted_into_key_file(self, tmp_path: Path) -> None:
        """A key pasted where a file name belongs is not repeated."""
        text = f"""
            panels:
              - {{name: web-1, url: "https://203.0.113.10:8888", key_file: {FILE_KEY}}}
            """
        message = load_error(tmp_path, text)

        assert "not shown because it looks like an API key" in message
        assert "not found" in message

    def test_key_file_too_large(self, tmp_path: Path) -> None:
        """A key file larger than any key is rejected without its content."""
        (tmp_path / "big.key").write_text(FILE_KEY * (KEY_FILE_MAX_BYTES // 8))
        text = """
            panels:
              - {name: web-1, url: "https://203.0.113.10:8888", key_file: big.key}
            """
        message = load_error(tmp_path, text)

        assert f"is larger than {KEY_FILE_MAX_BYTES} bytes" in message

    def test_empty_inline_key(self, tmp_path: Path) -> None:
        """An empty inline key is rejected."""
        text = """
            panels:
              - {name: web-1, url: "https://203.0.113.10:8888", key: ""}
            """
        message = load_error(tmp_path, text)

        assert message.startswith(position(tmp_path, 2, 58))
        assert "the key from the 'key' setting is empty" in message

    def test_empty_environment_key(self, tmp_path: Path) -> None:
        """An environment variable holding only whitespace is an empty key."""
        text = """
            panels:
              - {name: web-1, url: "https://203.0.113.10:8888", key_env: BT_WEB1_KEY}
            """
        message = load_error(tmp_path, text, environ={"BT_WEB1_KEY": " \n"})

        assert "the key from environment variable 'BT_WEB1_KEY' is empty" in message

    def test_empty_key_file(self, tmp_path: Path) -> None:
        """A key file holding only a newline is an empty key."""
        (tmp_path / "web1.key").write_text("\n")
        text = """
            panels:
              - {name: web-1, url: "https://203.0.113.10:8888", key_file: web1.key}
            """
        message = load_error(tmp_path, text)

        assert "web1.key' is empty" in message

    def test_key_with_inner_newline(self, tmp_path: Path) -> None:
        """A key with a newline inside it is rejected without showing it."""
        half = len(INLINE_KEY) // 2
        text = f"""
            panels:
              - name: web-1
                url: https://203.0.113.10:8888
                key: "{INLINE_KEY[:half]}\\n{INLINE_KEY[half:]}"
            """
        message = load_error(tmp_path, text)

        assert message.startswith(position(tmp_path, 4, 10))
        assert "contains whitespace or a control character inside it" in message
        assert INLINE_KEY[:half] not in message
        assert INLINE_KEY[half:] not in message

    def test_key_file_with_two_lines(self, tmp_path: Path) -> None:
        """A key file with two lines is rejected without showing either."""
        (tmp_path / "web1.key").write_text(f"{FILE_KEY}\n{ENV_KEY}\n")
        text = """
            panels:
              - {name: web-1, url: "https://203.0.113.10:8888", key_file: web1.key}
            """
        message = load_error(tmp_path, text)

        assert "contains whitespace or a control character inside it" in message


class TestTLSErrors:
    def tls_error(self, tmp_path: Path, tls: str) -> str:
        """Load one panel with the given tls mapping and return the error."""
        text = f"""
            panels:
              - name: web-1
                url: https://203.0.113.10:8888
                key: {INLINE_KEY}
                tls: {tls}
            """
        return load_error(tmp_path, text)

    def test_fingerprint_wrong_length(self, tmp_path: Path) -> None:
        """A fingerprint that is not 64 hex digits long is rejected."""
        message = self.tls_error(tmp_path, '{fingerprint: "AB:CD:EF"}')

        assert message.startswith(position(tmp_path, 5, 24))
        assert "tls.fingerprint 'AB:CD:EF' has 6 hex digits" in message
        assert "a SHA-256 fingerprint has 64" in message

    def test_fingerprint_not_hex(self, tmp_path: Path) -> None:
        """A fingerprint with other characters than hex digits is rejected."""
        message = self.tls_error(tmp_path, '{fingerprint: "' + "zz" * 32 + '"}')

        assert "contains characters other than hex digits" in message

    def test_ca_file_missing(self, tmp_path: Path) -> None:
        """A ca_file that does not exist is rejected with its resolved path."""
        message = self.tls_error(tmp_path, "{ca_file: certs/ca.pem}")

        assert message.startswith(position(tmp_path, 5, 20))
        assert f"tls.ca_file '{tmp_path / 'certs' / 'ca.pem'}' not found" in message

    def test_fingerprint_with_verify_off(self, tmp_path: Path) -> None:
        """A pinned fingerprint with verify off from defaults is rejected."""
        fingerprint = "ab" * 32
        text = f"""
            defaults:
              tls: {{verify: false}}
            panels:
              - name: web-1
                url: https://203.0.113.10:8888
                key: {INLINE_KEY}
                tls: {{fingerprint: "{fingerprint}"}}
            """
        message = load_error(tmp_path, text)

        assert message.startswith(position(tmp_path, 7, 24))
        assert "tls.verify is false" in message
        assert "set 'verify: true'" in message


class TestSecretsNeverShown:
    CASES = (
        f"panels:\n  - {{name: a, url: 'https://h:1', key: {INLINE_KEY}, key: x}}\n",
        f"panels:\n  - {{name: a, url: 'https://h:1/x?k={INLINE_KEY}', key: x}}\n",
        f"panels:\n  - {{name: a, url: 'https://h:1/#{INLINE_KEY}', key: x}}\n",
        f"panels:\n  - name: a\n    key: {INLINE_KEY}\n\tx: 1\n",
        f"panels:\n  - name: a\n    key: [{INLINE_KEY}]\n    url: https://h:1\n",
        f"panels:\n  - name: a\n    key: {{k: {INLINE_KEY}}}\n    url: https://h:1\n",
        f"panels:\n  - {{name: a, url: 'https://h:1', key_file: /nope/{FILE_KEY}}}\n",
        f"defaults: {{key: {INLINE_KEY}}}\npanels:\n  - {{name: a, url: 'x'}}\n",
        f"panels:\n  - {{name: a, url: 'https://h:1', key: '{INLINE_KEY} x'}}\n",
        f"panels:\n  - {{name: a, url: 'https://h:1', key: {INLINE_KEY}}}\n  - b\n",
    )

    def test_no_key_in_messages(self, tmp_path: Path) -> None:
        """Errors near a key never contain the key; load_error asserts it."""
        for text in self.CASES:
            message = load_error(tmp_path, text)

            assert message
