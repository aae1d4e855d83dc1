"""When a failed call may be sent again, and how long to wait first.

Auth failures are never retried: each one feeds the panel's lockout counter,
which blocks this host's address for an hour after 20. A call that may change
state is resent only when none of its bytes left this host.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from tenacity import (
    AsyncRetrying,
    RetryCallState,
    retry_if_exception,
    stop_after_attempt,
    wait_exponential_jitter,
)

from fleet.errors import AuthError, PanelError

log = logging.getLogger(__name__)

T = TypeVar("T")

BACKOFF_FIRST_S = 0.5
BACKOFF_MAX_S = 8.0
BACKOFF_JITTER_S = 0.5


def may_retry(error: BaseException, is_write: bool) -> bool:
    """Tell whether ``error`` allows sending the same call again."""
    if not isinstance(error, PanelError) or isinstance(error, AuthError):
        return False
    if is_write:
        return error.before_send

    return error.retryable


async def retry_after_failure(
    first_error: PanelError,
    attempt: Callable[[], Awaitable[T]],
    retries: int,
    is_write: bool,
    label: str,
) -> T:
    """Retry ``attempt`` with backoff after its first try failed with ``first_error``.

    The first try runs outside tenacity because building a retry loop costs
    more than a loopback request; tenacity replays the stored failure as its
    own first attempt, so its backoff, stop rule and logging apply unchanged.
    """
    pending: list[PanelError] = [first_error]

    async def replay_then_attempt() -> T:
        if pending:
            raise pending.pop()
        return await attempt()

    retryer = AsyncRetrying(
        stop=stop_after_attempt(retries + 1),
        wait=wait_exponential_jitter(
            multiplier=BACKOFF_FIRST_S, max=BACKOFF_MAX_S, jitter=BACKOFF_JITTER_S
        ),
        retry=retry_if_exception(lambda exc: may_retry(exc, is_write)),
        before_sleep=lambda state: log_retry(state, label),
        reraise=True,
    )
    result: T = await retryer(replay_then_attempt)

    return result


def log_retry(state: RetryCallState, label: str) -> None:
    error: Any = state.outcome.exception() if state.outcome else None
    delay = state.next_action.sleep if state.next_action else 0.0
    log.warning(
        "%s: attempt %d failed (%s: %s), retrying in %.1f s",
        label,
        state.attempt_number,
        getattr(error, "kind", type(error).__name__),
        error,
        delay,
    )
