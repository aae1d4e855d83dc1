"""API key sources (inline, environment variable, file) and reading them.

No message built here contains a key. A value that looks like a key where a
variable name or a file name belongs is not quoted either, because the usual
mistake is pasting the key itself into ``key_env`` or ``key_file``.
"""

from __future__ import annotations

import dataclasses
import os
import re
from collections.abc import Mapping

from fleet.errors import ConfigError
from fleet.inventory.model import Secret
from fleet.inventory.scope import Scope

KEY_FIELDS = ("key", "key_env", "key_file")

# A key file contains one line, so a larger file is the wrong file.
KEY_FILE_MAX_BYTES = 4096

_ENV_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


class RepeatedKeyError(ConfigError):
    """A key source that already failed for an earlier panel."""


@dataclasses.dataclass(frozen=True, slots=True)
class KeySource:
    """The source of one level's API key.

    ``text`` is the key itself for ``key``, the variable name for ``key_env``
    and the absolute path for ``key_file``.
    """

    kind: str  # one of KEY_FIELDS
    text: str = dataclasses.field(repr=False)
    location: str  # FILE:LINE:COL of the value


class KeyReader:
    """Reader of panel keys from their sources, caching each key file's text.

    A source that failed once raises RepeatedKeyError for later panels, so a
    broken key source in defaults is reported once, not once per panel.
    """

    def __init__(self, environ: Mapping[str, str]) -> None:
        self._environ = environ
        self._file_texts: dict[str, str] = {}
        self._failed_locations: set[str] = set()

    def read(self, source: KeySource, scope: Scope) -> tuple[Secret, list[str]]:
        """Return the stripped key and warnings about whitespace around it."""
        try:
            return self._read_once(source, scope)
        except ConfigError as exc:
            if source.location in self._failed_locations:
                raise RepeatedKeyError(str(exc)) from None
            self._failed_locations.add(source.location)
            raise

    def _read_once(self, source: KeySource, scope: Scope) -> tuple[Secret, list[str]]:
        if source.kind == "key_env":
            raw = self._read_environment(source, scope)
            origin = f"environment variable {_quote_name(source.text)}"
        elif source.kind == "key_file":
            # A trailing newline is normal in a file, so it goes without a warning.
            raw = _drop_final_newline(self._read_file(source, scope))
            origin = f"key file {_quote_name(source.text)}"
        else:
            raw = source.text
            origin = "the 'key' setting"

        return _clean_key(raw, origin, source.location, scope)

    def _read_environment(self, source: KeySource, scope: Scope) -> str:
        name = source.text
        if not _ENV_NAME.fullmatch(name):
            raise scope.error_at(
                source.location,
                f"key_env {_quote_name(name)} is not a valid environment "
                "variable name; key_env takes the name of a variable that holds "
                "the key, such as BT_WEB1_KEY, not the key itself",
            )
        if name not in self._environ:
            raise scope.error_at(
                source.location,
                f"environment variable {_quote_name(name)} named by key_env is "
                "not set; export it before running fleet, or use key_file",
            )
        return self._environ[name]

    def _read_file(self, source: KeySource, scope: Scope) -> str:
        path = source.text
        if path not in self._file_texts:
            self._file_texts[path] = _read_key_file(path, source.location, scope)
        return self._file_texts[path]


def _read_key_file(path: str, location: str, scope: Scope) -> str:
    label = f"key file {_quote_name(path)}"
    if os.path.exists(path) and not os.path.isfile(path):
        # Opening a FIFO or a device would block or never end.
        raise scope.error_at(
            location, f"{label} is not a regular file; point key_file at a file"
        )
    try:
        with open(path, "rb") as stream:
            data = stream.read(KEY_FILE_MAX_BYTES + 1)
    except FileNotFoundError:
        raise scope.error_at(
            location,
            f"{label} not found; relative paths start at the inventory's "
            f"directory '{scope.base_dir}'",
        ) from None
    except OSError as exc:
        raise scope.error_at(
            location, f"{label} cannot be read: {exc.strerror or exc}"
        ) from None
    if len(data) > KEY_FILE_MAX_BYTES:
        raise scope.error_at(
            location,
            f"{label} is larger than {KEY_FILE_MAX_BYTES} bytes; a key file "
            "holds only the API key",
        )
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        raise scope.error_at(location, f"{label} is not UTF-8 text") from None


def _drop_final_newline(text: str) -> str:
    if text.endswith("\r\n"):
        return text[:-2]
    return text.removesuffix("\n")


def _clean_key(
    raw: str, origin: str, location: str, scope: Scope
) -> tuple[Secret, list[str]]:
    key = raw.strip()
    if not key:
        raise scope.error_at(location, f"the key from {origin} is empty")
    if any(char.isspace() or not char.isprintable() for char in key):
        raise scope.error_at(
            location,
            f"the key from {origin} contains whitespace or a control character "
            "inside it; copy the key again from the panel's API settings",
        )
    warnings = []
    if key != raw:
        warnings.append(
            scope.message_at(
                location,
                f"the key from {origin} has whitespace around it; fleet stripped "
                "it, but remove it where the key is stored",
            )
        )

    return Secret(key), warnings


def _quote_name(text: str) -> str:
    """Quote a variable name or path for a message unless it looks like a key.

    Names are conventionally upper case and paths contain '/' or '.', while
    panel API keys are long runs of mixed-case letters and digits.
    """
    base = os.path.basename(text)
    if len(base) >= 16 and base.isalnum() and not base.isupper():
        return "(not shown because it looks like an API key)"
    return f"'{text}'"
