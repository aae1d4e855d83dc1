"""Keep the number of open sockets under the process's file-descriptor limit.

Each panel in progress may hold up to ``limits.concurrency`` connections, so a
high ``--concurrency`` under a low ``ulimit -n`` would fail with "too many open
files" half-way through a run. The soft limit is raised to the hard limit
first; if that is still too low, the concurrency is clamped with a warning.
"""

from __future__ import annotations

import logging
import resource

log = logging.getLogger(__name__)

# Descriptors kept free for the report files, logging, DNS and the loop itself.
RESERVED_DESCRIPTORS = 48


def raise_soft_limit() -> int:
    """Raise the soft descriptor limit to the hard one; return the soft limit."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if hard == resource.RLIM_INFINITY or soft >= hard:
        return soft
    try:
        resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    except (ValueError, OSError):
        return soft
    return hard


def clamp_concurrency(concurrency: int, connections_per_panel: int) -> int:
    """Return the largest concurrency whose sockets fit in the descriptor limit."""
    limit = raise_soft_limit()
    if limit == resource.RLIM_INFINITY:
        return concurrency
    fits = max(1, (limit - RESERVED_DESCRIPTORS) // max(1, connections_per_panel))
    if fits >= concurrency:
        return concurrency
    log.warning(
        "concurrency %d needs up to %d file descriptors but the limit is %d; "
        "using %d (raise it with 'ulimit -n')",
        concurrency,
        concurrency * connections_per_panel + RESERVED_DESCRIPTORS,
        limit,
        fits,
    )
    return fits
