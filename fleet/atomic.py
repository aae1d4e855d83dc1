"""Replace a file so that readers see the old file or the new one, never half."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import IO


def replace_atomically(
    path: Path,
    write: Callable[[IO[str]], object],
    mode: int = 0o600,
    durable: bool = False,
) -> None:
    """Let ``write`` fill a temporary file beside ``path``, then rename it over.

    ``durable`` also flushes the data to disk before the rename, which costs
    a disk sync per file: right for a report, too slow for a cookie file per
    panel.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as file:
            write(file)
            if durable:
                file.flush()
                os.fsync(file.fileno())
        os.chmod(temporary, mode)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def write_text_atomic(path: Path, text: str, mode: int = 0o644) -> None:
    """Write a report file durably and atomically.

    ``mode`` defaults to world-readable because a metrics collector often runs
    as another user.
    """
    replace_atomically(path, lambda file: file.write(text), mode, durable=True)
