"""The description of one simulated panel: identity, flavour, fault and data seed."""

from __future__ import annotations

import dataclasses
import ipaddress
import re
from collections.abc import Mapping
from types import MappingProxyType
from typing import Literal, get_args

from fleet.simulator.overrides import DataOverrides, parse_overrides

Flavour = Literal["baota11", "baota7", "aapanel8"]
FLAVOURS: tuple[Flavour, ...] = get_args(Flavour)

FaultName = Literal[
    "wrong_key",
    "ip_not_whitelisted",
    "ip_not_whitelisted_401",
    "api_disabled",
    "slow",
    "black_hole",
    "connection_reset",
    "bad_gateway",
    "truncated",
    "locked_out",
    "utf8_bom",
    "empty_body",
    "gzip_mislabelled",
    "empty_content_encoding",
    "json_as_html",
    "nginx_404",
    "plain_404",
    "cdn_challenge",
    "gateway_error",
    "connect_black_hole",
    "huge_body",
]
FAULTS: tuple[FaultName, ...] = get_args(FaultName)

# Faults served by a raw asyncio protocol, because aiohttp always sends a
# complete, well-formed response.
RAW_FAULTS: frozenset[str] = frozenset({"black_hole", "connection_reset", "truncated"})

# Faults that change the body or headers of a successful handler result.
BODY_FAULTS: frozenset[str] = frozenset(
    {
        "utf8_bom",
        "empty_body",
        "gzip_mislabelled",
        "empty_content_encoding",
        "json_as_html",
    }
)

# Faults whose response comes from whatever sits in front of the panel
# (nginx, a CDN, a gateway) before the request reaches the panel's checks.
FRONT_FAULTS: frozenset[str] = frozenset(
    {"bad_gateway", "nginx_404", "plain_404", "cdn_challenge", "gateway_error"}
)

# Statuses a gateway or CDN sends when the panel behind it fails: nginx's
# 502-504 and Cloudflare's 520-524.
GATEWAY_STATUSES: tuple[int, ...] = (502, 503, 504, 520, 521, 522, 523, 524)

DEFAULT_WHITELIST: tuple[str, ...] = ("127.0.0.1", "::1")

# A documentation address (RFC 5737) that no loopback client can have, used as
# the whole whitelist of panels whose fault rejects the client's IP.
FOREIGN_WHITELIST: tuple[str, ...] = ("203.0.113.10",)

_NAME_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")
_KEY_PATTERN = re.compile(r"^[A-Za-z0-9]{32}$")
_COOKIE_NAME_PATTERN = re.compile(r"^[A-Za-z0-9_]+$")
_MAX_SITES = 10_000
DEFAULT_HUGE_BODY_BYTES = 60 * 1024 * 1024


