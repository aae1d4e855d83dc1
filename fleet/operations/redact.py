"""Remove secrets that panels return before anything reaches an output.

Panels hand out plaintext FTP and database passwords, the MySQL root password
and SSL private keys in ordinary read responses; none of them may reach a log,
a report or the history store.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

REDACTED = "[redacted]"
SECRET_FIELDS = frozenset(
    {
        "password",
        "mysql_root",
        "datapassword",
        "ftp_password",
        "ftppass",
        "databasepass",
        "key",
        "private_key",
        "privatekey",
        "token",
        "token_crypt",
        "tmp_token",
        "request_token",
        "secret",
        "passwd",
        "pwd",
    }
)


def is_secret_text(text: str) -> bool:
    return "PRIVATE KEY-----" in text


def redact(value: Any) -> Any:
    """Return a copy of ``value`` with every secret string replaced."""
    if isinstance(value, dict):
        return {key: redact_field(key, item) for key, item in value.items()}
    if isinstance(value, list):
        return [redact(item) for item in value]
    if isinstance(value, str) and is_secret_text(value):
        return REDACTED

    return value


def redact_field(name: object, value: Any) -> Any:
    is_secret_name = isinstance(name, str) and name.lower() in SECRET_FIELDS
    if is_secret_name and isinstance(value, str | int) and value not in ("", 0):
        return REDACTED

    return redact(value)


_SECRET_JSON_FIELD = re.compile(
    r'("(?:' + "|".join(sorted(SECRET_FIELDS)) + r')"\s*:\s*")((?:[^"\\]|\\.)*)"',
    re.IGNORECASE,
)
_SECRET_FORM_FIELD = re.compile(
    r"((?:request_token|tmp_token|token|password|passwd|pwd)=)[^&\s'\"]+",
    re.IGNORECASE,
)
_PRIVATE_KEY_BLOCK = re.compile(
    r"-----BEGIN [A-Z ]*PRIVATE KEY-----.*?(?:-----END [A-Z ]*PRIVATE KEY-----|$)",
    re.DOTALL,
)
# C0 and C1 control characters, which could rewrite a terminal's title or
# screen when a message is printed; tab and newline stay.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def scrub_text(text: str, secrets: Iterable[str] = ()) -> str:
    """Remove secrets and control characters from text quoted from a panel.

    ``secrets`` are exact strings to remove, such as the token just sent;
    the rest is found by shape: JSON or form fields with secret names and
    PEM private key blocks.
    """
    for secret in secrets:
        if secret:
            text = text.replace(secret, REDACTED)
    text = _PRIVATE_KEY_BLOCK.sub(REDACTED, text)
    text = _SECRET_JSON_FIELD.sub(lambda m: f'{m.group(1)}{REDACTED}"', text)
    text = _SECRET_FORM_FIELD.sub(lambda m: f"{m.group(1)}{REDACTED}", text)

    return _CONTROL.sub("?", text)
