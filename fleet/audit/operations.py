"""Operations that only the audit needs: each site's certificate and backups.

Both list every site first and then send one call per site, all through the
``Call`` the scheduler supplies, so the per-panel concurrency, rate limit and
retries apply to every call. A panel with N sites costs N + 1 calls or more
for each of them (one more per extra page of backups).
"""

from __future__ import annotations

import asyncio
import calendar
import dataclasses
import time
from collections.abc import Callable, Coroutine
from typing import Any

from fleet.errors import PanelError
from fleet.operations.catalogue import CATALOGUE, Call, Operation
from fleet.operations.facts import as_int, expect_dict
from fleet.operations.paging import fetch_all_rows
from fleet.operations.redact import redact

SiteFetch = Callable[[Call, dict[str, Any]], Coroutine[Any, Any, dict[str, Any] | None]]

PANEL_TIME_FORMAT = "%Y-%m-%d %H:%M:%S"


@dataclasses.dataclass(frozen=True, slots=True)
class SiteSweep(Operation):
    """An operation that lists every site and then fetches one thing per site.

    ``fetch_site`` returns the facts of one site, or None when the site has
    nothing to report (for example no certificate). The first failed call
    cancels the rest and fails the whole operation with that call's error.
    """

    fetch_site: SiteFetch | None = None

    async def run(self, call: Call) -> Any:
        rows = await fetch_all_rows(call, "/data", "getData", {"table": "sites"})
        sites = [expect_dict(row, "getData site row") for row in rows]
        if self.fetch_site is None:
            raise ValueError(f"operation {self.name} has no fetch_site function")
        fetch = self.fetch_site
        try:
            async with asyncio.TaskGroup() as group:
                tasks = [group.create_task(fetch(call, site)) for site in sites]
        except ExceptionGroup as errors:
            raise first_panel_error(errors) from None

        return [task.result() for task in tasks if task.result() is not None]


def first_panel_error(errors: ExceptionGroup) -> BaseException:
    """Return the first ``PanelError`` inside a group, or the group itself."""
    matched, _rest = errors.split(PanelError)
    if matched is None:
        return errors
    first: BaseException = matched
    while isinstance(first, BaseExceptionGroup):
        first = first.exceptions[0]

    return first


async def fetch_certificate(call: Call, site: dict[str, Any]) -> dict[str, Any] | None:
    name = str(site.get("name", ""))
    answer = await call("/site", "GetSSL", {"siteName": name})

    return certificate_facts(name, redact(answer))


def certificate_facts(site: str, answer: Any) -> dict[str, Any] | None:
    """Reduce a GetSSL answer to the certificate's expiry, or None without one."""
    data = expect_dict(answer, "GetSSL")
    cert = data.get("cert_data")
    if data.get("status") is not True or not isinstance(cert, dict) or not cert:
        return None

    return {
        "site": site,
        "not_after": str(cert.get("notAfter", "")),
        "days_left": as_int(cert.get("endtime")),
        "issuer": str(cert.get("issuer_O") or cert.get("issuer") or ""),
    }


async def fetch_backups(call: Call, site: dict[str, Any]) -> dict[str, Any] | None:
    # ``type`` 0 selects site backups; the panel requires it beside ``search``.
    params = {"table": "backup", "search": str(site.get("id", "")), "type": "0"}
    rows = await fetch_all_rows(call, "/data", "getData", params)

    return backup_facts(str(site.get("name", "")), rows)


def backup_facts(site: str, rows: list[Any]) -> dict[str, Any]:
    """Count a site's backups and find the newest one whose file still exists.

    NOTE: a row with ``localexist`` 0 is skipped as missing, although a backup
    that a cron job moved to remote storage also has no local file.
    """
    newest: float | None = None
    for row in rows:
        backup = expect_dict(row, "getData backup row")
        if backup.get("localexist", 1) in (0, "0"):
            continue
        added = parse_panel_time(backup.get("addtime"))
        if added is not None and (newest is None or added > newest):
            newest = added

    return {"site": site, "count": len(rows), "newest_at": newest}


def parse_panel_time(text: Any) -> float | None:
    """Parse the panel's ``YYYY-MM-DD HH:MM:SS`` into epoch seconds.

    NOTE: panels write the server's local time without a zone; it is read as
    UTC here, so an age can be off by the server's UTC offset (under a day).
    """
    try:
        parsed = time.strptime(str(text), PANEL_TIME_FORMAT)
    except ValueError:
        return None

    return float(calendar.timegm(parsed))


CERTIFICATES = SiteSweep(
    "certificates",
    "/site",
    "GetSSL",
    "every site's certificate expiry (one GetSSL call per site)",
    fetch_site=fetch_certificate,
)
BACKUPS = SiteSweep(
    "backups",
    "/data",
    "getData",
    "every site's newest backup (one backup listing per site)",
    fetch_site=fetch_backups,
)

# What an audit runs on each panel, in this order; ``system`` goes first on
# the panel anyway, because its answer names the panel's flavour and version.
AUDIT_OPERATIONS: tuple[Operation, ...] = (
    CATALOGUE["system"],
    CATALOGUE["disks"],
    CATALOGUE["network"],
    CATALOGUE["sites"],
    CERTIFICATES,
    BACKUPS,
)
