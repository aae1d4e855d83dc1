"""Frozen records of one panel's generated data; times are epoch seconds (UTC)."""

from __future__ import annotations

import dataclasses
import time


@dataclasses.dataclass(frozen=True, slots=True)
class Site:
    """One web site; ``php`` is a version such as "74", or "00" for static."""

    id: int
    name: str
    path: str
    ps: str
    added: float
    php: str
    running: bool
    ssl_days: int | None  # days until the certificate expires; None: no certificate
    domains: tuple[str, ...]


@dataclasses.dataclass(frozen=True, slots=True)
class FtpAccount:
    """One FTP account; ``pid`` is the owning site's id."""

    id: int
    pid: int
    name: str
    password: str
    ps: str
    added: float
    path: str


@dataclasses.dataclass(frozen=True, slots=True)
class Database:
    """One MySQL database; ``pid`` is the owning site's id, 0 for none."""

    id: int
    pid: int
    name: str
    password: str
    ps: str
    added: float


@dataclasses.dataclass(frozen=True, slots=True)
class Backup:
    """One backup file; ``kind`` is 0 for a site and 1 for a database."""

    id: int
    pid: int
    kind: int
    name: str
    filename: str
    added: float
    size: int
    cron_id: int
    exists: bool


@dataclasses.dataclass(frozen=True, slots=True)
class LogEntry:
    """One line of the panel's operation log."""

    id: int
    kind: str
    text: str
    added: float


@dataclasses.dataclass(frozen=True, slots=True)
class Disk:
    """One mounted file system; sizes in bytes."""

    path: str
    filesystem: str
    fstype: str
    total: int
    used: int
    reserved: int
    inodes_total: int
    inodes_used: int


@dataclasses.dataclass(frozen=True, slots=True)
class Machine:
    """The host the panel runs on."""

    memory_total_mb: int
    memory_used_percent: float
    cpu_count: int
    cpu_percent: float
    cpu_model: str
    uptime_days: int
    system: str
    disks: tuple[Disk, ...]
    load_one: float
    traffic_up_total: int
    traffic_down_total: int


@dataclasses.dataclass(frozen=True, slots=True)
class PanelData:
    """Everything the read handlers render, built once per panel."""

    version: str
    built_at: float
    machine: Machine
    sites: tuple[Site, ...]
    ftps: tuple[FtpAccount, ...]
    databases: tuple[Database, ...]
    backups: tuple[Backup, ...]
    logs: tuple[LogEntry, ...]
    php_versions: tuple[str, ...]
    mysql_root: str
    admin_path: str
    public_address: str
    update_available: bool
    task_count: int

    def site_by_id(self, site_id: int) -> Site | None:
        """Return the site with this id, or None."""
        # Generated sites are numbered 1..n in order, so the id is the index.
        if 1 <= site_id <= len(self.sites):
            site = self.sites[site_id - 1]
            if site.id == site_id:
                return site
        return None

    def site_by_name(self, name: str) -> Site | None:
        """Return the site with this name, or None."""
        for site in self.sites:
            if site.name == name:
                return site
        return None


def format_time(epoch: float) -> str:
    """Format a time the way the panel's SQLite rows store it (UTC here)."""
    return time.strftime("%Y-%m-%d %H:%M:%S", time.gmtime(epoch))
