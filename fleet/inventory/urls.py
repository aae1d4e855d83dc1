"""Checking and normalising a panel URL to ``scheme://host:port``."""

from __future__ import annotations

import dataclasses
import ipaddress
import re

# The port both BaoTa and aaPanel listen on after a default install.
DEFAULT_PANEL_PORT = 8888

_HOST_NAME = re.compile(
    r"[a-z0-9_]([a-z0-9_-]*[a-z0-9_])?(\.[a-z0-9_]([a-z0-9_-]*[a-z0-9_])?)*\.?"
)
_ALL_DIGITS_AND_DOTS = re.compile(r"[0-9.]+")
_PORT = re.compile(r"[0-9]{1,5}")


class URLError(ValueError):
    """A panel URL that cannot be used; the message starts with the URL."""


@dataclasses.dataclass(frozen=True, slots=True)
class PanelURL:
    """A checked panel URL and the facts other checks need about it."""

    url: str  # scheme://host:port, lowercase, IPv6 literal in brackets
    host_family: str  # "ipv4" or "ipv6" for an IP literal, "auto" for a name
    port_written: bool  # False when the URL had no port and 8888 was assumed


def parse_panel_url(written: str) -> PanelURL:
    """Check a panel URL and return its normalised form.

    Raises URLError naming the problem and the fix.
    """
    # A query or fragment may carry a token, so messages never repeat them.
    visible = written.partition("#")[0].partition("?")[0]
    label = f"URL '{visible}'"
    if any(char.isspace() for char in written):
        raise URLError(f"{label} contains whitespace; remove it")
    scheme, separator, rest = written.partition("://")
    if not separator:
        raise URLError(
            f"{label} has no scheme; write it as 'https://HOST:PORT', or "
            "'http://HOST:PORT' for a panel without TLS"
        )
    scheme = scheme.lower()
    if scheme not in ("http", "https"):
        raise URLError(f"{label} has the scheme '{scheme}'; use https:// or http://")
    netloc, tail = _split_netloc(rest)
    if "@" in netloc:
        # The user info may hold a password, so the URL is not repeated.
        raise URLError(
            "URL contains user info before '@'; remove it, because the panel "
            "API authenticates with the key alone"
        )
    _check_tail(label, tail)
    host, port_text = _split_host_port(label, netloc)
    host, family = _normalise_host(label, host)
    port = _parse_port(label, port_text)
    url = f"{scheme}://{host}:{port or DEFAULT_PANEL_PORT}"

    return PanelURL(url=url, host_family=family, port_written=port is not None)


def _split_netloc(rest: str) -> tuple[str, str]:
    end = len(rest)
    for delimiter in "/?#":
        index = rest.find(delimiter)
        if index != -1:
            end = min(end, index)
    return rest[:end], rest[end:]


def _check_tail(label: str, tail: str) -> None:
    before_fragment, _, fragment = tail.partition("#")
    path, _, query = before_fragment.partition("?")
    if path not in ("", "/"):
        raise URLError(
            f"{label} has a path; the API lives at the panel root, so drop "
            f"'{path}' (a security entrance path is only for the browser login "
            "page)"
        )
    if query:
        raise URLError(f"{label} has a query after '?'; remove it")
    if fragment:
        raise URLError(f"{label} has a fragment after '#'; remove it")


def _split_host_port(label: str, netloc: str) -> tuple[str, str | None]:
    if netloc.startswith("["):
        host, bracket, after = netloc[1:].partition("]")
        if not bracket or (after and not after.startswith(":")):
            raise URLError(
                f"{label} has a malformed IPv6 address; write it as "
                "'https://[2001:db8::10]:8888'"
            )
        return f"[{host}]", after[1:] if after else None
    if netloc.count(":") > 1:
        raise URLError(
            f"{label} has an IPv6 address without brackets; write it as "
            "'https://[2001:db8::10]:8888'"
        )
    host, colon, port_text = netloc.partition(":")
    return host, port_text if colon else None


def _normalise_host(label: str, host: str) -> tuple[str, str]:
    if not host or host == "[]":
        raise URLError(f"{label} has no host; write it as 'https://HOST:PORT'")
    if host.startswith("["):
        try:
            address = ipaddress.IPv6Address(host[1:-1])
        except ValueError:
            raise URLError(
                f"{label} has an invalid IPv6 address '{host[1:-1]}'"
            ) from None
        return f"[{address.compressed}]", "ipv6"
    host = host.lower()
    if _ALL_DIGITS_AND_DOTS.fullmatch(host):
        try:
            return str(ipaddress.IPv4Address(host)), "ipv4"
        except ValueError:
            raise URLError(f"{label} has an invalid IPv4 address '{host}'") from None
    if not _HOST_NAME.fullmatch(host):
        raise URLError(
            f"{label} has an invalid host name '{host}'; use letters, digits, "
            "'-' and '.', with an internationalised name in its 'xn--' form"
        )
    return host, "auto"


def _parse_port(label: str, port_text: str | None) -> int | None:
    if port_text is None:
        return None
    if not _PORT.fullmatch(port_text) or not 1 <= int(port_text) <= 65535:
        raise URLError(
            f"{label} has an invalid port '{port_text}'; use a number from 1 to 65535"
        )
    return int(port_text)
