"""The event loop every asynchronous benchmark process runs on."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

LoopFactory = Callable[[], asyncio.AbstractEventLoop]


def loop_factory() -> LoopFactory | None:
    """Return uvloop's loop factory when uvloop is installed, else None.

    ``fleet run`` makes the same choice, so fleet and the ceilings are always
    measured on the same loop.
    """
    try:
        import uvloop
    except ImportError:
        return None
    factory: LoopFactory = uvloop.new_event_loop

    return factory


def loop_name() -> str:
    """Return "uvloop" or "asyncio": the loop that ``loop_factory`` picks."""
    return "asyncio" if loop_factory() is None else "uvloop"