@dataclasses.dataclass(frozen=True, slots=True)
class PanelSpec:
    """One simulated panel; its data is deterministic from name, seed and overrides.

    ``latency`` is server-side think time in seconds added before every
    response. ``strict_clock_window`` is a simulator extension that real panels
    do not have: when set, a correctly signed request whose ``request_time`` is
    more than that many seconds away from the simulator clock is rejected.
    ``rotate_cookie_every`` issues a new session cookie value every N successful
    calls on the same session.

    ``seen_address`` is the TCP peer address the panel uses in place of the
    real one, as when a reverse proxy or NAT sits in front of it.
    ``cookie_name`` replaces the md5-derived session cookie name with a fixed
    one, as BaoTa 7.5 and older used (``BT_PANEL_6``, ``SESSIONID``).
    ``gateway_status`` is the status the ``gateway_error`` fault sends, and
    ``huge_body_bytes`` the body size the ``huge_body`` fault streams.
    ``dual_stack`` also listens on ::1 at the same port and names the panel
    ``localhost`` in its URL, so the client's resolver picks the family; it
    needs ``host`` 127.0.0.1.
    """

    name: str
    key: str = dataclasses.field(repr=False)
    host: str = "127.0.0.1"
    port: int = 0
    flavour: Flavour = "baota11"
    fault: FaultName | None = None
    whitelist: tuple[str, ...] = DEFAULT_WHITELIST
    latency: float = 0.0
    site_count: int = 3
    seed: int = 0
    overrides: Mapping[str, object] = dataclasses.field(
        default_factory=lambda: MappingProxyType({})
    )
    slow_seconds: float = 3.0
    strict_clock_window: float | None = None
    session_lifetime: float = 86400.0
    rotate_cookie_every: int | None = None
    seen_address: str | None = None
    cookie_name: str | None = None
    gateway_status: int = 502
    huge_body_bytes: int = DEFAULT_HUGE_BODY_BYTES
    dual_stack: bool = False
    data_overrides: DataOverrides = dataclasses.field(
        init=False, repr=False, compare=False
    )

    def __post_init__(self) -> None:
        check_name(self.name)
        check_key(self.name, self.key)
        object.__setattr__(self, "host", normalize_loopback_host(self.name, self.host))
        self._check_choices()
        self._check_numbers()
        self._check_network_options()
        object.__setattr__(self, "whitelist", tuple(self.whitelist))
        frozen_overrides = MappingProxyType(dict(self.overrides))
        object.__setattr__(self, "overrides", frozen_overrides)
        parsed = parse_overrides(self.name, frozen_overrides)
        object.__setattr__(self, "data_overrides", parsed)

    @property
    def effective_whitelist(self) -> tuple[str, ...]:
        """The whitelist the panel applies, after its fault profile."""
        if self.fault in ("ip_not_whitelisted", "ip_not_whitelisted_401"):
            return FOREIGN_WHITELIST
        return self.whitelist

    @property
    def response_delay(self) -> float:
        """Seconds the panel waits before each response."""
        if self.fault == "slow":
            return self.latency + self.slow_seconds
        return self.latency

    def _check_choices(self) -> None:
        if self.flavour not in FLAVOURS:
            raise ValueError(
                f"panel {self.name}: unknown flavour {self.flavour!r}; "
                f"use one of {', '.join(FLAVOURS)}"
            )
        if self.fault is not None and self.fault not in FAULTS:
            raise ValueError(
                f"panel {self.name}: unknown fault {self.fault!r}; "
                f"use one of {', '.join(FAULTS)} or None"
            )

    def _check_numbers(self) -> None:
        check_range(self.name, "port", self.port, 0, 65535)
        check_range(self.name, "site_count", self.site_count, 0, _MAX_SITES)
        check_range(self.name, "latency", self.latency, 0, None)
        check_range(self.name, "slow_seconds", self.slow_seconds, 0, None)
        check_range(self.name, "session_lifetime", self.session_lifetime, 1, None)
        if self.strict_clock_window is not None:
            check_range(
                self.name, "strict_clock_window", self.strict_clock_window, 0, None
            )
        if self.rotate_cookie_every is not None:
            check_range(
                self.name, "rotate_cookie_every", self.rotate_cookie_every, 1, None
            )
        check_range(self.name, "huge_body_bytes", self.huge_body_bytes, 0, None)
        if self.gateway_status not in GATEWAY_STATUSES:
            statuses = ", ".join(str(status) for status in GATEWAY_STATUSES)
            raise ValueError(
                f"panel {self.name}: 'gateway_status' must be one of {statuses}, "
                f"got {self.gateway_status}"
            )

    def _check_network_options(self) -> None:
        if self.seen_address is not None:
            try:
                ipaddress.ip_address(self.seen_address)
            except ValueError:
                raise ValueError(
                    f"panel {self.name}: 'seen_address' {self.seen_address!r} is "
                    "not an IP address"
                ) from None
        if self.cookie_name is not None and not _COOKIE_NAME_PATTERN.match(
            self.cookie_name
        ):
            raise ValueError(
                f"panel {self.name}: 'cookie_name' {self.cookie_name!r} is invalid; "
                "use ASCII letters, digits and '_'"
            )
        if self.dual_stack and self.host != "127.0.0.1":
            raise ValueError(
                f"panel {self.name}: 'dual_stack' needs host 127.0.0.1, got "
                f"{self.host!r}, because the URL names localhost"
            )


def check_name(name: str) -> None:
    """Raise ValueError unless the panel name is usable in file and variable names."""
    if not _NAME_PATTERN.match(name):
        raise ValueError(
            f"panel name {name!r} is invalid; use letters, digits, '.', '_' "
            "and '-', starting with a letter or digit"
        )


def check_key(name: str, key: str) -> None:
    """Raise ValueError unless the key has the panel's format, 32 letters or digits."""
    if not _KEY_PATTERN.match(key):
        # The key itself stays out of the message, as every secret does.
        raise ValueError(
            f"panel {name}: the API key must be 32 ASCII letters or digits, "
            f"got {len(key)} characters"
        )


def check_range(
    name: str, field: str, value: float, minimum: float, maximum: float | None
) -> None:
    """Raise ValueError when a numeric setting is outside [minimum, maximum]."""
    if value < minimum or (maximum is not None and value > maximum):
        upper = "" if maximum is None else f" and <= {maximum}"
        raise ValueError(
            f"panel {name}: '{field}' must be >= {minimum}{upper}, got {value}"
        )


def normalize_loopback_host(name: str, host: str) -> str:
    """Return the canonical form of a loopback IP, or raise ValueError for others."""
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        raise ValueError(
            f"panel {name}: host {host!r} is not an IP address; the simulator "
            "binds loopback addresses only, so use 127.0.0.1 or ::1"
        ) from None
    if not address.is_loopback:
        raise ValueError(
            f"panel {name}: host {host!r} is not a loopback address; the "
            "simulator binds only 127.0.0.0/8 and ::1"
        )

    return str(address)
