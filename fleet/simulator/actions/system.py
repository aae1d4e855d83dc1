"""Handlers of the ``/system`` route: host facts, panel settings, services."""

from __future__ import annotations

import math
import time

from fleet.simulator.actions.base import ActionContext, HandlerError
from fleet.simulator.records import Disk, Machine, PanelData

GIB = 1024**3
_UNITS = ("B", "KB", "MB", "GB", "TB")
SERVICE_TYPES = frozenset({"start", "stop", "restart", "reload"})
# Services every simulated panel has installed; PHP-FPM services are added
# per installed PHP version.
INSTALLED_SERVICES = frozenset({"nginx", "mysqld", "pure-ftpd", "phpmyadmin"})


def get_system_total(context: ActionContext) -> object:
    """Return memory, CPU, uptime, OS and panel version (GetSystemTotal)."""
    data = context.data
    machine = data.machine
    fields = memory_fields(machine, context.panel.profile.modern_shapes)
    fields.update(
        {
            "cpuNum": machine.cpu_count,
            "cpuRealUsed": machine.cpu_percent,
            "time": context.texts.uptime.format(days=machine.uptime_days),
            "system": machine.system,
            "isuser": 0,
            "isport": False,
            "version": data.version,
        }
    )

    return fields


def get_disk_info(context: ActionContext) -> object:
    """Return one entry per mounted disk (GetDiskInfo)."""
    modern = context.panel.profile.modern_shapes
    render = _modern_disk if modern else _df_disk
    return [render(disk) for disk in context.data.machine.disks]


def get_network(context: ActionContext) -> object:
    """Return traffic, CPU, load, memory and disk figures (GetNetWork)."""
    data = context.data
    machine = data.machine
    up_rate = round(machine.traffic_up_total % 5000 / 100, 2)
    down_rate = round(machine.traffic_down_total % 9000 / 100, 2)
    interfaces = {
        "eth0": _interface(
            machine.traffic_up_total, machine.traffic_down_total, up_rate, down_rate
        ),
        "lo": _interface(9128371, 9128371, 0.0, 0.0),
    }
    result: dict[str, object] = {"network": interfaces}
    result.update(_sum_interfaces(interfaces))
    result.update(_cpu_and_load(machine))
    result["mem"] = memory_fields(machine, modern=True)
    result["version"] = data.version
    result["disk"] = [
        {**_modern_disk(disk), "rname": disk.path} for disk in machine.disks
    ]
    result.update(_panel_totals(context, data))

    return result


def get_config_info(context: ActionContext) -> object:
    """Return installed software and panel settings, MySQL root password included."""
    panel = context.panel
    data = context.data
    return {
        "webserver": "nginx",
        "sites_path": "/www/wwwroot",
        "backup_path": "/www/backup",
        "status": 1,
        "mysql_root": data.mysql_root,
        "email": "admin@example.com",
        "php": [_php_entry(context, version) for version in data.php_versions],
        "web": _software("nginx", "1.24.0", panel.is_service_running("nginx")),
        "phpmyadmin": {
            "version": "5.2",
            "setup": True,
            "status": panel.is_service_running("phpmyadmin"),
            "phpversion": data.php_versions[0] if data.php_versions else "00",
            "port": "888",
            "auth": False,
        },
        "tomcat": {"setup": False, "status": False, "version": False},
        "mysql": _software(None, "8.0.36", panel.is_service_running("mysqld")),
        "redis": {"setup": False, "status": False},
        "memcached": {"setup": False, "status": False},
        "pure-ftpd": _software(None, "1.0.49", panel.is_service_running("pure-ftpd")),
        "panel": _panel_settings(context, data),
        "systemdate": time.strftime(
            "%Y-%m-%d %H:%M:%S UTC +0000", time.gmtime(data.built_at)
        ),
        "show_workorder": True,
        "show_panelai": True,
        "show_evaluate": True,
    }


def service_admin(context: ActionContext) -> object:
    """Start, stop, restart or reload a service, in memory only (ServiceAdmin)."""
    name = context.require("name")
    action = context.require("type")
    if action not in SERVICE_TYPES:
        raise HandlerError(f"unknown service action {action!r}")
    service = "nginx" if name == "webserver" else name
    if service not in _installed_services(context.data):
        # NOTE: the real panel reports the init script's own output here; this
        # message is the simulator's.
        message = context.texts.service_unknown.format(name=name)
        return {"status": False, "msg": message}
    context.panel.set_service_running(service, action != "stop")

    return {"status": True, "msg": context.texts.service_done}


def memory_fields(machine: Machine, modern: bool) -> dict[str, object]:
    """Return the memory part of GetSystemTotal in megabytes, in the panel's order."""
    total = machine.memory_total_mb
    used = round(total * machine.memory_used_percent / 100)
    spare = total - used
    cached = spare * 6 // 10
    buffers = spare // 25
    fields: dict[str, object] = {
        "memTotal": total,
        "memFree": spare - cached - buffers,
        "memBuffers": buffers,
        "memCached": cached,
    }
    if modern:
        fields.update({"memAvailable": spare, "memShared": 12})
    fields["memRealUsed"] = used
    if modern:
        fields.update(
            {
                "memNewTotalList": [f"{total / 1024:.1f}", "GB"],
                "memNewRealUsedList": [f"{used / 1024:.1f}", "GB"],
                "memNewRealUsed": f"{used / 1024:.1f}",
                "memNewTotal": f"{total / 1024:.1f}GB",
            }
        )

    return fields


