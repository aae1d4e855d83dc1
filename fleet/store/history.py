"""The history database: one SQLite file in the state directory.

The database runs in WAL mode, so readers never block the writer, and each
write is one ``BEGIN IMMEDIATE`` transaction that waits up to
``BUSY_TIMEOUT_S`` for another writer. Two audits that finish at the same
time therefore write one after the other, and a writer killed mid-transaction
leaves nothing of that transaction behind. Only redacted results and facts
are stored; no key, token or cookie ever reaches the database.
"""

from __future__ import annotations

import contextlib
import dataclasses
import logging
import os
import sqlite3
from collections.abc import Iterator, Sequence
from pathlib import Path

from fleet.audit.report import AuditReport, AuditRun
from fleet.errors import ConfigError, UsageError
from fleet.report.model import Result
from fleet.store import rows
from fleet.store.schema import INDEXES, SCHEMA_VERSION, TABLES

log = logging.getLogger(__name__)

DATABASE_NAME = "history.sqlite3"
BUSY_TIMEOUT_S = 60.0
# Runs kept by default: more than a year of nightly audits.
DEFAULT_KEEP_RUNS = 400


@dataclasses.dataclass(frozen=True, slots=True)
class RunEntry:
    """One line of ``fleet history``."""

    run_id: str
    command: str
    inventory: str
    started_at: float
    finished_at: float | None
    status: str  # "complete", or "running" for a run in progress or killed
    stopped: str | None
    severity: str | None
    panels: int | None
    panels_reached: int | None
    warnings: int | None
    criticals: int | None
    unknowns: int | None


