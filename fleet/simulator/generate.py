"""Build a panel's data from its name, seed and overrides.

The same spec and build time always give the same data. Secrets in it (FTP
and database passwords, the MySQL root password) start with ``simulated-`` so
they cannot pass for real ones, and none of them is the panel's API key.
"""

from __future__ import annotations

import random
import time

from fleet.simulator.flavours import FlavourProfile
from fleet.simulator.overrides import DataOverrides
from fleet.simulator.records import (
    Backup,
    Database,
    Disk,
    FtpAccount,
    LogEntry,
    Machine,
    PanelData,
    Site,
)
from fleet.simulator.spec import PanelSpec

DAY = 86400.0
GIB = 1024**3
_WORDS = ("shop", "blog", "news", "docs", "app", "api", "forum", "wiki", "media")
_TLDS = ("com", "org", "net")
_PHP_CHOICES = ("56", "72", "73", "74", "80", "81", "82", "83")
_CPU_MODELS = (
    "Intel(R) Xeon(R) Platinum 8255C CPU @ 2.50GHz",
    "AMD EPYC 7K62 48-Core Processor",
)
# Log types and texts, in Chinese for BaoTa and English for aaPanel.
_LOG_TEXTS = {
    False: {
        "网站管理": "成功创建站点[{site}]",
        "用户登录": "登录成功,帐号:admin,登录IP:198.51.100.{host}",
        "计划任务": "备份网站[{site}]成功",
        "数据库管理": "数据库备份成功",
    },
    True: {
        "Site manager": "Successfully created site [{site}]",
        "Login": "Login succeeded, account: admin, IP: 198.51.100.{host}",
        "Cron": "Backup of site [{site}] succeeded",
        "Database manager": "Database backup succeeded",
    },
}


def build_panel_data(spec: PanelSpec, profile: FlavourProfile, now: float) -> PanelData:
    """Generate the panel's records; ``now`` anchors every date in them."""
    rng = random.Random(f"{spec.seed}:{spec.name}")
    overrides = spec.data_overrides
    php_versions = overrides.php_versions or _pick_php_versions(rng)
    sites = _build_sites(rng, spec.site_count, php_versions, overrides, now)
    databases = _build_databases(rng, sites, now)

    return PanelData(
        version=overrides.panel_version or profile.version,
        built_at=now,
        machine=_build_machine(rng, profile, overrides),
        sites=sites,
        ftps=_build_ftps(rng, sites),
        databases=databases,
        backups=_build_backups(rng, sites, databases, overrides, now),
        logs=_build_logs(rng, sites, now, english=profile.english),
        php_versions=php_versions,
        mysql_root=f"simulated-mysql-root-{_hex(rng)}",
        admin_path="/" + "".join(rng.choices("abcdefghjkmnpqrstuvwxyz23456789", k=8)),
        public_address=f"203.0.113.{rng.randint(1, 254)}",
        update_available=overrides.update_available,
        task_count=overrides.task_count,
    )


def _hex(rng: random.Random) -> str:
    return f"{rng.getrandbits(48):012x}"


def _pick_php_versions(rng: random.Random) -> tuple[str, ...]:
    chosen = rng.sample(_PHP_CHOICES, rng.randint(1, 3))
    return tuple(sorted(chosen))


def _site_name(rng: random.Random, site_id: int, fixed: tuple[str, ...]) -> str:
    # Draw the generated name even when a fixed one replaces it, so pinning
    # names leaves every later random value unchanged.
    generated = f"{rng.choice(_WORDS)}-{site_id}.example.{rng.choice(_TLDS)}"
    return fixed[site_id - 1] if site_id <= len(fixed) else generated


def _build_sites(
    rng: random.Random,
    count: int,
    php_versions: tuple[str, ...],
    overrides: DataOverrides,
    now: float,
) -> tuple[Site, ...]:
    fixed_names = overrides.site_names or ()
    sites = []
    for site_id in range(1, count + 1):
        name = _site_name(rng, site_id, fixed_names)
        generated_ssl = rng.randint(5, 89) if rng.random() < 0.7 else None
        generated_stop = rng.random() < 0.1
        if overrides.stopped_sites:
            generated_stop = name in overrides.stopped_sites
        domains = (name, f"www.{name}") if rng.random() < 0.5 else (name,)
        sites.append(
            Site(
                id=site_id,
                name=name,
                path=f"/www/wwwroot/{name}",
                ps=_remark(name, rng.random() < 0.8, overrides.site_remark_bytes),
                added=now - rng.randint(30, 400) * DAY - rng.randint(0, 86399),
                php=rng.choice((*php_versions, "00")),
                running=not generated_stop,
                ssl_days=overrides.ssl_expiry_days.lookup(name, generated_ssl),
                domains=domains,
            )
        )

    return tuple(sites)


def _remark(site_name: str, has_remark: bool, padded_length: int) -> str:
    label = site_name.split(".")[0]
    if padded_length:
        # A remark pasted full of text: the site label repeated to the length.
        repeats = padded_length // (len(label) + 1) + 1
        return ((label + " ") * repeats)[:padded_length]

    return label if has_remark else ""


def _build_ftps(rng: random.Random, sites: tuple[Site, ...]) -> tuple[FtpAccount, ...]:
    owners = [site for site in sites if rng.random() < 0.5]
    return tuple(
        FtpAccount(
            id=number,
            pid=site.id,
            name=f"{site.name.split('.')[0].replace('-', '_')}_ftp",
            password=f"simulated-ftp-{_hex(rng)}",
            ps=site.name,
            added=site.added + 1,
            path=site.path,
        )
        for number, site in enumerate(owners, start=1)
    )


