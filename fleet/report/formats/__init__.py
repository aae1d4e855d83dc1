"""The audit's report formats, each rendered from one ``AuditReport``.

``table`` prints to stdout; every other format writes one file to the output
directory. The JSONL stream is written while the run goes on and completed at
the end. The Prometheus file keeps one fixed name, because node_exporter's
textfile collector reads every ``*.prom`` file of its directory and a new name
per run would leave stale series behind.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path

from fleet.audit.report import AuditReport
from fleet.errors import UsageError
from fleet.report.formats.csv_report import write_csv
from fleet.report.formats.html import write_html
from fleet.report.formats.json_report import write_json
from fleet.report.formats.junit import write_junit
from fleet.report.formats.markdown import write_markdown
from fleet.report.formats.prometheus import write_prometheus

ALL_FORMATS = (
    "table",
    "json",
    "jsonl",
    "csv",
    "markdown",
    "html",
    "prometheus",
    "junit",
)

FILE_NAMES = {
    "json": "{run_id}.audit.json",
    "jsonl": "{run_id}.audit.jsonl",
    "csv": "{run_id}.findings.csv",
    "markdown": "{run_id}.audit.md",
    "html": "{run_id}.audit.html",
    "prometheus": "fleet-audit.prom",
    "junit": "{run_id}.junit.xml",
}

WRITERS: dict[str, Callable[[AuditReport, Path], None]] = {
    "json": write_json,
    "csv": write_csv,
    "markdown": write_markdown,
    "html": write_html,
    "prometheus": write_prometheus,
    "junit": write_junit,
}


def parse_formats(text: str) -> tuple[str, ...]:
    """Read a comma list such as "table,html"; "all" selects every format."""
    names = [name.strip() for name in text.split(",") if name.strip()]
    if names == ["all"]:
        return ALL_FORMATS
    unknown = [name for name in names if name not in ALL_FORMATS]
    if unknown or not names:
        raise UsageError(
            f"unknown report format {unknown[0] if unknown else text!r}; choose from "
            f"{', '.join(ALL_FORMATS)} or all, separated by commas"
        )
    return tuple(dict.fromkeys(names))


def report_paths(
    out_dir: Path,
    run_id: str,
    formats: Iterable[str],
    prometheus_path: Path | None = None,
) -> dict[str, Path]:
    """Return the file of each selected file format."""
    paths = {
        name: out_dir / FILE_NAMES[name].format(run_id=run_id)
        for name in formats
        if name in FILE_NAMES
    }
    if prometheus_path is not None and "prometheus" in paths:
        paths["prometheus"] = prometheus_path

    return paths


def write_reports(report: AuditReport, paths: dict[str, Path]) -> None:
    """Write every selected file format except the JSONL stream."""
    for name, path in paths.items():
        writer = WRITERS.get(name)
        if writer is not None:
            writer(report, path)
