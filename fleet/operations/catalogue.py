"""The catalogue of named operations and the generic ``call`` operation.

An operation sends one or more calls through a ``Call`` that the scheduler
supplies (already signed, limited and retried) and reduces the responses to the
facts a report needs, with secrets removed.
"""

from __future__ import annotations

import asyncio
import dataclasses
from collections.abc import Awaitable, Callable, Mapping
from types import MappingProxyType
from typing import Any

from fleet.errors import UsageError
from fleet.operations import facts
from fleet.operations.paging import fetch_all_rows
from fleet.operations.redact import redact

# Listings longer than this are reduced in a worker thread, so that a panel
# with tens of thousands of sites does not stall the event loop.
THREAD_ROWS = 2000

Call = Callable[[str, str, Mapping[str, str]], Awaitable[Any]]
Extract = Callable[[Any], Any]

# Actions that only read; ``fleet call`` sends anything else only with --write.
# GetDir and getData also record UI history on the panel, which is harmless.
READ_ACTIONS = frozenset(
    {
        "GetSystemTotal",
        "GetDiskInfo",
        "GetNetWork",
        "GetConcifInfo",
        "GetTaskCount",
        "getData",
        "GetPHPVersion",
        "GetSSL",
        "GetDirUserINI",
        "GetSiteDomains",
        "GetCrontab",
        "GetDir",
        "GetFileBody",
        "get_rules_list",
        "get_soft_list",
    }
)


@dataclasses.dataclass(frozen=True, slots=True)
class Operation:
    """One named unit of work run on each selected panel."""

    name: str
    route: str
    action: str
    description: str
    params: Mapping[str, str] = dataclasses.field(
        default_factory=lambda: MappingProxyType({})
    )
    write: bool = False
    paged: bool = False
    extract: Extract = facts.identity

    async def run(self, call: Call) -> Any:
        """Run the operation through ``call`` and return its redacted facts."""
        if self.paged:
            rows = await fetch_all_rows(call, self.route, self.action, self.params)
            if len(rows) > THREAD_ROWS:
                return await asyncio.to_thread(self.reduce, rows)
            return self.reduce(rows)
        payload = await call(self.route, self.action, self.params)

        return self.reduce(payload)

    def reduce(self, payload: Any) -> Any:
        # Redacting the extracted facts instead of the whole response gives the
        # same output, because extraction only copies fields, and it skips
        # walking the large parts that extraction drops.
        return redact(self.extract(payload))


CATALOGUE: Mapping[str, Operation] = MappingProxyType(
    {
        op.name: op
        for op in (
            Operation(
                "system",
                "/system",
                "GetSystemTotal",
                "panel version, OS, CPU count, memory and uptime",
                extract=facts.system_facts,
            ),
            Operation(
                "disks",
                "/system",
                "GetDiskInfo",
                "size, use and inodes of every mount",
                extract=facts.disk_facts,
            ),
            Operation(
                "network",
                "/system",
                "GetNetWork",
                "load average, CPU use, traffic and object counts",
                extract=facts.network_facts,
            ),
            Operation(
                "sites",
                "/data",
                "getData",
                "every site with status, PHP version and certificate expiry",
                params=MappingProxyType({"table": "sites"}),
                paged=True,
                extract=facts.site_facts,
            ),
        )
    }
)


def resolve_operations(names: list[str]) -> list[Operation]:
    """Look up catalogue operations by name, rejecting unknown or repeated ones."""
    if not names:
        raise UsageError(f"name at least one operation: {', '.join(CATALOGUE)}")
    unknown = [name for name in names if name not in CATALOGUE]
    if unknown:
        raise UsageError(
            f"unknown operation {unknown[0]!r}; choose from {', '.join(CATALOGUE)}, "
            "or use 'fleet call ROUTE ACTION' for any other endpoint"
        )
    if len(set(names)) != len(names):
        raise UsageError("each operation may be named once")

    return [CATALOGUE[name] for name in names]


def raw_call(
    route: str, action: str, params: Mapping[str, str], allow_write: bool
) -> Operation:
    """Build the operation behind ``fleet call``."""
    if not route.startswith("/"):
        route = "/" + route
    is_write = action not in READ_ACTIONS
    if is_write and not allow_write:
        raise UsageError(
            f"action {action!r} is not a known read and may change the panel; "
            "pass --write to send it anyway"
        )

    return Operation(
        name=f"{route.strip('/')}.{action}",
        route=route,
        action=action,
        description="raw call",
        params=MappingProxyType(dict(params)),
        write=is_write,
    )
