"""Log output of the simulator never carries keys or tokens."""

from __future__ import annotations

import logging

import pytest

from fleet.simulator import SimulatedFleet, build_specs

from .helpers import call, client, md5_hex


class TestLogging:
    async def test_no_key_in_logs(self, caplog: pytest.LogCaptureFixture) -> None:
        """Start, calls of every outcome and shutdown log no key and no md5 token."""
        caplog.set_level(logging.DEBUG)
        specs = build_specs(4, faults={"wrong_key": 1, "ip_not_whitelisted": 1})
        async with SimulatedFleet(specs) as sim, client() as http:
            for panel in sim.panels:
                await call(http, panel, "/system", "GetSystemTotal")
                await call(
                    http, panel, "/system", "GetSystemTotal", key=panel.inventory_key
                )
                await call(http, panel, "/data", "getData", fields={"table": "ftps"})
                await call(http, panel, "/ajax", "Nope")

        text = caplog.text
        assert "started 4 simulated panels" in text
        assert "panel sim-0001: POST /system -> 200" in text
        for spec in specs:
            assert spec.key not in text
            assert md5_hex(spec.key) not in text
