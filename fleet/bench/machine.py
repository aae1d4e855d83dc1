"""The facts about the machine and software that a benchmark result depends on."""

from __future__ import annotations

import importlib.metadata
import os
import platform
import resource
import time

from fleet.bench.processes import USABLE_CORES


def cpu_model() -> str:
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as cpuinfo:
            for line in cpuinfo:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def version_of(package: str) -> str:
    try:
        return importlib.metadata.version(package)
    except importlib.metadata.PackageNotFoundError:
        return "not installed"


def describe_machine() -> dict[str, str]:
    """Return labelled facts: CPU, cores, OS, Python and library versions, limits."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    return {
        "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "CPU": cpu_model(),
        "cores": f"{os.cpu_count()} ({len(USABLE_CORES)} usable)",
        "kernel": f"{platform.system()} {platform.release()}",
        "Python": platform.python_version(),
        "aiohttp": version_of("aiohttp"),
        "yarl": version_of("yarl"),
        "uvloop": version_of("uvloop"),
        "open-file limit": f"soft {soft}, hard {hard}",
    }
