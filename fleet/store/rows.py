"""Write an audit run into the history tables and read it back unchanged.

Rows are inserted in report order and read back in insertion order (rowid),
so a report loaded from the store compares equal to the one that was saved.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from typing import Any

from fleet.audit.facts import (
    Certificate,
    Mount,
    OperationFailure,
    PanelFacts,
    Site,
    SiteBackups,
)
from fleet.audit.model import Finding, Severity
from fleet.audit.report import AuditReport, AuditRun
from fleet.report.model import Result

SECTIONS = ("mounts", "sites", "certificates", "backups")


def insert_run(db: sqlite3.Connection, run: AuditRun) -> None:
    db.execute(
        "INSERT INTO runs (run_id, command, inventory, inventory_digest, config, "
        "started_at, status, fleet_version) VALUES (?, ?, ?, ?, ?, ?, 'running', ?)",
        (
            run.run_id,
            run.command,
            run.inventory,
            run.inventory_digest,
            run.config,
            run.started_at,
            run.fleet_version,
        ),
    )


def complete_run(db: sqlite3.Connection, report: AuditReport) -> None:
    summary = report.summary()
    counts = summary["findings_by_severity"]
    db.execute(
        "UPDATE runs SET status = 'complete', finished_at = ?, stopped = ?, "
        "severity = ?, panels = ?, panels_reached = ?, warnings = ?, "
        "criticals = ?, unknowns = ? WHERE run_id = ?",
        (
            report.run.finished_at,
            report.run.stopped,
            summary["severity"],
            summary["panels"],
            summary["panels_reached"],
            counts["warning"],
            counts["critical"],
            counts["unknown"],
            report.run.run_id,
        ),
    )


def insert_results(
    db: sqlite3.Connection, run_id: str, results: Sequence[Result]
) -> None:
    db.executemany(
        "INSERT INTO results VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        [
            (
                run_id,
                r.panel,
                r.operation,
                r.status,
                r.error_kind,
                r.error_message,
                r.attempts,
                r.duration_s,
            )
            for r in results
        ],
    )


def insert_panels(
    db: sqlite3.Connection, run_id: str, panels: Sequence[PanelFacts]
) -> None:
    for panel in panels:
        insert_panel(db, run_id, panel)


def insert_panel(db: sqlite3.Connection, run_id: str, panel: PanelFacts) -> None:
    collected = ",".join(s for s in SECTIONS if getattr(panel, s) is not None)
    db.execute(
        "INSERT INTO panels VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            run_id,
            panel.name,
            panel.url,
            int(panel.reached),
            panel.flavour,
            panel.version,
            panel.cpu_count,
            panel.memory_total_mb,
            panel.memory_used_mb,
            panel.load_1m,
            panel.load_5m,
            panel.load_15m,
            collected,
        ),
    )
    key = (run_id, panel.name)
    db.executemany(
        "INSERT INTO mounts VALUES (?, ?, ?, ?, ?, ?, ?)",
        [
            (
                *key,
                m.path,
                m.size_bytes,
                m.used_bytes,
                m.used_percent,
                m.inodes_used_percent,
            )
            for m in panel.mounts or ()
        ],
    )
    db.executemany(
        "INSERT INTO sites VALUES (?, ?, ?, ?, ?)",
        [(*key, s.name, int(s.running), s.php_version) for s in panel.sites or ()],
    )
    db.executemany(
        "INSERT INTO certificates VALUES (?, ?, ?, ?, ?, ?)",
        [
            (*key, c.site, c.not_after, c.days_left, c.issuer)
            for c in panel.certificates or ()
        ],
    )
    db.executemany(
        "INSERT INTO backups VALUES (?, ?, ?, ?, ?)",
        [(*key, b.site, b.count, b.newest_at) for b in panel.backups or ()],
    )


def insert_findings(
    db: sqlite3.Connection, run_id: str, findings: Sequence[Finding]
) -> None:
    db.executemany(
        "INSERT INTO findings VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            (
                run_id,
                f.panel,
                f.check,
                f.object_kind,
                f.object_name,
                f.severity.value,
                f.message,
                f.value,
                f.limit,
            )
            for f in findings
        ],
    )


def read_run(db: sqlite3.Connection, row: sqlite3.Row) -> AuditRun:
    return AuditRun(
        run_id=row["run_id"],
        command=row["command"],
        inventory=row["inventory"],
        inventory_digest=row["inventory_digest"],
        config=row["config"],
        started_at=row["started_at"],
        finished_at=row["finished_at"] or row["started_at"],
        stopped=row["stopped"],
        fleet_version=row["fleet_version"],
    )


def read_report(db: sqlite3.Connection, run: AuditRun) -> AuditReport:
    """Load the panels and findings of a complete run."""
    run_id = run.run_id
    sections = {name: grouped(db, name, run_id) for name in SECTIONS}
    failures = grouped(db, "results", run_id, "status != 'ok'")
    panels = tuple(
        read_panel(row, sections, failures.get(row["panel"], []))
        for row in db.execute(
            "SELECT * FROM panels WHERE run_id = ? ORDER BY rowid", (run_id,)
        )
    )
    findings = tuple(
        read_finding(row)
        for row in db.execute(
            "SELECT * FROM findings WHERE run_id = ? ORDER BY rowid", (run_id,)
        )
    )

    return AuditReport(run=run, panels=panels, findings=findings)


def grouped(
    db: sqlite3.Connection, table: str, run_id: str, condition: str = "1"
) -> dict[str, list[sqlite3.Row]]:
    """Return a table's rows of one run, by panel, in insertion order."""
    rows: dict[str, list[sqlite3.Row]] = {}
    query = f"SELECT * FROM {table} WHERE run_id = ? AND {condition} ORDER BY rowid"
    for row in db.execute(query, (run_id,)):
        rows.setdefault(row["panel"], []).append(row)

    return rows


