"""Every report format rendered from one report, parsed back with standard tools."""

from __future__ import annotations

import csv
import io
import json
import os
import re
import stat
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from fleet.audit.checks import evaluate
from fleet.audit.config import AuditConfig
from fleet.audit.diff import diff_runs
from fleet.audit.facts import Certificate, Mount, OperationFailure, Site
from fleet.audit.model import PANEL, SITE, Finding, Severity
from fleet.audit.report import SCHEMA, AuditReport
from fleet.errors import UsageError
from fleet.report.formats import ALL_FORMATS, parse_formats, report_paths, write_reports
from fleet.report.formats.csv_report import COLUMNS, render_csv
from fleet.report.formats.html import render_html
from fleet.report.formats.junit import render_junit
from fleet.report.formats.markdown import render_markdown
from fleet.report.formats.prometheus import render_prometheus

from .support import NOW, facts, report_of

NAME = r"[a-zA-Z_:][a-zA-Z0-9_:]*"
LABEL = r'[a-zA-Z_][a-zA-Z0-9_]*="(?:\\.|[^"\\\n])*"'
SAMPLE = re.compile(
    rf"^(?P<name>{NAME})(?:\{{(?P<labels>{LABEL}(?:,{LABEL})*)\}})? "
    r"(?P<value>-?[0-9]+(?:\.[0-9]+)?(?:e[+-]?[0-9]+)?|NaN|[+-]Inf)$"
)
COMMENT = re.compile(rf"^# (?P<kind>HELP|TYPE) (?P<name>{NAME}) (?P<text>.*)$")
TRICKY_SITE = '=cmd|"x"\\ \u5b9d\u5854.example.com'


@pytest.fixture
def report() -> AuditReport:
    """A report with ok, warning, critical and unknown findings and hard text."""
    panels = [
        facts(
            "web-1",
            mounts=(Mount("/", 100, 96, 96.0, 5.0), Mount("/www", 100, 10, 10.0, 1.0)),
            sites=(
                Site(TRICKY_SITE, False, "7.4"),
                Site("ok.example.com", True, "8.3"),
            ),
            certificates=(
                Certificate(TRICKY_SITE, "2027-01-10 00:00:00", 5, "R11"),
                Certificate("ok.example.com", "2027-06-01 00:00:00", 130, "R11"),
            ),
        ),
        facts("web-2", version="11.5.0"),
        facts(
            "web-3",
            reached=False,
            mounts=None,
            sites=None,
            certificates=None,
            backups=None,
            failures=(OperationFailure("system", "connect", "refused\x00 <now>"),),
        ),
    ]
    findings = evaluate(panels, AuditConfig(), NOW)
    return report_of(panels, findings)


class TestFormatSelection:
    def test_all(self) -> None:
        """'all' selects every format."""
        assert parse_formats("all") == ALL_FORMATS

    def test_list(self) -> None:
        """A comma list keeps its order and drops repeats."""
        assert parse_formats("html, csv,html") == ("html", "csv")

    def test_unknown(self) -> None:
        """An unknown format is a usage error naming the choices."""
        with pytest.raises(UsageError, match="unknown report format 'pdf'"):
            parse_formats("csv,pdf")

    def test_paths(self, tmp_path: Path) -> None:
        """Files are named by run id, except the fixed Prometheus file."""
        paths = report_paths(tmp_path, "R1", ALL_FORMATS)
        assert "table" not in paths
        assert paths["json"].name == "R1.audit.json"
        assert paths["prometheus"].name == "fleet-audit.prom"


class TestJson:
    def test_document(self, report: AuditReport) -> None:
        """The JSON report has its schema, the summary, findings and facts."""
        document = json.loads(json.dumps(report.to_document()))
        assert document["schema"] == SCHEMA
        assert document["summary"]["severity"] == "critical"
        assert document["summary"]["exit_code"] == 2
        assert document["summary"]["panels_by_status"]["unknown"] == 1
        assert document["summary"]["unreached_by_kind"] == {"connect": 1}
        assert len(document["findings"]) == len(report.findings)
        assert document["panels"][2]["reached"] is False


class TestCsv:
    def test_rows(self, report: AuditReport) -> None:
        """The CSV parses back with one row per finding and the header first."""
        rows = list(csv.reader(io.StringIO(render_csv(report))))
        assert tuple(rows[0]) == COLUMNS
        assert len(rows) == len(report.findings) + 1
        assert {row[1] for row in rows[1:]} == {"ok", "warning", "critical", "unknown"}

    def test_formula_cells_defused(self, report: AuditReport) -> None:
        """A site name starting with '=' gets a leading quote."""
        rows = list(csv.DictReader(io.StringIO(render_csv(report))))
        objects = {row["object"] for row in rows}
        assert "'" + TRICKY_SITE in objects
        assert TRICKY_SITE not in objects


