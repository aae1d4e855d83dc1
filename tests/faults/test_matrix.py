"""The fault matrix: one panel per fault and 50 healthy ones in one fleet run."""

from __future__ import annotations

import dataclasses
import time
from pathlib import Path
from typing import Any

from fleet.errors import ErrorKind
from fleet.scheduling.scheduler import RunOptions
from fleet.simulator import PanelSpec
from fleet.simulator.spec import GATEWAY_STATUSES

from .support import (
    ALL_OPERATIONS,
    FAST_TIMEOUTS,
    Recorder,
    has_ipv6_loopback,
    load_panels,
    make_spec,
    run_fleet,
    running,
)

HEALTHY = 50
RETRIES = 1
RETRIED = 1 + RETRIES
# Everything but the hung panel ends within about 4 s (3 s measured on 2
# cores), so the deadline cuts off only the hung panel.
DEADLINE_S = 8.0
SKEW_S = 300
PROXY_ADDRESS = "198.51.100.7"
MIB = 1024 * 1024


@dataclasses.dataclass(frozen=True)
class Case:
    """One faulty panel: its spec, its inventory settings and what fleet reports.

    ``kind`` None means every operation succeeds. ``probe_attempts`` is the
    expected attempt count of the first operation, None when not checked.
    ``auth`` marks panels whose fault involves the signature check.
    """

    name: str
    spec: dict[str, Any]
    kind: ErrorKind | None
    probe_attempts: int | None = 1
    settings: dict[str, Any] = dataclasses.field(default_factory=dict)
    auth: bool = False


CASES: list[Case] = [
    # Auth: the probe fails once and nothing more is sent.
    Case("wrong-key", {"fault": "wrong_key"}, ErrorKind.AUTH_WRONG_KEY, auth=True),
    Case(
        "ip-json",
        {"fault": "ip_not_whitelisted"},
        ErrorKind.AUTH_IP_NOT_WHITELISTED,
        auth=True,
    ),
    Case(
        "ip-401",
        {"fault": "ip_not_whitelisted_401"},
        ErrorKind.AUTH_HTTP_401,
        auth=True,
    ),
    Case(
        "ip-proxy",
        {"fault": "ip_not_whitelisted", "seen_address": PROXY_ADDRESS},
        ErrorKind.AUTH_IP_NOT_WHITELISTED,
        auth=True,
    ),
    Case("locked", {"fault": "locked_out"}, ErrorKind.AUTH_LOCKED_OUT, auth=True),
    Case(
        "strict-clock",
        {"strict_clock_window": 60},
        ErrorKind.PANEL_REFUSED,
        auth=True,
    ),
    Case(
        "api-off-404",
        {"fault": "api_disabled"},
        ErrorKind.AUTH_API_DISABLED,
        auth=True,
    ),
    Case(
        "api-off-302",
        {"fault": "api_disabled", "flavour": "baota7"},
        ErrorKind.AUTH_API_DISABLED,
        auth=True,
    ),
    Case(
        "api-off-aapanel",
        {"fault": "api_disabled", "flavour": "aapanel8"},
        ErrorKind.AUTH_API_DISABLED,
        auth=True,
    ),
    # Bodies and labels.
    Case("bom", {"fault": "utf8_bom"}, None),
    Case("empty", {"fault": "empty_body"}, ErrorKind.BAD_RESPONSE_EMPTY),
    Case("gzip-label", {"fault": "gzip_mislabelled"}, ErrorKind.BAD_RESPONSE_ENCODING),
    Case("empty-encoding", {"fault": "empty_content_encoding"}, None),
    Case("json-as-html", {"fault": "json_as_html"}, None),
    Case("nginx-404", {"fault": "nginx_404"}, ErrorKind.BAD_RESPONSE_NOT_JSON),
    Case("plain-404", {"fault": "plain_404"}, ErrorKind.BAD_RESPONSE_NOT_JSON),
    # Proxies and CDNs.
    Case("cdn-challenge", {"fault": "cdn_challenge"}, ErrorKind.HTTP_STATUS),
    Case("gw-bad-gateway", {"fault": "bad_gateway"}, ErrorKind.HTTP_STATUS, RETRIED),
    *(
        Case(
            f"gw-{status}",
            {"fault": "gateway_error", "gateway_status": status},
            ErrorKind.HTTP_STATUS,
            RETRIED,
        )
        for status in GATEWAY_STATUSES
    ),
    # Slow and dead panels.
    Case(
        "slow-override",
        {"fault": "slow", "slow_seconds": 1.5},
        None,
        settings={"timeouts": {"read": 6}, "limits": {"concurrency": 4}},
    ),
    Case(
        "slow",
        {"fault": "slow", "slow_seconds": 1.5},
        ErrorKind.TIMEOUT_READ,
        RETRIED,
    ),
    Case(
        "connect-hole",
        {"fault": "connect_black_hole"},
        ErrorKind.TIMEOUT_CONNECT,
        RETRIED,
    ),
    Case("read-hole", {"fault": "black_hole"}, ErrorKind.TIMEOUT_READ, RETRIED),
    Case(
        "hung",
        {"fault": "black_hole"},
        ErrorKind.TIMEOUT_DEADLINE,
        None,
        settings={"timeouts": {"read": 60}},
    ),
    Case("reset", {"fault": "connection_reset"}, ErrorKind.CONNECT, RETRIED),
    # Sizes.
    Case(
        "truncated", {"fault": "truncated"}, ErrorKind.BAD_RESPONSE_TRUNCATED, RETRIED
    ),
    Case(
        "huge-body",
        {"fault": "huge_body"},
        ErrorKind.BAD_RESPONSE_TOO_LARGE,
        settings={"limits": {"max_response_bytes": 8 * MIB}},
    ),
    # Three sites with 1 MB remarks: a page fleet parses in a worker thread.
    Case("big-page", {"overrides": {"site_remark_bytes": MIB}}, None),
    # Addresses.
    Case("dual-stack", {"dual_stack": True}, None, settings={"address_family": "ipv4"}),
    # Cookies.
    Case("rotating", {"rotate_cookie_every": 1}, None),
    Case("same-cookie-a", {"cookie_name": "SESSIONID"}, None),
    Case("same-cookie-b", {"cookie_name": "SESSIONID"}, None),
]
if has_ipv6_loopback():
    CASES.append(Case("ipv6", {"host": "::1"}, None))


