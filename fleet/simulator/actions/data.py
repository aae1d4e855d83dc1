"""The ``/data`` route's ``getData``: table rows with search, order and paging.

The panel wraps the whole query in ``try``/``except`` and returns any error as
a traceback string with HTTP 200, so bad input here never gives the 404 page.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable

from fleet.simulator.actions.base import ActionContext
from fleet.simulator.actions.site import certificate_summary
from fleet.simulator.pager import DEFAULT_PARTS, PageRequest, page_offset, render_pager
from fleet.simulator.records import Backup, format_time

Row = dict[str, object]
_SEARCH_WORD = re.compile(r"[\w\x80-\xff.]+")
_QUOTA = {
    "used": 0,
    "size": 0,
    "quota_push": {"size": 0, "used": 0},
    "quota_storage": {"size": 0, "used": 0},
}
_SEARCH_FIELDS = {
    "sites": ("name", "status", "ps"),
    "ftps": ("name", "ps"),
    "databases": ("name", "ps"),
    "logs": ("username", "type", "log", "addtime"),
}
_INDEX_FILES = "index.php,index.html,index.htm,default.php,default.htm,default.html"
# Tables whose rows survive the ``list`` parameter; the panel's post-processing
# of the other tables fails on a bare list.
_LIST_SAFE_TABLES = frozenset({"logs"})


class QueryError(Exception):
    """A failure the panel catches and returns as a traceback string."""


def get_data(context: ActionContext) -> object:
    """Return one page of a table with the pager HTML (getData)."""
    try:
        return _query(context)
    except QueryError as exc:
        return (
            "Traceback (most recent call last):\n"
            '  File "/www/server/panel/class/data.py", in getData\n'
            f"{exc}\n"
        )


def _query(context: ActionContext) -> object:
    params = context.params
    table = params.get("table")
    if table is None:
        raise QueryError("AttributeError: 'dict_obj' object has no attribute 'table'")
    build_rows = _TABLES.get(table)
    if build_rows is None:
        raise QueryError(f"sqlite3.OperationalError: no such table: {table}")
    rows, where = _filter(context, table, build_rows(context))
    rows = _order(rows, params.get("order", "id desc"))
    if "list" in params:
        if table not in _LIST_SAFE_TABLES:
            raise QueryError("TypeError: list indices must be integers or slices")
        return rows

    return _page(context, table, rows, where)


def _page(context: ActionContext, table: str, rows: list[Row], where: str) -> Row:
    params = context.params
    limit = _int_param(params.get("limit"), 20)
    if limit <= 0:
        # NOTE: only 0 divides by zero on the panel. A negative limit is
        # rejected the same way here, although the panel's reply was not checked.
        raise QueryError("ZeroDivisionError: float division by zero")
    request = PageRequest(
        count=len(rows),
        limit=limit,
        # Page.GetPage treats 0 as page 1; negative pages are clamped as well.
        page=max(_int_param(params.get("p"), 1), 1),
        callback=params.get("tojs", ""),
        path=context.path,
        parts=params.get("result", DEFAULT_PARTS),
    )
    try:
        html = render_pager(request, context.panel.profile.pager)
    except KeyError as exc:
        raise QueryError(f"KeyError: {exc}") from None
    offset = page_offset(request)
    result: Row = {
        "auto_list": False,
        "where": where,
        "page": html,
        "data": rows[offset : offset + limit],
        "search_history": [],
    }
    if table == "sites":
        result["net_flow_type"] = _net_flow_types(context.texts.net_flow_labels)
        result["net_flow_info"] = {}

    return result


def _net_flow_types(labels: tuple[str, str, str, str]) -> list[Row]:
    total, week, day, hour = labels
    return [
        {"total_flow": total},
        {"7_day_total_flow": week},
        {"one_day_total_flow": day},
        {"one_hour_total_flow": hour},
    ]


def _int_param(text: str | None, default: int) -> int:
    if text is None:
        return default
    try:
        return int(text)
    except ValueError:
        raise QueryError(
            f"ValueError: invalid literal for int() with base 10: {text!r}"
        ) from None


def _filter(
    context: ActionContext, table: str, rows: list[Row]
) -> tuple[list[Row], str]:
    params = context.params
    where = 'LOWER(type) = LOWER("MySQL")' if table == "databases" else ""
    search = params.get("search", "")
    if table == "backup":
        # _select_backups applied the owner filter while building the rows.
        if search:
            where = f"pid=? and type='{params.get('type')}'"
        return rows, where
    if search:
        word = _SEARCH_WORD.search(search)
        if word is None:
            raise QueryError(
                "AttributeError: 'NoneType' object has no attribute 'group'"
            )
        rows = [row for row in rows if _matches(context, table, row, word.group())]
    site_type = params.get("type", "-1")
    if table == "sites" and site_type != "-1":
        type_id = _int_param(site_type, -1)
        rows = [row for row in rows if row["type_id"] == type_id]
        where = f"type_id={type_id}"

    return rows, where


def _select_backups(context: ActionContext) -> list[Backup]:
    # The owner id in ``search`` needs ``type`` (0 site, 1 database) beside it.
    backups = list(context.data.backups)
    search = context.params.get("search")
    if not search:
        return backups
    kind = context.params.get("type")
    if kind is None:
        raise QueryError("AttributeError: 'dict_obj' object has no attribute 'type'")
    pid = _int_param(search, 0)
    kind_id = _int_param(kind, 0)

    return [
        backup for backup in backups if backup.pid == pid and backup.kind == kind_id
    ]


def _matches(context: ActionContext, table: str, row: Row, word: str) -> bool:
    if str(row.get("id")) == word:
        return True
    if any(word in str(row.get(field, "")) for field in _SEARCH_FIELDS.get(table, ())):
        return True
    if table != "sites":
        return False
    # A site also matches through any of its domains.
    site = context.data.site_by_id(int(str(row["id"])))

    return site is not None and any(word in domain for domain in site.domains)


def _order(rows: list[Row], order: str) -> list[Row]:
    words = order.split()
    if not words or (rows and words[0] not in rows[0]):
        raise QueryError(f"sqlite3.OperationalError: no such column: {order!r}")
    column = words[0]
    descending = len(words) > 1 and words[1].lower() == "desc"

    return sorted(rows, key=lambda row: _sort_key(row[column]), reverse=descending)


def _sort_key(value: object) -> tuple[int, float, str]:
    # Numbers sort numerically and before text, as SQLite orders mixed columns.
    if isinstance(value, int | float) and not isinstance(value, bool):
        return (0, float(value), "")
    return (1, 0.0, str(value))


def _site_rows(context: ActionContext) -> list[Row]:
    data = context.data
    panel = context.panel
    texts = context.texts
    backup_counts = _backup_counts(context, kind=0)
    rows = []
    for site in data.sites:
        ssl: object = -1
        if site.ssl_days is not None:
            ssl = certificate_summary(site, data.built_at)
        php = texts.static_site if site.php == "00" else f"{site.php[0]}.{site.php[1:]}"
        rows.append(
            {
                "id": site.id,
                "name": site.name,
                "path": site.path,
                "status": "1" if panel.is_running(site) else "0",
                "index": _INDEX_FILES,
                "ps": site.ps,
                "addtime": format_time(site.added),
                "edate": "0000-00-00",
                "type_id": 0,
                "project_type": "PHP",
                "project_config": "{}",
                "rname": site.name,
                "stop": "",
                "backup_count": backup_counts[site.id],
                "quota": _QUOTA,
                "domain": len(site.domains),
                "ssl": ssl,
                "php_version": php,
                "net": {},
                "waf": {},
                "proxy": False,
                "redirect": False,
            }
        )

    return rows


def _ftp_rows(context: ActionContext) -> list[Row]:
    return [
        {
            "id": account.id,
            "pid": account.pid,
            "name": account.name,
            "password": account.password,
            "status": "1",
            "ps": account.ps,
            "addtime": format_time(account.added),
            "path": account.path,
            "quota": _QUOTA,
            "end_time": "0",
        }
        for account in context.data.ftps
    ]


def _database_rows(context: ActionContext) -> list[Row]:
    backup_counts = _backup_counts(context, kind=1)
    return [
        {
            "id": database.id,
            "pid": database.pid,
            "name": database.name,
            "username": database.name,
            "password": database.password,
            "accept": "127.0.0.1",
            "ps": database.ps,
            "addtime": format_time(database.added),
            "db_type": 0,
            "conn_config": {},
            "sid": 0,
            "type": "MySQL",
            "backup_count": backup_counts[database.id],
            "quota": _QUOTA,
        }
        for database in context.data.databases
    ]


def _backup_counts(context: ActionContext, kind: int) -> Counter[int]:
    return Counter(backup.pid for backup in context.data.backups if backup.kind == kind)


def _backup_rows(context: ActionContext) -> list[Row]:
    texts = context.texts
    return [
        {
            "id": backup.id,
            "pid": backup.pid,
            "name": backup.name,
            "filename": backup.filename,
            "addtime": format_time(backup.added),
            "size": backup.size,
            "ps": texts.backup_manual if backup.exists else texts.backup_missing,
            "cron_id": backup.cron_id,
            "local": backup.filename,
            "localexist": 1 if backup.exists else 0,
            "backup_status": 0,
        }
        for backup in _select_backups(context)
    ]


def _log_rows(context: ActionContext) -> list[Row]:
    return [
        {
            "id": entry.id,
            "uid": 1,
            "username": "admin",
            "type": entry.kind,
            "log": entry.text,
            "addtime": format_time(entry.added),
        }
        for entry in context.data.logs
    ]


def _firewall_rows(context: ActionContext) -> list[Row]:
    added = format_time(context.data.built_at - 400 * 86400)
    texts = context.texts
    return [
        {
            "id": 2,
            "port": str(context.panel.port),
            "ps": texts.firewall_panel,
            "addtime": added,
            "status": 1,
        },
        {
            "id": 1,
            "port": "39000-40000",
            "ps": texts.firewall_ftp,
            "addtime": added,
            "status": -1,
        },
    ]


_TABLES: dict[str, Callable[[ActionContext], list[Row]]] = {
    "sites": _site_rows,
    "ftps": _ftp_rows,
    "databases": _database_rows,
    "backup": _backup_rows,
    "logs": _log_rows,
    "firewall": _firewall_rows,
}
