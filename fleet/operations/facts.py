"""Reduce panel responses to the facts a report and an audit need.

Shapes differ between versions: BaoTa 11 reports disk sizes in bytes
(``byte_size``), while aaPanel and BaoTa 7 pass ``df -h`` strings such as
``"40G"``. Each extractor accepts both and skips what it cannot read rather
than failing the whole operation.
"""

from __future__ import annotations

import re
from typing import Any

from fleet.errors import BadResponseError

_SIZE = re.compile(r"^\s*([\d.]+)\s*([KMGTP]?)(?:i?B)?\s*$", re.IGNORECASE)
_UNITS = {"": 1, "K": 1 << 10, "M": 1 << 20, "G": 1 << 30, "T": 1 << 40, "P": 1 << 50}


def identity(payload: Any) -> Any:
    return payload


def expect_dict(payload: Any, what: str) -> dict[str, Any]:
    if not isinstance(payload, dict):
        raise BadResponseError(
            f"{what}: expected an object, got {type(payload).__name__}"
        )
    return payload


def expect_list(payload: Any, what: str) -> list[Any]:
    if not isinstance(payload, list):
        kind = type(payload).__name__
        raise BadResponseError(f"{what}: expected a list, got {kind}")
    return payload


def system_facts(payload: Any) -> dict[str, Any]:
    data = expect_dict(payload, "GetSystemTotal")

    return {
        "flavour": detect_flavour(data),
        "version": str(data.get("version", "")),
        "system": str(data.get("system", "")),
        "cpu_count": as_int(data.get("cpuNum")),
        "cpu_percent": as_float(data.get("cpuRealUsed")),
        "mem_total_mb": as_int(data.get("memTotal")),
        "mem_used_mb": as_int(data.get("memRealUsed")),
        "uptime": str(data.get("time", "")),
    }


def detect_flavour(system_total: dict[str, Any]) -> str:
    """Tell BaoTa from aaPanel by the uptime text: "37天" versus "37 Day(s)".

    Version numbers overlap (both have 7.x), so they cannot decide alone.
    """
    uptime = str(system_total.get("time", ""))
    if any("\u4e00" <= char <= "\u9fff" for char in uptime):
        return "baota"
    if uptime.strip():
        return "aapanel"
    return "unknown"


def disk_facts(payload: Any) -> list[dict[str, Any]]:
    return [mount_facts(row) for row in expect_list(payload, "GetDiskInfo")]


def mount_facts(row: Any) -> dict[str, Any]:
    disk = expect_dict(row, "GetDiskInfo mount")
    total, used, free = mount_bytes(disk)
    inodes = disk.get("inodes") or []

    return {
        "path": str(disk.get("path", "")),
        "filesystem": str(disk.get("filesystem", "")),
        "size_bytes": total,
        "used_bytes": used,
        "free_bytes": free,
        # As df computes it: reserved blocks count as neither used nor free.
        "used_percent": percent(
            used, used + free if used is not None and free is not None else total
        ),
        "inodes_used_percent": parse_percent(inodes[3]) if len(inodes) > 3 else None,
    }


def df_total(used: int | None, free: int | None, total: int | None) -> int | None:
    """Return the base of df's use percentage: reserved blocks do not count."""
    if used is None or free is None:
        return total
    return used + free


def mount_bytes(disk: dict[str, Any]) -> tuple[int | None, int | None, int | None]:
    exact = disk.get("byte_size")
    if isinstance(exact, list) and len(exact) >= 3:
        return as_int(exact[0]), as_int(exact[1]), as_int(exact[2])
    sizes = disk.get("size") or []
    if len(sizes) < 3:
        return None, None, None

    return parse_size(sizes[0]), parse_size(sizes[1]), parse_size(sizes[2])


def network_facts(payload: Any) -> dict[str, Any]:
    data = expect_dict(payload, "GetNetWork")
    load = data.get("load")
    load = load if isinstance(load, dict) else {}
    cpu = data.get("cpu")
    cpu = cpu if isinstance(cpu, list) else []

    return {
        "load_1m": as_float(load.get("one")),
        "load_5m": as_float(load.get("five")),
        "load_15m": as_float(load.get("fifteen")),
        "cpu_percent": as_float(cpu[0]) if cpu else None,
        "cpu_count": as_int(cpu[1]) if len(cpu) > 1 else None,
        "up_kbps": as_float(data.get("up")),
        "down_kbps": as_float(data.get("down")),
        "site_total": as_int(data.get("site_total")),
        "database_total": as_int(data.get("database_total")),
        "ftp_total": as_int(data.get("ftp_total")),
    }


def site_facts(rows: Any) -> dict[str, Any]:
    sites = [one_site(row) for row in expect_list(rows, "getData sites")]

    return {"count": len(sites), "sites": sites}


def one_site(row: Any) -> dict[str, Any]:
    site = expect_dict(row, "getData site row")
    ssl = site.get("ssl")
    ssl = ssl if isinstance(ssl, dict) else None

    return {
        "id": as_int(site.get("id")),
        "name": str(site.get("name", "")),
        "running": str(site.get("status", "")) == "1",
        "php_version": str(site.get("php_version", "")),
        "backup_count": as_int(site.get("backup_count")),
        "ssl_not_after": str(ssl.get("notAfter", "")) if ssl else None,
        "ssl_days_left": as_int(ssl.get("endtime")) if ssl else None,
    }


def parse_size(text: Any) -> int | None:
    """Parse a ``df -h`` size such as ``"39.0 GB"`` or ``"12G"`` into bytes."""
    found = _SIZE.match(str(text))
    if not found:
        return None
    number, unit = found.groups()

    return int(float(number) * _UNITS[unit.upper()])


def parse_percent(text: Any) -> float | None:
    return as_float(str(text).strip().rstrip("%").strip())


def percent(part: int | None, whole: int | None) -> float | None:
    if part is None or not whole:
        return None
    return round(100.0 * part / whole, 2)


def as_int(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def as_float(value: Any) -> float | None:
    try:
        return float(value)
    except (TypeError, ValueError):
        return None
