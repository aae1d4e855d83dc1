"""Bodies cut short, bodies too large to accept, and a huge site list."""

from __future__ import annotations

import asyncio
from pathlib import Path

from fleet.errors import ErrorKind
from fleet.inventory.loader import load_inventory
from fleet.operations.catalogue import CATALOGUE

from .processes import spec_server
from .support import (
    FAST_TIMEOUTS,
    SYSTEM,
    load_panels,
    make_spec,
    only_result,
    run_fleet,
    running,
)

MIB = 1024 * 1024
HUGE_BODY_BYTES = 60 * MIB
CAP_BYTES = 8 * MIB
# Four sites with 10 MB remarks make one getData page of about 40 MB.
HUGE_PAGE_SITES = 4
REMARK_BYTES = 10_000_000


class TestTruncated:
    async def test_truncated_body_retried(self, tmp_path: Path) -> None:
        """A body cut off before Content-Length is transient: 1 + retries attempts."""
        async with running([make_spec("p1", fault="truncated")]) as sim:
            panels = await load_panels(
                sim, tmp_path, {"timeouts": FAST_TIMEOUTS, "limits": {"retries": 1}}
            )
            outcome = await run_fleet(panels, SYSTEM)
            requests = sim.stats("p1").requests

        result = only_result(outcome, "p1")
        assert result.error_kind == ErrorKind.BAD_RESPONSE_TRUNCATED
        assert result.attempts == 2
        assert requests == 2


class TestTooLarge:
    async def test_rejected_before_all_is_read(self, tmp_path: Path) -> None:
        """A 60 MB response over an 8 MB cap fails long before the panel sent it all."""
        spec = make_spec("p1", fault="huge_body", huge_body_bytes=HUGE_BODY_BYTES)
        async with running([spec]) as sim:
            panels = await load_panels(
                sim,
                tmp_path,
                {"limits": {"max_response_bytes": CAP_BYTES, "retries": 2}},
            )
            outcome = await run_fleet(panels, SYSTEM)
            # Let the simulator notice the closed connection.
            await asyncio.sleep(0.1)
            sent = sim.stats("p1").body_bytes_sent

        result = only_result(outcome, "p1")
        assert result.error_kind == ErrorKind.BAD_RESPONSE_TOO_LARGE
        assert result.attempts == 1
        # Socket buffers let the panel get ahead of the reader, but only by MBs.
        assert sent < HUGE_BODY_BYTES // 2


class TestHugeSiteList:
    async def test_40_mb_page_parsed_off_the_loop(self, tmp_path: Path) -> None:
        """A 40 MB getData page is read and parsed without stalling the loop."""
        # The panel runs in another process, so the loop-lag watchdog measures
        # fleet alone. NOTE: json.loads in fleet's worker thread holds the GIL
        # for its whole run (about 50 ms for this page on an idle 2-core
        # machine), so heavy CPU load from other processes can push the
        # measured lag past the watchdog's limit.
        specs = [
            {
                "name": "big",
                "site_count": HUGE_PAGE_SITES,
                "overrides": {"site_remark_bytes": REMARK_BYTES},
            }
        ]
        async with spec_server(specs, tmp_path, max_seconds=60) as inventory:
            loaded = await asyncio.to_thread(load_inventory, inventory)
            outcome = await run_fleet(loaded.panels, [CATALOGUE["sites"]])

        result = only_result(outcome, "big")
        assert result.ok, result.error_message
        assert result.data["count"] == HUGE_PAGE_SITES
