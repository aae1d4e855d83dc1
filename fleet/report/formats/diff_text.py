"""The diff between two runs as titled lists of plain sentences.

The terminal table, the Markdown and the HTML report all render these same
lines, so the formats never disagree about what changed.
"""

from __future__ import annotations

from fleet.audit.diff import RunDiff


def diff_sections(diff: RunDiff) -> list[tuple[str, list[str]]]:
    """Return (title, lines) for every kind of change that occurred."""
    sections = [
        ("Panels added", list(diff.panels_added)),
        ("Panels removed", list(diff.panels_removed)),
        (
            "Panels that newly fail",
            [f"{panel}: {kind}" for panel, kind in diff.newly_failing],
        ),
        ("Panels reached again", list(diff.recovered)),
        (
            "Version changes",
            [f"{c.panel}: {c.before} -> {c.after}" for c in diff.version_changes],
        ),
        ("Sites added", [f"{panel}: {site}" for panel, site in diff.sites_added]),
        ("Sites removed", [f"{panel}: {site}" for panel, site in diff.sites_removed]),
        (
            "Findings appeared",
            [
                f"{f.severity.value} {f.panel} {f.check}: {f.message}"
                for f in diff.appeared
            ],
        ),
        (
            "Findings with a new severity",
            [
                f"{c.before.value} -> {c.finding.severity.value} {c.finding.panel} "
                f"{c.finding.check}: {c.finding.message}"
                for c in diff.changed
            ],
        ),
        (
            "Findings resolved",
            [
                f"{f.severity.value} {f.panel} {f.check}: {f.message}"
                for f in diff.resolved
            ],
        ),
    ]
    return [(title, lines) for title, lines in sections if lines]
