"""IPv6 panels and a dual-stack name with a per-panel address family."""

from __future__ import annotations

from pathlib import Path

import pytest

from fleet.errors import ErrorKind

from .support import (
    SYSTEM,
    has_ipv6_loopback,
    load_panels,
    make_spec,
    only_result,
    resolves_to_both_families,
    run_fleet,
    running,
)

needs_ipv6 = pytest.mark.skipif(
    not has_ipv6_loopback(), reason="this machine cannot listen on ::1"
)
LOCALHOST_HAS_BOTH = resolves_to_both_families("localhost")


@needs_ipv6
class TestIPv6:
    async def test_panel_on_ipv6_loopback(self, tmp_path: Path) -> None:
        """A panel on ::1 is written with brackets and responds over IPv6."""
        async with running([make_spec("p6", host="::1")]) as sim:
            panels = await load_panels(sim, tmp_path)
            outcome = await run_fleet(panels, SYSTEM)
            by_address = sim.stats("p6").requests_by_address

        assert panels[0].url.startswith("http://[::1]:")
        assert only_result(outcome, "p6").ok
        assert dict(by_address) == {"::1": 1}


@needs_ipv6
class TestDualStack:
    async def test_ipv4_chosen(self, tmp_path: Path) -> None:
        """address_family ipv4 reaches localhost over 127.0.0.1 only."""
        async with running([make_spec("dual", dual_stack=True)]) as sim:
            panels = await load_panels(
                sim, tmp_path, panels={"dual": {"address_family": "ipv4"}}
            )
            outcome = await run_fleet(panels, SYSTEM)
            by_address = sim.stats("dual").requests_by_address

        assert panels[0].url.startswith("http://localhost:")
        assert only_result(outcome, "dual").ok
        assert dict(by_address) == {"127.0.0.1": 1}

    @pytest.mark.skipif(
        not LOCALHOST_HAS_BOTH, reason="localhost has no IPv6 address here"
    )
    async def test_ipv6_chosen(self, tmp_path: Path) -> None:
        """address_family ipv6 reaches localhost over ::1 only."""
        async with running([make_spec("dual", dual_stack=True)]) as sim:
            panels = await load_panels(
                sim, tmp_path, panels={"dual": {"address_family": "ipv6"}}
            )
            outcome = await run_fleet(panels, SYSTEM)
            by_address = sim.stats("dual").requests_by_address

        assert only_result(outcome, "dual").ok
        assert dict(by_address) == {"::1": 1}

    @pytest.mark.skipif(LOCALHOST_HAS_BOTH, reason="localhost has an IPv6 address")
    async def test_ipv6_without_address(self, tmp_path: Path) -> None:
        """address_family ipv6 on a name with only IPv4 addresses fails as dns."""
        async with running([make_spec("dual", dual_stack=True)]) as sim:
            panels = await load_panels(
                sim,
                tmp_path,
                {"limits": {"retries": 0}},
                {"dual": {"address_family": "ipv6"}},
            )
            outcome = await run_fleet(panels, SYSTEM)
            requests = sim.stats("dual").requests

        assert only_result(outcome, "dual").error_kind == ErrorKind.DNS
        assert requests == 0
