"""The history database: round trips, listing, concurrent and killed writers."""

from __future__ import annotations

import dataclasses
import itertools
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from fleet.errors import ConfigError, UsageError
from fleet.store.history import HistoryStore

from .store_writer import PANELS, make_report, write_runs

ROOT = Path(__file__).resolve().parents[2]
WORKER_TIMEOUT_S = 60


def worker(
    database: Path, prefix: str, count: int, *flags: str
) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "tests.audit.store_writer", str(database), prefix]
        + [str(count), *flags],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def integrity(database: Path) -> str:
    with sqlite3.connect(database) as db:
        return str(db.execute("PRAGMA integrity_check").fetchone()[0])


@pytest.fixture
def store(tmp_path: Path) -> HistoryStore:
    return HistoryStore(tmp_path / "state" / "history.sqlite3")


class TestRoundTrip:
    def test_load_equals_saved(self, store: HistoryStore) -> None:
        """A run loaded back compares equal to the report that was saved."""
        report, results = make_report("R1")
        store.begin_run(report.run)
        store.finish_run(report, results)
        assert store.load("R1") == report

    def test_not_collected_stays_none(self, store: HistoryStore) -> None:
        """A section that was not collected loads as None, not as empty."""
        report, results = make_report("R1")
        panel = dataclasses.replace(report.panels[0], certificates=None, sites=())
        report = dataclasses.replace(report, panels=(panel,))
        store.begin_run(report.run)
        store.finish_run(report, results[:1])
        (loaded,) = store.load("R1").panels
        assert loaded.certificates is None
        assert loaded.sites == ()

    def test_files_private(self, store: HistoryStore) -> None:
        """The database file is readable by its owner only."""
        assert store.path.stat().st_mode & 0o077 == 0
        assert store.path.parent.stat().st_mode & 0o077 == 0

    def test_wal_mode(self, store: HistoryStore) -> None:
        """The database runs in WAL mode."""
        with sqlite3.connect(store.path) as db:
            assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


class TestListing:
    def test_runs_newest_first(self, store: HistoryStore) -> None:
        """History lists runs newest first with their counts."""
        write_runs(store, "A", 3)
        entries = store.runs()
        assert [entry.run_id for entry in entries] == ["A-002", "A-001", "A-000"]
        assert entries[0].status == "complete"
        assert entries[0].panels == PANELS

    def test_resolve_prefix(self, store: HistoryStore) -> None:
        """A unique prefix names a run; an ambiguous one is a usage error."""
        write_runs(store, "A", 2)
        write_runs(store, "B", 1)
        assert store.resolve("B") == "B-000"
        with pytest.raises(UsageError, match="ambiguous"):
            store.resolve("A-00")
        with pytest.raises(UsageError, match="no run"):
            store.resolve("C")

    def test_incomplete_run(self, store: HistoryStore) -> None:
        """A run that never finished is listed but cannot be loaded."""
        report, _ = make_report("R1")
        store.begin_run(report.run)
        assert store.runs()[0].status == "running"
        assert store.latest_complete(1) == []
        with pytest.raises(UsageError, match="did not complete"):
            store.load("R1")

    def test_prune(self, store: HistoryStore) -> None:
        """Only the newest runs are kept, with every row of the others removed."""
        write_runs(store, "A", 3)
        report, results = make_report("A-003")
        store.begin_run(report.run)
        store.finish_run(report, results, keep_runs=2)
        assert [entry.run_id for entry in store.runs()] == ["A-003", "A-002"]
        with sqlite3.connect(store.path) as db:
            kept = {row[0] for row in db.execute("SELECT DISTINCT run_id FROM sites")}
        assert kept == {"A-003", "A-002"}

    def test_newer_layout_rejected(self, store: HistoryStore) -> None:
        """A database from a newer fleet is refused instead of being changed."""
        with sqlite3.connect(store.path) as db:
            db.execute("PRAGMA user_version = 99")
        with pytest.raises(ConfigError, match="layout version 99"):
            HistoryStore(store.path)


class TestConcurrency:
    def test_two_processes_write_at_once(self, store: HistoryStore) -> None:
        """Two processes recording runs at the same time lose nothing."""
        writers = [worker(store.path, prefix, 30) for prefix in ("P", "Q")]
        for process in writers:
            _, errors = process.communicate(timeout=WORKER_TIMEOUT_S)
            assert process.returncode == 0, errors
        entries = store.runs()
        # Rows in commit order: the writers took turns, so they overlapped.
        order = [entry.run_id[0] for entry in reversed(entries)]
        switches = sum(1 for a, b in itertools.pairwise(order) if a != b)
        assert len(entries) == 60
        assert switches > 1
        assert {entry.status for entry in entries} == {"complete"}
        assert integrity(store.path) == "ok"
        report, _ = make_report("P-014")
        assert store.load("P-014").findings == report.findings

    def test_killed_writer_leaves_no_partial_run(self, store: HistoryStore) -> None:
        """A writer killed inside its transaction leaves the database consistent."""
        write_runs(store, "A", 1)
        process = worker(store.path, "K-000", 1, "--hold")
        assert process.stdout is not None
        assert process.stdout.readline().strip() == "inside"
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=WORKER_TIMEOUT_S)
        process.communicate()

        assert integrity(store.path) == "ok"
        entries = {entry.run_id: entry.status for entry in store.runs()}
        assert entries == {"A-000": "complete", "K-000": "running"}
        with sqlite3.connect(store.path) as db:
            rows = db.execute("SELECT count(*) FROM panels WHERE run_id = 'K-000'")
            assert rows.fetchone()[0] == 0
        write_runs(store, "B", 1)
        assert store.latest_complete(1) == ["B-000"]
