"""The nightly audit: collect facts from every panel, check them, report findings.

The audit runs catalogue and audit operations through the scheduler, reduces
the results to ``PanelFacts``, evaluates each check with the thresholds of the
audit configuration and hands one ``AuditReport`` to every report format and
to the history store.
"""
