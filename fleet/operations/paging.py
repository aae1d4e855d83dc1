"""Follow every page of a ``/data getData`` listing.

The panel returns the row count only inside the pager HTML (``Pcount``), so
the loop reads that and stops when every row arrived or a page comes back
empty.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable, Mapping
from typing import Any

from fleet.errors import BadResponseError

Call = Callable[[str, str, Mapping[str, str]], Awaitable[Any]]

# BaoTa writes "共25条", aaPanel "Total 25".
_TOTAL = re.compile(r"Pcount'?\"?>\s*(?:共|Total\s*)(\d+)")
# A guard against a panel whose pager never ends; 2,000 pages of 20 rows.
MAX_PAGES = 2000


def total_rows(page_html: str) -> int | None:
    found = _TOTAL.search(page_html)
    return int(found.group(1)) if found else None


async def fetch_all_rows(
    call: Call, route: str, action: str, params: Mapping[str, str]
) -> list[Any]:
    """Return the rows of every page.

    NOTE: no ``limit`` is sent, because for the sites table the panel saves it
    as the administrator's page size in the UI. Pages use the panel's own size.
    """
    rows: list[Any] = []
    for page in range(1, MAX_PAGES + 1):
        envelope = await call(route, action, {**params, "p": str(page)})
        page_rows, total = check_envelope(envelope)
        rows.extend(page_rows)
        if not page_rows or total is None or len(rows) >= total:
            return rows

    raise BadResponseError(f"the listing did not end after {MAX_PAGES} pages")


def check_envelope(envelope: Any) -> tuple[list[Any], int | None]:
    """Return a page's rows and the total the pager states."""
    if isinstance(envelope, str):
        # getData turns a server-side exception into a traceback string.
        first_line = envelope.strip().splitlines()[-1:] or [""]
        raise BadResponseError(f"the panel failed the listing: {first_line[0][:200]}")
    if not isinstance(envelope, dict) or not isinstance(envelope.get("data"), list):
        raise BadResponseError(
            f"the listing has no 'data' list (got {type(envelope).__name__})"
        )
    page_html = envelope.get("page")

    return envelope["data"], total_rows(page_html) if isinstance(
        page_html, str
    ) else None
