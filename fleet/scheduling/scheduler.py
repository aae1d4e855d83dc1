"""Run operations over many panels concurrently.

A fixed pool of workers takes panels from a queue, so the number of open
sessions follows the concurrency, not the size of the fleet, and a slow or
dead panel ties up one worker while the others go on. Whatever is unfinished
when the deadline passes or the run is stopped still gets a result.
"""

from __future__ import annotations

import asyncio
import dataclasses
import logging
import time
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from fleet.errors import ErrorKind
from fleet.inventory.model import Panel
from fleet.operations.catalogue import Operation
from fleet.report.model import Result
from fleet.scheduling.fdlimit import clamp_concurrency
from fleet.scheduling.panel_job import PanelJob
from fleet.signing import Clock
from fleet.transport.client import PanelClient
from fleet.transport.cookie_store import CookieStore

log = logging.getLogger(__name__)

# Requests in flight over the fleet. Each panel still gets at most its own
# limits.concurrency, so a high value only spreads the work over more panels.
DEFAULT_CONCURRENCY = 256


@dataclasses.dataclass(frozen=True, slots=True)
class RunOptions:
    """Settings of one run that apply to the whole fleet."""

    concurrency: int = DEFAULT_CONCURRENCY  # requests in flight, all panels
    deadline_s: float | None = None
    clock: Clock = time.time
    cookie_store: CookieStore | None = None  # None: cookies live for one run


@dataclasses.dataclass(slots=True)
class RunOutcome:
    """The results of a run and why it ended early, if it did."""

    results: list[Result]
    stopped: ErrorKind | None = None


class Scheduler:
    """Fans operations out over panels and collects exactly one result each."""

    def __init__(
        self,
        panels: Sequence[Panel],
        operations: Sequence[Operation],
        options: RunOptions = RunOptions(),
        on_result: Callable[[Result], None] | None = None,
    ) -> None:
        self.panels = panels
        self.operations = operations
        self.options = options
        self.on_result = on_result
        self.results: dict[tuple[str, str], Result] = {}
        self.stop_requested = asyncio.Event()
        per_panel = max((p.limits.concurrency for p in panels), default=1)
        self.concurrency = clamp_concurrency(options.concurrency, per_panel)
        self.global_gate = asyncio.Semaphore(self.concurrency)

    def stop(self) -> None:
        """Ask the run to end now; unfinished work is marked cancelled."""
        self.stop_requested.set()

    def record(self, result: Result) -> None:
        key = (result.panel, result.operation)
        if key in self.results:
            return
        self.results[key] = result
        if self.on_result is not None:
            self.on_result(result)

    def carry_over(self, earlier: Iterable[Result]) -> None:
        """Keep earlier successful results, so only the rest is sent again."""
        wanted = {(p.name, op.name) for p in self.panels for op in self.operations}
        for result in earlier:
            if result.ok and (result.panel, result.operation) in wanted:
                self.record(result)

    def pending_operations(self, panel: Panel) -> list[Operation]:
        return [
            op for op in self.operations if (panel.name, op.name) not in self.results
        ]

    async def run(self) -> RunOutcome:
        queue: asyncio.Queue[Panel] = asyncio.Queue()
        for panel in self.panels:
            if self.pending_operations(panel):
                queue.put_nowait(panel)
        workers = [
            asyncio.create_task(self.work(queue))
            for _ in range(min(self.concurrency, queue.qsize()))
        ]
        stopped = await self.wait_for(workers)
        await cancel_all(workers)
        self.fill_unfinished(stopped or ErrorKind.CANCELLED)

        return RunOutcome(self.ordered_results(), stopped)

    def ordered_results(self) -> list[Result]:
        """Return the results in inventory order, then operation order."""
        return [
            self.results[(panel.name, operation.name)]
            for panel in self.panels
            for operation in self.operations
        ]

    async def wait_for(self, workers: list[asyncio.Task[None]]) -> ErrorKind | None:
        """Wait for the workers, the deadline or a stop request, whichever is first."""
        all_done: asyncio.Future[Any] = asyncio.gather(*workers)
        # A cancelled gather ends with a CancelledError exception; reading it
        # here keeps asyncio from logging it as never retrieved.
        all_done.add_done_callback(consume_exception)
        stop_waiter: asyncio.Future[Any] = asyncio.ensure_future(
            self.stop_requested.wait()
        )
        try:
            async with asyncio.timeout(self.options.deadline_s):
                await asyncio.wait(
                    [all_done, stop_waiter],
                    return_when=asyncio.FIRST_COMPLETED,
                )
        except TimeoutError:
            log.warning("run deadline of %s s passed", self.options.deadline_s)
            return ErrorKind.TIMEOUT_DEADLINE
        finally:
            stop_waiter.cancel()
            if not all_done.done():
                all_done.cancel()
        if all_done.done():
            all_done.result()  # re-raise a bug in a worker rather than hide it
            return None

        return ErrorKind.CANCELLED

    async def work(self, queue: asyncio.Queue[Panel]) -> None:
        def others_waiting() -> bool:
            return not queue.empty()

        while not queue.empty():
            panel = queue.get_nowait()
            client = PanelClient(panel, self.options.clock, self.options.cookie_store)
            operations = self.pending_operations(panel)
            async with client:
                job = PanelJob(
                    client, operations, self.global_gate, self.record, others_waiting
                )
                await job.run()

    def fill_unfinished(self, reason: ErrorKind) -> None:
        """Give every panel and operation without a result one that states why."""
        message = {
            ErrorKind.TIMEOUT_DEADLINE: "not finished before the run deadline",
            ErrorKind.CANCELLED: "not finished: the run was stopped",
        }.get(reason, "not finished")
        now = time.time()
        for panel in self.panels:
            for operation in self.operations:
                if (panel.name, operation.name) in self.results:
                    continue
                self.record(
                    Result(
                        panel=panel.name,
                        url=panel.url,
                        operation=operation.name,
                        ok=False,
                        attempts=0,
                        duration_s=0.0,
                        started_at=now,
                        error_kind=reason.value,
                        error_message=message,
                    )
                )


def consume_exception(future: asyncio.Future[Any]) -> None:
    if not future.cancelled():
        future.exception()


async def cancel_all(tasks: list[asyncio.Task[None]]) -> None:
    for task in tasks:
        task.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)
