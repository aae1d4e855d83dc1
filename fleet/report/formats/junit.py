"""JUnit XML for CI: one test suite per check, one test case per finding.

A critical or warning finding is a ``<failure>`` whose ``type`` is its
severity (warnings also make ``fleet audit`` exit non-zero), an unknown one is
an ``<error>``, and an ok finding is a passing test case.
"""

from __future__ import annotations

import datetime
import re
import xml.etree.ElementTree as ET
from itertools import groupby
from pathlib import Path

from fleet.atomic import write_text_atomic
from fleet.audit.model import Finding, Severity
from fleet.audit.report import AuditReport

# Characters XML 1.0 does not allow at all, even escaped.
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def text(value: str) -> str:
    return _NOT_XML.sub("\ufffd", value)


def render_junit(report: AuditReport) -> str:
    run = report.run
    timestamp = datetime.datetime.fromtimestamp(run.started_at, datetime.UTC)
    root = ET.Element("testsuites", name=f"fleet audit {run.run_id}")
    by_check = sorted(report.findings, key=lambda f: (f.check, f.panel, f.object_name))
    for check, findings in groupby(by_check, key=lambda f: f.check):
        suite = ET.SubElement(
            root,
            "testsuite",
            name=check,
            timestamp=timestamp.isoformat(timespec="seconds"),
        )
        for finding in findings:
            add_case(suite, finding)
        count_cases(suite)
    count_cases(root)
    root.set("time", f"{max(0.0, run.finished_at - run.started_at):.3f}")
    ET.indent(root)

    return ET.tostring(root, encoding="unicode", xml_declaration=True) + "\n"


def add_case(suite: ET.Element, finding: Finding) -> None:
    name = f"{finding.check} {finding.object_name}".strip()
    case = ET.SubElement(
        suite, "testcase", classname=text(finding.panel), name=text(name), time="0"
    )
    if finding.severity is Severity.OK:
        return
    tag = "error" if finding.severity is Severity.UNKNOWN else "failure"
    outcome = ET.SubElement(
        case, tag, type=finding.severity.value, message=text(finding.message)
    )
    outcome.text = text(finding.message)


def count_cases(element: ET.Element) -> None:
    """Set the tests, failures, errors and skipped counts from the cases below."""
    cases = list(element.iter("testcase"))
    element.set("tests", str(len(cases)))
    element.set("failures", str(sum(1 for c in cases if c.find("failure") is not None)))
    element.set("errors", str(sum(1 for c in cases if c.find("error") is not None)))
    element.set("skipped", "0")


def write_junit(report: AuditReport, path: Path) -> None:
    write_text_atomic(path, render_junit(report))