class HistoryStore:
    """Records audit runs and loads them back for ``history`` and ``diff``."""

    def __init__(self, path: Path, busy_timeout_s: float = BUSY_TIMEOUT_S) -> None:
        self.path = path
        self.busy_timeout_s = busy_timeout_s
        self._initialize()

    @classmethod
    def in_state_dir(cls, state_dir: Path) -> HistoryStore:
        return cls(state_dir / DATABASE_NAME)

    def connect(self) -> sqlite3.Connection:
        """Open a connection in autocommit mode; transactions are explicit."""
        try:
            db = sqlite3.connect(
                self.path, timeout=self.busy_timeout_s, isolation_level=None
            )
        except sqlite3.Error as error:
            raise ConfigError(
                f"cannot open history database {self.path}: {error}"
            ) from error
        db.row_factory = sqlite3.Row
        db.execute("PRAGMA foreign_keys = ON")
        return db

    @contextlib.contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """Run a block as one write transaction, rolled back on any error."""
        db = self.connect()
        try:
            db.execute("BEGIN IMMEDIATE")
            try:
                yield db
            except BaseException:
                db.execute("ROLLBACK")
                raise
            db.execute("COMMIT")
        finally:
            db.close()

    @contextlib.contextmanager
    def reading(self) -> Iterator[sqlite3.Connection]:
        db = self.connect()
        try:
            yield db
        finally:
            db.close()

    def _initialize(self) -> None:
        self.path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        # SQLite creates its -wal and -shm files with the database's mode.
        descriptor = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
        os.close(descriptor)
        db = self.connect()
        try:
            db.execute("PRAGMA journal_mode = WAL")
            db.execute("BEGIN IMMEDIATE")
            version = db.execute("PRAGMA user_version").fetchone()[0]
            if version > SCHEMA_VERSION:
                db.execute("ROLLBACK")
                raise ConfigError(
                    f"history database {self.path} has layout version {version}, "
                    f"newer than this fleet's {SCHEMA_VERSION}; upgrade fleet or "
                    "point --state-dir elsewhere"
                )
            for statement in (*TABLES, *INDEXES):
                db.execute(statement)
            db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
            db.execute("COMMIT")
        except sqlite3.DatabaseError as error:
            raise ConfigError(
                f"history database {self.path} is not usable ({error}); move it "
                "away to start a new history"
            ) from error
        finally:
            db.close()

    def begin_run(self, run: AuditRun) -> None:
        """Record that a run started; it stays ``running`` until ``finish_run``."""
        with self.transaction() as db:
            rows.insert_run(db, run)

    def finish_run(
        self,
        report: AuditReport,
        results: Sequence[Result],
        keep_runs: int = DEFAULT_KEEP_RUNS,
    ) -> None:
        """Write everything the run collected and mark it complete, atomically."""
        run_id = report.run.run_id
        with self.transaction() as db:
            rows.insert_results(db, run_id, results)
            rows.insert_panels(db, run_id, report.panels)
            rows.insert_findings(db, run_id, report.findings)
            rows.complete_run(db, report)
            removed = prune(db, keep_runs)
        if removed:
            log.info("removed %d old runs from the history", removed)

    def runs(self, limit: int | None = None) -> list[RunEntry]:
        """Return runs newest first."""
        query = "SELECT * FROM runs ORDER BY started_at DESC, rowid DESC"
        if limit is not None:
            query += f" LIMIT {int(limit)}"
        with self.reading() as db:
            return [run_entry(row) for row in db.execute(query)]

    def resolve(self, reference: str) -> str:
        """Return the run id that ``reference`` names in full or as a unique prefix."""
        with self.reading() as db:
            found = [
                row["run_id"]
                for row in db.execute(
                    "SELECT run_id FROM runs WHERE substr(run_id, 1, ?) = ?",
                    (len(reference), reference),
                )
            ]
        if reference in found:
            return reference
        if not found:
            raise UsageError(
                f"no run {reference!r} in {self.path}; see 'fleet history'"
            )
        if len(found) > 1:
            raise UsageError(
                f"run {reference!r} is ambiguous: {', '.join(sorted(found)[:5])}; "
                "give more of the run id"
            )
        return str(found[0])

    def latest_complete(
        self, count: int, inventory: str | None = None, before: str | None = None
    ) -> list[str]:
        """Return the ids of the newest complete runs, newest first.

        ``inventory`` keeps runs of that inventory path only; ``before`` keeps
        runs that started before the named run.
        """
        query = "SELECT run_id FROM runs WHERE status = 'complete'"
        params: list[object] = []
        if inventory is not None:
            query += " AND inventory = ?"
            params.append(inventory)
        if before is not None:
            query += " AND started_at < (SELECT started_at FROM runs WHERE run_id = ?)"
            params.append(before)
        query += " ORDER BY started_at DESC, rowid DESC LIMIT ?"
        params.append(count)
        with self.reading() as db:
            return [row["run_id"] for row in db.execute(query, params)]

    def load(self, run_id: str) -> AuditReport:
        """Load a complete run as an ``AuditReport`` (without its diff)."""
        with self.reading() as db:
            db.execute("BEGIN")  # one consistent snapshot for every table
            row = db.execute(
                "SELECT * FROM runs WHERE run_id = ?", (run_id,)
            ).fetchone()
            if row is None:
                raise UsageError(f"no run {run_id!r} in {self.path}")
            if row["status"] != "complete":
                raise UsageError(
                    f"run {run_id} did not complete (it is still running or was "
                    "killed), so it has no results to show"
                )
            report = rows.read_report(db, rows.read_run(db, row))
            db.execute("COMMIT")
        return report


def prune(db: sqlite3.Connection, keep_runs: int) -> int:
    """Delete complete runs beyond the newest ``keep_runs``; return how many."""
    cursor = db.execute(
        "DELETE FROM runs WHERE status = 'complete' AND run_id NOT IN ("
        "SELECT run_id FROM runs WHERE status = 'complete' "
        "ORDER BY started_at DESC, rowid DESC LIMIT ?)",
        (keep_runs,),
    )
    return cursor.rowcount


def run_entry(row: sqlite3.Row) -> RunEntry:
    return RunEntry(
        **{field.name: row[field.name] for field in dataclasses.fields(RunEntry)}
    )