def build_specs() -> list[PanelSpec]:
    faulty = [make_spec(case.name, **case.spec) for case in CASES]
    healthy = [make_spec(f"healthy-{index:02d}") for index in range(HEALTHY)]
    return faulty + healthy


class TestFaultMatrix:
    async def test_every_fault_classified(self, tmp_path: Path) -> None:
        """Each fault ends as its kind, healthy panels succeed, one result each."""
        defaults = {"timeouts": FAST_TIMEOUTS, "limits": {"retries": RETRIES}}
        settings = {case.name: case.settings for case in CASES if case.settings}
        recorder = Recorder()
        options = RunOptions(deadline_s=DEADLINE_S, clock=lambda: time.time() + SKEW_S)
        async with running(build_specs()) as sim:
            panels = await load_panels(sim, tmp_path, defaults, settings)
            outcome = await run_fleet(panels, ALL_OPERATIONS, options, recorder)
            stats = {panel.name: panel.stats for panel in sim.panels}

        operations = len(ALL_OPERATIONS)
        keys = {(result.panel, result.operation) for result in outcome.results}
        assert len(outcome.results) == len(panels) * operations
        assert len(keys) == len(outcome.results)
        assert len(recorder.results) == len(outcome.results)
        assert outcome.stopped == ErrorKind.TIMEOUT_DEADLINE

        kinds = {
            case.name: {
                result.error_kind
                for result in outcome.results
                if result.panel == case.name
            }
            for case in CASES
        }
        assert kinds == {case.name: {case.kind} for case in CASES}

        probes = {
            result.panel: result.attempts
            for result in outcome.results
            if result.operation == ALL_OPERATIONS[0].name
        }
        checked = [case for case in CASES if case.probe_attempts is not None]
        assert {case.name: probes[case.name] for case in checked} == {
            case.name: case.probe_attempts for case in checked
        }

        healthy = [
            result for result in outcome.results if result.panel.startswith("healthy-")
        ]
        assert len(healthy) == HEALTHY * operations
        assert all(result.ok for result in healthy)

        auth_cases = [case.name for case in CASES if case.auth]
        over_one = [name for name in auth_cases if stats[name].auth_failures > 1]
        assert over_one == []

        sessions = [stats[f"same-cookie-{side}"].sessions_created for side in "ab"]
        assert sessions == [1, 1]

        proxy = [result for result in outcome.results if result.panel == "ip-proxy"]
        assert PROXY_ADDRESS in (proxy[0].error_message or "")