def _build_databases(
    rng: random.Random, sites: tuple[Site, ...], now: float
) -> tuple[Database, ...]:
    owners = [site for site in sites if rng.random() < 0.6]
    databases = [
        Database(
            id=number,
            pid=site.id,
            name=f"{site.name.split('.')[0].replace('-', '_')}_db",
            password=f"simulated-db-{_hex(rng)}",
            ps=site.name,
            added=site.added + 2,
        )
        for number, site in enumerate(owners, start=1)
    ]
    if rng.random() < 0.3:
        databases.append(
            Database(
                id=len(databases) + 1,
                pid=0,
                name="legacy",
                password=f"simulated-db-{_hex(rng)}",
                ps="legacy",
                added=now - 500 * DAY,
            )
        )

    return tuple(databases)


def _build_backups(
    rng: random.Random,
    sites: tuple[Site, ...],
    databases: tuple[Database, ...],
    overrides: DataOverrides,
    now: float,
) -> tuple[Backup, ...]:
    backups: list[Backup] = []
    for site in sites:
        generated_age = rng.randint(0, 10) if rng.random() < 0.8 else None
        age = overrides.backup_age_days.lookup(site.name, generated_age)
        if age is not None:
            backups.extend(_site_backups(rng, site, age, now, len(backups)))
    for database in databases:
        if rng.random() < 0.5:
            backups.append(_database_backup(rng, database, now, len(backups) + 1))

    return tuple(backups)


def _site_backups(
    rng: random.Random, site: Site, age_days: int, now: float, first_id: int
) -> list[Backup]:
    backups = []
    for index in range(rng.randint(1, 3)):
        added = now - (age_days + 7 * index) * DAY
        stamp = _file_stamp(added)
        name = f"web_{site.name}_{stamp}.tar.gz"
        exists = index == 0 or rng.random() < 0.7
        backups.append(
            Backup(
                id=first_id + index + 1,
                pid=site.id,
                kind=0,
                name=name,
                filename=f"/www/backup/site/{site.name}/{name}",
                added=added,
                size=rng.randint(1, 500) * 1024 * 1024 if exists else 0,
                cron_id=rng.choice((0, 0, 4)),
                exists=exists,
            )
        )

    return backups


def _database_backup(
    rng: random.Random, database: Database, now: float, backup_id: int
) -> Backup:
    added = now - rng.randint(0, 5) * DAY
    name = f"db_{database.name}_{_file_stamp(added)}.sql.gz"
    return Backup(
        id=backup_id,
        pid=database.id,
        kind=1,
        name=name,
        filename=f"/www/backup/database/mysql/{database.name}/{name}",
        added=added,
        size=rng.randint(1, 200) * 1024 * 64,
        cron_id=0,
        exists=True,
    )


def _file_stamp(epoch: float) -> str:
    return time.strftime("%Y%m%d_%H%M%S", time.gmtime(epoch))


def _build_logs(
    rng: random.Random, sites: tuple[Site, ...], now: float, english: bool
) -> tuple[LogEntry, ...]:
    count = 25 + rng.randint(0, 20)
    names = [site.name for site in sites] or ["localhost"]
    templates = _LOG_TEXTS[english]
    kinds = sorted(templates)
    added = now - count * 3600.0
    entries = []
    for log_id in range(1, count + 1):
        added += rng.randint(60, 7200)
        kind = rng.choice(kinds)
        text = templates[kind].format(site=rng.choice(names), host=rng.randint(1, 254))
        entries.append(LogEntry(log_id, kind, text, added))

    return tuple(entries)


def _build_machine(
    rng: random.Random, profile: FlavourProfile, overrides: DataOverrides
) -> Machine:
    cpu_count = rng.choice((1, 2, 4, 8))
    disks = [_build_disk(rng, "/", "/dev/vda1", "ext4", overrides.disk_used_percent)]
    if rng.random() < 0.5:
        disks.append(_build_disk(rng, "/www", "/dev/vdb1", "xfs", None))

    return Machine(
        memory_total_mb=rng.choice((1024, 2048, 3931, 7821, 15886)),
        memory_used_percent=_pick(rng, overrides.memory_used_percent, 20, 70),
        cpu_count=cpu_count,
        cpu_percent=_pick(rng, overrides.cpu_percent, 1, 40),
        cpu_model=rng.choice(_CPU_MODELS),
        uptime_days=(
            overrides.uptime_days
            if overrides.uptime_days is not None
            else rng.randint(1, 400)
        ),
        system=rng.choice(profile.systems),
        disks=tuple(disks),
        load_one=round(rng.uniform(0.0, cpu_count * 0.6), 2),
        traffic_up_total=rng.randint(10**9, 10**11),
        traffic_down_total=rng.randint(10**9, 10**11),
    )


def _pick(rng: random.Random, pinned: float | None, low: float, high: float) -> float:
    generated = round(rng.uniform(low, high), 1)
    return generated if pinned is None else pinned


def _build_disk(
    rng: random.Random, path: str, device: str, fstype: str, pinned: float | None
) -> Disk:
    total = rng.choice((40, 80, 100, 200)) * GIB
    reserved = total // 20
    # The panel's percentage is used / (used + free), which leaves out the
    # blocks reserved for root, so the pinned percentage applies to that base.
    used = int((total - reserved) * _pick(rng, pinned, 10, 70) / 100)
    inodes_total = total // 16384
    return Disk(
        path=path,
        filesystem=device,
        fstype=fstype,
        total=total,
        used=used,
        reserved=reserved,
        inodes_total=inodes_total,
        inodes_used=int(inodes_total * rng.uniform(0.01, 0.1)),
    )
