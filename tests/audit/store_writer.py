"""A process that writes audit runs into a history database, for the store tests.

``python -m tests.audit.store_writer DB PREFIX COUNT`` records COUNT complete
runs. With ``--hold`` it records one run's rows inside an open transaction,
prints "inside" and sleeps, so the test can kill it mid-transaction.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from fleet.audit.checks import evaluate
from fleet.audit.config import AuditConfig
from fleet.audit.facts import Certificate, Site
from fleet.audit.report import AuditReport
from fleet.report.model import Result
from fleet.store import rows
from fleet.store.history import HistoryStore

from .support import NOW, facts, report_of

PANELS = 40
SITES = 5


def make_report(run_id: str) -> tuple[AuditReport, list[Result]]:
    """Return a report of PANELS panels with SITES sites each, and its results."""
    panels = []
    for number in range(PANELS):
        names = [f"site-{index}.example.com" for index in range(SITES)]
        panels.append(
            facts(
                f"web-{number}",
                sites=tuple(Site(name, True, "8.3") for name in names),
                certificates=tuple(Certificate(name, "", 30, "R11") for name in names),
            )
        )
    report = report_of(panels, evaluate(panels, AuditConfig(), NOW), run_id=run_id)
    results = [
        Result(p.name, p.url, "system", True, 1, 0.01, NOW) for p in report.panels
    ]
    return report, results


def write_runs(store: HistoryStore, prefix: str, count: int) -> None:
    for number in range(count):
        report, results = make_report(f"{prefix}-{number:03d}")
        store.begin_run(report.run)
        store.finish_run(report, results)


def hold_transaction(store: HistoryStore, run_id: str) -> None:
    report, results = make_report(run_id)
    store.begin_run(report.run)
    with store.transaction() as db:
        rows.insert_results(db, run_id, results)
        rows.insert_panels(db, run_id, report.panels)
        rows.insert_findings(db, run_id, report.findings)
        print("inside", flush=True)
        time.sleep(60)


def main(arguments: list[str]) -> None:
    database, prefix, count = arguments[0], arguments[1], int(arguments[2])
    store = HistoryStore(Path(database))
    if "--hold" in arguments:
        hold_transaction(store, prefix)
    else:
        write_runs(store, prefix, count)


if __name__ == "__main__":
    main(sys.argv[1:])
