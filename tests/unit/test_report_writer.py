"""The JSON report writer: valid JSON, readable, one result per line."""

from __future__ import annotations

import io
import json
from pathlib import Path

from fleet.report.files import write_json_atomic, write_readable

DOCUMENT = {
    "schema": "fleet.report/1",
    "run": {"run_id": "r1", "operations": ["system", "disks"], "stopped": None},
    "summary": {"panels": 2, "failures_by_kind": {}},
    "results": [
        {"panel": "web-1", "ok": True, "data": {"version": "11.7.0", "note": "é\n"}},
        {"panel": "web-2", "ok": False, "data": None},
    ],
    "empty": [],
}


class TestWriteReadable:
    def test_round_trips(self) -> None:
        """The text parses back to the same document."""
        text = io.StringIO()
        write_readable(text, DOCUMENT)
        assert json.loads(text.getvalue()) == DOCUMENT

    def test_one_result_per_line(self) -> None:
        """Each item of a top-level list is one line of its own."""
        text = io.StringIO()
        write_readable(text, DOCUMENT)
        lines = text.getvalue().splitlines()
        result_lines = [line for line in lines if line.startswith('  {"panel"')]
        assert len(result_lines) == 2
        assert json.loads(result_lines[0].rstrip(","))["panel"] == "web-1"

    def test_keeps_non_ascii_text(self) -> None:
        """Non-ASCII characters are written as they are, not escaped."""
        text = io.StringIO()
        write_readable(text, DOCUMENT)
        assert "é" in text.getvalue()

    def test_other_documents_are_indented(self) -> None:
        """A document that is not a mapping is written as indented JSON."""
        text = io.StringIO()
        write_readable(text, [1, 2])
        assert text.getvalue() == "[\n 1,\n 2\n]"


class TestWriteJsonAtomic:
    def test_writes_the_file(self, tmp_path: Path) -> None:
        """The report file holds the document and ends with a newline."""
        path = tmp_path / "out" / "report.json"
        write_json_atomic(path, DOCUMENT)
        text = path.read_text(encoding="utf-8")
        assert json.loads(text) == DOCUMENT
        assert text.endswith("}\n")
        assert not [p for p in path.parent.iterdir() if p.name.startswith(".")]