def human_size(size: float) -> str:
    """Format a byte count with one decimal and a binary unit, as "39.0 GB"."""
    value = float(size)
    unit = 0
    while value >= 1024 and unit < len(_UNITS) - 1:
        value /= 1024
        unit += 1

    return f"{value:.1f} {_UNITS[unit]}"


def _modern_disk(disk: Disk) -> dict[str, object]:
    free = disk.total - disk.used - disk.reserved
    percent = disk.used / (disk.used + free) * 100
    inodes_free = disk.inodes_total - disk.inodes_used
    return {
        "byte_size": [disk.total, disk.used, free],
        "path": disk.path,
        "size": [
            human_size(disk.total),
            human_size(disk.used),
            human_size(free),
            f"{percent:.2f}%",
            human_size(disk.reserved),
            f"{disk.used / GIB:.1f}",
        ],
        "filesystem": disk.filesystem,
        "type": disk.fstype,
        "inodes": [
            disk.inodes_total,
            disk.inodes_used,
            inodes_free,
            f"{disk.inodes_used / disk.inodes_total * 100:.2f} %",
        ],
        "d_size": "None",
    }


def _df_disk(disk: Disk) -> dict[str, object]:
    # The shape of ``df -hT`` output, which BaoTa 7.x and aaPanel return.
    free = disk.total - disk.used - disk.reserved
    percent = math.ceil(disk.used / (disk.used + free) * 100)
    inodes_percent = math.ceil(disk.inodes_used / disk.inodes_total * 100)
    return {
        "filesystem": disk.filesystem,
        "type": disk.fstype,
        "path": disk.path,
        "size": [
            f"{round(disk.total / GIB)}G",
            f"{round(disk.used / GIB)}G",
            f"{round(free / GIB)}G",
            f"{percent}%",
        ],
        "inodes": [
            str(disk.inodes_total),
            str(disk.inodes_used),
            str(disk.inodes_total - disk.inodes_used),
            f"{inodes_percent}%",
        ],
    }


def _interface(
    up_total: int, down_total: int, up: float, down: float
) -> dict[str, float]:
    return {
        "upTotal": up_total,
        "downTotal": down_total,
        "up": up,
        "down": down,
        "downPackets": down_total // 593,
        "upPackets": up_total // 461,
    }


def _sum_interfaces(interfaces: dict[str, dict[str, float]]) -> dict[str, object]:
    totals: dict[str, object] = {}
    for field in ("upTotal", "downTotal", "up", "down", "downPackets", "upPackets"):
        total = sum(entry[field] for entry in interfaces.values())
        totals[field] = round(total, 2) if field in ("up", "down") else total

    return totals


def _cpu_and_load(machine: Machine) -> dict[str, object]:
    per_cpu = [
        round(machine.cpu_percent * (0.8 + 0.4 * (n % 2)), 1)
        for n in range(machine.cpu_count)
    ]
    idle = round(100 - machine.cpu_percent, 1)
    return {
        "cpu": [
            machine.cpu_percent,
            machine.cpu_count,
            per_cpu,
            f"{machine.cpu_model} * 1",
            machine.cpu_count,
            1,
        ],
        "cpu_times": {
            "user": round(machine.cpu_percent * 0.6, 1),
            "nice": 0.0,
            "system": round(machine.cpu_percent * 0.3, 1),
            "idle": idle,
            "iowait": round(machine.cpu_percent * 0.05, 1),
            "irq": 0.0,
            "softirq": round(machine.cpu_percent * 0.05, 1),
            "steal": 0.0,
            "guest": 0.0,
            "guest_nice": 0.0,
            "总进程数": 161,
            "活动进程数": 2,
        },
        "load": {
            "one": machine.load_one,
            "five": round(machine.load_one * 1.1, 2),
            "fifteen": round(machine.load_one * 0.9, 2),
            "max": machine.cpu_count * 2,
            "limit": machine.cpu_count * 2,
            "safe": machine.cpu_count * 1.5,
        },
    }


def _panel_totals(context: ActionContext, data: PanelData) -> dict[str, object]:
    counters = {"read_count": 3, "write_count": 41, "read_bytes": 12288}
    return {
        "title": context.texts.title,
        "time": context.texts.uptime.format(days=data.machine.uptime_days),
        "site_total": len(data.sites),
        "ftp_total": len(data.ftps),
        "database_total": len(data.databases),
        "system": data.machine.system,
        "simple_system": " ".join(data.machine.system.split()[:2]),
        "installed": True,
        "iostat": {"ALL": counters, "vda": counters},
        "docker_run": False,
    }


def _php_entry(context: ActionContext, version: str) -> object:
    return {
        "setup": True,
        "version": version,
        "max": "50",
        "maxTime": "0",
        "pathinfo": False,
        "status": context.panel.is_service_running(f"php-fpm-{version}"),
    }


def _software(kind: str | None, version: str, running: bool) -> dict[str, object]:
    entry: dict[str, object] = {"setup": True}
    if kind is not None:
        entry["type"] = kind
    entry.update({"version": version, "status": running})

    return entry


def _panel_settings(context: ActionContext, data: PanelData) -> object:
    port = str(context.panel.port)
    return {
        "port": port,
        "listen_port": port,
        "address": data.public_address,
        "domain": "",
        "auto": "",
        "502": "",
        "limitip": "",
        "limitarea_status": "false",
        "limitarea": {"allow": [], "deny": []},
        "templates": [],
        "template": "default",
        "admin_path": data.admin_path,
    }


def _installed_services(data: PanelData) -> frozenset[str]:
    php_services = {f"php-fpm-{version}" for version in data.php_versions}
    return INSTALLED_SERVICES | php_services
