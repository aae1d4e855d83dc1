"""Which failures may be retried, and the retry loop itself."""

from __future__ import annotations

import pytest

from fleet.errors import (
    AuthError,
    ConnectError,
    ErrorKind,
    HTTPStatusError,
    PanelError,
    PanelTimeoutError,
)
from fleet.scheduling import retry
from fleet.scheduling.retry import may_retry, retry_after_failure


@pytest.fixture(autouse=True)
def no_backoff(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(retry, "BACKOFF_FIRST_S", 0.0)
    monkeypatch.setattr(retry, "BACKOFF_JITTER_S", 0.0)


class TestMayRetry:
    def test_auth_is_never_retried(self) -> None:
        """Auth failures feed the lockout counter, so they are final."""
        assert not may_retry(AuthError("x", ErrorKind.AUTH_WRONG_KEY), is_write=False)

    def test_read_timeout_retried_for_reads_only(self) -> None:
        """A read timeout may be retried for a read but not for a write."""
        error = PanelTimeoutError("slow")
        assert may_retry(error, is_write=False)
        assert not may_retry(error, is_write=True)

    def test_refused_connection_retried_even_for_writes(self) -> None:
        """A refused connection sent nothing, so even a write may go again."""
        assert may_retry(ConnectError("refused"), is_write=True)

    def test_non_transient_status(self) -> None:
        """HTTP 500 is not retried."""
        assert not may_retry(HTTPStatusError("x", 500), is_write=False)


class TestRetryAfterFailure:
    async def test_retries_until_success(self) -> None:
        """The stored failure counts as the first attempt; later ones run."""
        calls = 0

        async def attempt() -> str:
            nonlocal calls
            calls += 1
            if calls < 2:
                raise PanelTimeoutError("slow")
            return "done"

        result = await retry_after_failure(
            PanelTimeoutError("first"), attempt, retries=2, is_write=False, label="t"
        )
        assert result == "done"
        assert calls == 2

    async def test_gives_up_after_retries(self) -> None:
        """After the allowed retries the last error is raised."""
        calls = 0

        async def attempt() -> str:
            nonlocal calls
            calls += 1
            raise PanelTimeoutError(f"slow {calls}")

        with pytest.raises(PanelError, match="slow 2"):
            await retry_after_failure(
                PanelTimeoutError("first"),
                attempt,
                retries=2,
                is_write=False,
                label="t",
            )
        assert calls == 2
