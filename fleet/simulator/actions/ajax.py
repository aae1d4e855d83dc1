"""Handlers of the ``/ajax`` route: the task queue and the update check."""

from __future__ import annotations

from fleet.simulator.actions.base import ActionContext


def get_task_count(context: ActionContext) -> object:
    """Return the number of queued install tasks as a bare integer (GetTaskCount)."""
    return context.data.task_count


def update_panel(context: ActionContext) -> object:
    """Report whether a newer panel version exists, installing nothing (UpdatePanel).

    The real panel may download and install an update from this call when the
    vendor marks it forced. The simulator never does, so ``force`` is false.
    """
    data = context.data
    version = next_version(data.version) if data.update_available else data.version
    english = context.panel.profile.english
    archive = "LinuxPanel_EN" if english else "LinuxPanel"
    info = {
        "version": version,
        "uptime": "2026-04-17",
        "updateMsg": context.texts.update_note,
        "is_beta": 0,
        "beta": {
            "version": next_version(version),
            "uptime": "2026-05-10",
            "updateMsg": context.texts.update_note,
        },
        "force": False,
        "downUrl": f"https://download.example.com/install/update/{archive}-{version}.zip",
        "ignore": [],
        "local_beta": 0,
    }

    return {"status": data.update_available, "msg": info}


def next_version(version: str) -> str:
    """Return the version with its last numeric part raised by one."""
    head, _, last = version.rpartition(".")
    if not last.isdigit():
        return f"{version}.1"
    bumped = str(int(last) + 1)

    return f"{head}.{bumped}" if head else bumped