def read_panel(
    row: sqlite3.Row,
    sections: dict[str, dict[str, list[sqlite3.Row]]],
    failures: list[sqlite3.Row],
) -> PanelFacts:
    name = row["panel"]
    collected = set(filter(None, row["collected"].split(",")))

    def section(table: str, build: Any) -> Any:
        if table not in collected:
            return None
        return tuple(build(item) for item in sections[table].get(name, []))

    return PanelFacts(
        name=name,
        url=row["url"],
        reached=bool(row["reached"]),
        failures=tuple(
            OperationFailure(
                f["operation"], f["error_kind"] or "", f["error_message"] or ""
            )
            for f in failures
        ),
        flavour=row["flavour"],
        version=row["version"],
        cpu_count=row["cpu_count"],
        memory_total_mb=row["memory_total_mb"],
        memory_used_mb=row["memory_used_mb"],
        load_1m=row["load_1m"],
        load_5m=row["load_5m"],
        load_15m=row["load_15m"],
        mounts=section("mounts", read_mount),
        sites=section("sites", read_site),
        certificates=section("certificates", read_certificate),
        backups=section("backups", read_backups),
    )


def read_mount(row: sqlite3.Row) -> Mount:
    return Mount(
        row["path"],
        row["size_bytes"],
        row["used_bytes"],
        row["used_percent"],
        row["inodes_used_percent"],
    )


def read_site(row: sqlite3.Row) -> Site:
    return Site(row["site"], bool(row["running"]), row["php_version"])


def read_certificate(row: sqlite3.Row) -> Certificate:
    return Certificate(row["site"], row["not_after"], row["days_left"], row["issuer"])


def read_backups(row: sqlite3.Row) -> SiteBackups:
    return SiteBackups(row["site"], row["backup_count"], row["newest_at"])


def read_finding(row: sqlite3.Row) -> Finding:
    return Finding(
        check=row["check_id"],
        severity=Severity(row["severity"]),
        panel=row["panel"],
        object_kind=row["object_kind"],
        object_name=row["object"],
        message=row["message"],
        value=row["value"],
        limit=row["limit_value"],
    )
