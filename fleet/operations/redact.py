"""Remove secrets that panels return before anything reaches an output.

Panels hand out plaintext FTP and database passwords, the MySQL root password
and SSL private keys in ordinary read answers; none of them may reach a log,
a report or the history store.
"""

from __future__ import annotations

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
