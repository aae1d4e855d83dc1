"""All operations of one run on one panel.

The first call to a panel goes alone, because it creates the session cookie
that the following calls reuse. If the key or whitelist is wrong, it is also
the only failed check the panel counts, since every later call is skipped.
The other operations run together when no other panel waits for a worker,
and one after another when some do.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from aiolimiter import AsyncLimiter

from fleet.errors import AuthError, ErrorKind, PanelError
from fleet.inventory.model import Panel
from fleet.operations.catalogue import Operation
from fleet.report.model import Result
from fleet.scheduling.retry import may_retry, retry_after_failure
from fleet.transport.client import PanelClient

log = logging.getLogger(__name__)

RecordResult = Callable[[Result], None]


def rate_limiter(rate: float) -> AsyncLimiter:
    """Return a limiter of ``rate`` requests per second, bursting one second's worth."""
    burst = max(1.0, rate)
    return AsyncLimiter(burst, burst / rate)


# Kinds that mean the panel cannot be reached at all.
UNREACHABLE_KINDS = frozenset(
    {
        ErrorKind.DNS,
        ErrorKind.CONNECT,
        ErrorKind.TLS,
        ErrorKind.TIMEOUT_CONNECT,
        ErrorKind.TIMEOUT_READ,
    }
)

# The operation whose response names the panel's flavour and version. It goes
# first, so every later result of the panel carries both.
IDENTITY_OPERATION = "system"


def probe_first(operations: Sequence[Operation]) -> list[Operation]:
    """Order operations so the identity operation, if requested, runs first."""
    return sorted(operations, key=lambda op: op.name != IDENTITY_OPERATION)


class PanelJob:
    """Runs the requested operations on one panel and records one result each."""

    def __init__(
        self,
        client: PanelClient,
        operations: Sequence[Operation],
        global_gate: asyncio.Semaphore,
        record: RecordResult,
        others_waiting: Callable[[], bool] = lambda: False,
    ) -> None:
        self.client = client
        self.panel: Panel = client.panel
        self.operations = operations
        self.global_gate = global_gate
        self.record = record
        self.others_waiting = others_waiting
        self.panel_gate = asyncio.Semaphore(self.panel.limits.concurrency)
        self.limiter = rate_limiter(self.panel.limits.rate)
        # Set once the panel must get no more calls in this run.
        self.halt: PanelError | None = None
        self.flavour: str | None = None
        self.version: str | None = None

    async def run(self) -> None:
        first, *rest = probe_first(self.operations)
        failure = await self.run_operation(first)
        if failure is not None and failure.kind in UNREACHABLE_KINDS:
            # The first call already spent its retries on a dead host; the
            # other operations would only wait out the same timeouts.
            self.halt = self.halt or failure
        if not rest:
            return
        if self.others_waiting():
            # Every worker has a panel, so one call per worker already fills
            # the fleet-wide limit. One operation at a time then reuses the
            # keep-alive connection instead of opening a second one (with a
            # second handshake on HTTPS). In scripts/bench's 1,000-panel job
            # at 0 ms, this took a quarter off the bare-aiohttp ceiling's time.
            for operation in rest:
                await self.run_operation(operation)
        else:
            await asyncio.gather(*(self.run_operation(op) for op in rest))

    async def run_operation(self, operation: Operation) -> PanelError | None:
        started_wall = time.time()
        started = time.perf_counter()
        counter = AttemptCounter(self, operation)
        data: Any = None
        failure: PanelError | None = None
        try:
            data = await operation.run(counter.call)
            self.note_identity(operation, data)
        except PanelError as error:
            failure = error
        except Exception:
            log.exception(
                "panel %s: %s hit a bug in fleet", self.panel.name, operation.name
            )
            failure = PanelError(
                "internal error in fleet; see the log", ErrorKind.INTERNAL
            )
        duration = time.perf_counter() - started
        self.record(
            Result(
                panel=self.panel.name,
                url=self.panel.url,
                operation=operation.name,
                ok=failure is None,
                attempts=counter.attempts,
                duration_s=duration,
                started_at=started_wall,
                error_kind=failure.kind.value if failure else None,
                error_message=failure.message if failure else None,
                sessions_created=counter.sessions_created,
                panel_flavour=self.flavour,
                panel_version=self.version,
                data=data,
            )
        )
        return failure

    def note_identity(self, operation: Operation, data: Any) -> None:
        if operation.name == IDENTITY_OPERATION and isinstance(data, dict):
            self.flavour = data.get("flavour")
            self.version = data.get("version")

    async def send(
        self,
        route: str,
        action: str,
        params: Mapping[str, str],
        counter: AttemptCounter,
    ) -> Any:
        """Send one attempt through the global, per-panel and rate limits."""
        self.check_not_halted()
        async with self.global_gate, self.panel_gate:
            await self.limiter.acquire()
            # Another operation may have failed auth while this one waited.
            self.check_not_halted()
            counter.attempts += 1
            try:
                payload, new_session = await self.client.call(route, action, params)
            except AuthError as error:
                self.halt = self.halt or error
                raise
        counter.sessions_created += new_session

        return payload

    def check_not_halted(self) -> None:
        """Raise instead of sending once the panel failed auth or was unreachable."""
        if self.halt is None:
            return
        cause = self.halt
        message = f"not sent: an earlier call to this panel failed ({cause.message})"
        if isinstance(cause, AuthError):
            raise AuthError(message, cause.kind)
        raise PanelError(message, cause.kind)


class AttemptCounter:
    """The ``Call`` handed to an operation: counts attempts and applies retries."""

    def __init__(self, job: PanelJob, operation: Operation) -> None:
        self.job = job
        self.operation = operation
        self.attempts = 0
        self.sessions_created = 0

    async def call(self, route: str, action: str, params: Mapping[str, str]) -> Any:
        try:
            return await self.job.send(route, action, params, self)
        except PanelError as error:
            retries = self.job.panel.limits.retries
            if retries <= 0 or not may_retry(error, self.operation.write):
                raise
            first_error = error

        async def attempt() -> Any:
            return await self.job.send(route, action, params, self)

        label = f"panel {self.job.panel.name}: {self.operation.name}"
        return await retry_after_failure(
            first_error, attempt, retries, self.operation.write, label
        )