class TestJunit:
    def test_counts(self, report: AuditReport) -> None:
        """Suites per check; failures for warning and critical, errors for unknown."""
        root = ET.fromstring(render_junit(report))
        problems = [f for f in report.findings if f.severity is not Severity.OK]
        unknown = [f for f in problems if f.severity is Severity.UNKNOWN]
        assert root.tag == "testsuites"
        assert int(root.get("tests", "")) == len(report.findings)
        assert int(root.get("failures", "")) == len(problems) - len(unknown)
        assert int(root.get("errors", "")) == len(unknown)
        suites = {suite.get("name") for suite in root.iter("testsuite")}
        assert {"disk", "certificates", "reachability"} <= suites

    def test_failure_text(self, report: AuditReport) -> None:
        """A failure names its severity; characters XML forbids are replaced."""
        root = ET.fromstring(render_junit(report))
        errors = list(root.iter("error"))
        assert errors[0].get("type") == "unknown"
        assert "\x00" not in (errors[0].get("message") or "")
        disk = [
            case
            for case in root.iter("testcase")
            if case.get("classname") == "web-1" and case.get("name") == "disk /"
        ]
        failure = disk[0].find("failure")
        assert failure is not None
        assert failure.get("type") == "critical"


class TestPrometheus:
    def test_exposition_format(self, report: AuditReport) -> None:
        """Every line is a HELP, TYPE or sample line; samples follow their TYPE."""
        text = render_prometheus(report)
        typed: set[str] = set()
        series: set[str] = set()
        assert text.endswith("\n")
        for line in text.splitlines():
            comment = COMMENT.match(line)
            if comment:
                if comment["kind"] == "TYPE":
                    assert comment["text"] == "gauge"
                    assert comment["name"] not in typed
                    typed.add(comment["name"])
                continue
            sample = SAMPLE.match(line)
            assert sample, f"not an exposition line: {line!r}"
            assert sample["name"] in typed
            key = f"{sample['name']}{{{sample['labels']}}}"
            assert key not in series, f"duplicate series {key}"
            series.add(key)

    def test_values(self, report: AuditReport) -> None:
        """Key metrics carry the expected values and escaped labels."""
        text = render_prometheus(report)
        assert "fleet_audit_status 2\n" in text
        assert 'fleet_audit_panel_status{panel="web-3"} 3\n' in text
        assert 'fleet_audit_panel_reachable{panel="web-3"} 0\n' in text
        assert 'fleet_audit_disk_used_ratio{panel="web-1",mount="/"} 0.96\n' in text
        escaped = TRICKY_SITE.replace("\\", "\\\\").replace('"', '\\"')
        assert f'site="{escaped}"}} 5\n' in text

    def test_written_atomically(self, report: AuditReport, tmp_path: Path) -> None:
        """The file is replaced whole, readable by others, with no temporary left."""
        paths = report_paths(tmp_path, report.run.run_id, ["prometheus"])
        write_reports(report, paths)
        write_reports(report, paths)
        assert sorted(os.listdir(tmp_path)) == ["fleet-audit.prom"]
        mode = stat.S_IMODE(paths["prometheus"].stat().st_mode)
        assert mode == 0o644


class TestMarkdown:
    def test_content(self, report: AuditReport) -> None:
        """The Markdown has the result, counts and an escaped problem table."""
        text = render_markdown(report)
        assert text.startswith("# Fleet audit run-1: critical")
        assert "| 3 | 0 | 1 | 1 | 1 |" in text
        assert "Panels not reached: 1 connect." in text
        assert "\\|" in text
        for line in text.splitlines():
            if line.startswith("| critical |"):
                assert line.count(" | ") == 4

    def test_diff_section(self, report: AuditReport) -> None:
        """Changes since the previous run are listed by kind."""
        before = report_of(report.panels[:2], [], run_id="run-0")
        changed = AuditReport(
            report.run, report.panels, report.findings, diff_runs(before, report)
        )
        text = render_markdown(changed)
        assert "## Changes since run run-0" in text
        assert "### Panels added" in text
        assert "- web-3" in text


class TestHtml:
    def test_self_contained(self, report: AuditReport) -> None:
        """The page loads nothing: no external src or href, and a strict CSP."""
        page = render_html(report)
        assert not re.search(r"""(?:src|href)\s*=\s*["']?(?:https?:)?//""", page)
        assert "default-src 'none'" in page
        assert page.count("<svg") == 3

    def test_escaped(self, report: AuditReport) -> None:
        """Text from panels is escaped, so it cannot inject markup."""
        page = render_html(report)
        assert "&lt;now&gt;" in page
        assert "<now>" not in page


class TestFindingRecord:
    def test_round_trip(self) -> None:
        """A finding survives its JSON record unchanged."""
        finding = Finding(
            "disk", Severity.WARNING, "web-1", PANEL, "/", "full", 81.0, 80.0
        )
        assert Finding.from_record(finding.to_record()) == finding
        assert (
            Finding.from_record(
                Finding("x", Severity.OK, "p", SITE, "s", "m").to_record()
            ).value
            is None
        )
