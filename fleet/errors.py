"""Exceptions and error kinds.

Every failure a panel call can meet is translated into one of these classes in
exactly one place (``fleet.transport.client``), chained with ``from exc``::

    FleetError
    ├── UsageError                 bad command line                 (exit 64)
    ├── ConfigError                bad inventory or settings        (exit 78)
    └── PanelError                 one call to one panel failed     (exit 1)
        ├── AuthError              never retried: feeds the lockout counter
        │     kinds: auth.wrong_key, auth.ip_not_whitelisted, auth.locked_out,
        │            auth.api_disabled, auth.http_401
        ├── TLSError               tls
        ├── DNSError               dns
        ├── ConnectError           connect
        ├── PanelTimeoutError          timeout.connect, timeout.read, timeout.deadline
        ├── HTTPStatusError        http_status
        ├── BadResponseError       bad_response.not_json, bad_response.empty,
        │                          bad_response.truncated, bad_response.too_large
        ├── PanelRefusedError      panel_refused (``status: false`` and its message)
        ├── UnknownActionError     unknown_action
        └── PanelCancelledError        cancelled (Ctrl-C, SIGTERM)

A bug in fleet itself while handling one panel is recorded with kind
``internal`` for that panel and logged with its traceback.

A failed call is data, not a crash: the scheduler stores the error's kind and
message in a result record and carries on with the other panels.
"""

from __future__ import annotations

import enum


class ErrorKind(enum.StrEnum):
    """Stable names of failure classes, as they appear in reports."""

    AUTH_WRONG_KEY = "auth.wrong_key"
    AUTH_IP_NOT_WHITELISTED = "auth.ip_not_whitelisted"
    AUTH_LOCKED_OUT = "auth.locked_out"
    AUTH_API_DISABLED = "auth.api_disabled"
    AUTH_HTTP_401 = "auth.http_401"
    TLS = "tls"
    DNS = "dns"
    CONNECT = "connect"
    TIMEOUT_CONNECT = "timeout.connect"
    TIMEOUT_READ = "timeout.read"
    TIMEOUT_DEADLINE = "timeout.deadline"
    HTTP_STATUS = "http_status"
    BAD_RESPONSE_NOT_JSON = "bad_response.not_json"
    BAD_RESPONSE_EMPTY = "bad_response.empty"
    BAD_RESPONSE_TRUNCATED = "bad_response.truncated"
    BAD_RESPONSE_TOO_LARGE = "bad_response.too_large"
    BAD_RESPONSE_ENCODING = "bad_response.encoding"
    PANEL_REFUSED = "panel_refused"
    UNKNOWN_ACTION = "unknown_action"
    CANCELLED = "cancelled"
    INTERNAL = "internal"

    @property
    def is_auth(self) -> bool:
        return self.value.startswith("auth.")


class ExitCode(enum.IntEnum):
    """Process exit codes; 64 and 78 are the sysexits values."""

    OK = 0
    FAILED = 1
    USAGE = 64
    CANT_CREATE = 73  # an output or state file cannot be written
    CONFIG = 78


class FleetError(Exception):
    """Base of every error fleet raises on purpose."""


class UsageError(FleetError):
    """The command line is wrong."""


class ConfigError(FleetError):
    """The inventory or another settings file is wrong; nothing was contacted."""


class PanelError(FleetError):
    """One call to one panel failed.

    ``retryable`` tells whether sending the same read again may succeed; whether
    a retry is allowed at all also depends on the operation (writes are retried
    only when no byte of the request reached the panel).
    """

    kind: ErrorKind = ErrorKind.HTTP_STATUS
    retryable: bool = False
    # True when the request never left this host, so even a write may be resent.
    before_send: bool = False

    def __init__(self, message: str, kind: ErrorKind | None = None) -> None:
        super().__init__(message)
        if kind is not None:
            self.kind = kind

    @property
    def message(self) -> str:
        return str(self.args[0])


class AuthError(PanelError):
    kind = ErrorKind.AUTH_WRONG_KEY


class TLSError(PanelError):
    kind = ErrorKind.TLS
    before_send = True


class DNSError(PanelError):
    kind = ErrorKind.DNS
    retryable = True
    before_send = True


class ConnectError(PanelError):
    kind = ErrorKind.CONNECT
    retryable = True
    before_send = True


class PanelTimeoutError(PanelError):
    kind = ErrorKind.TIMEOUT_READ
    retryable = True


class HTTPStatusError(PanelError):
    kind = ErrorKind.HTTP_STATUS

    def __init__(self, message: str, status: int, retryable: bool = False) -> None:
        super().__init__(message)
        self.status = status
        self.retryable = retryable


class BadResponseError(PanelError):
    kind = ErrorKind.BAD_RESPONSE_NOT_JSON


class PanelRefusedError(PanelError):
    kind = ErrorKind.PANEL_REFUSED


class UnknownActionError(PanelError):
    kind = ErrorKind.UNKNOWN_ACTION


class PanelCancelledError(PanelError):
    kind = ErrorKind.CANCELLED
