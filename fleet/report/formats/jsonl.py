"""The audit's JSONL stream: results as they complete, then findings.

Line one is the run header (``"type": "audit"``). Each result follows the
moment it completes, flushed line by line, so a crash loses nothing already
collected. After the checks run, one ``finding`` line per finding and a final
``summary`` line are appended.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import IO, Any

from fleet.audit.report import SCHEMA, AuditReport, AuditRun
from fleet.report.model import Result


class JsonlStream:
    """Appends the header, each result, then the findings of one audit run."""

    def __init__(self, path: Path, run: AuditRun) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self._file: IO[str] = path.open("a", encoding="utf-8", buffering=1)
        self._write({"type": "audit", "schema": SCHEMA, **run.to_record()})

    def write_result(self, result: Result) -> None:
        record = result.to_record()
        record.pop("data", None)  # the facts are in the finding lines' panels
        self._write({"type": "result", **record})

    def finish(self, report: AuditReport) -> None:
        """Append the findings and the summary, then close the file."""
        for finding in report.findings:
            self._write({"type": "finding", **finding.to_record()})
        self._write({"type": "summary", **report.summary()})
        self.close()

    def close(self) -> None:
        if not self._file.closed:
            self._file.close()

    def _write(self, record: dict[str, Any]) -> None:
        self._file.write(json.dumps(record, ensure_ascii=False) + "\n")
