"""The one place where aiohttp, asyncio and OS errors become ``fleet.errors`` types.

Every translated error is raised ``from`` the original, so ``-vv`` logs keep
the full chain while reports show only the short message.
"""

from __future__ import annotations

import asyncio
import json

import aiohttp
from aiohttp import http_exceptions

from fleet.errors import (
    BadResponseError,
    ConnectError,
    DNSError,
    ErrorKind,
    PanelError,
    PanelTimeoutError,
    TLSError,
)


def translate(exc: BaseException) -> PanelError:
    """Map an aiohttp, asyncio or OS error to its ``PanelError``."""
    if isinstance(exc, aiohttp.ServerFingerprintMismatch):
        return TLSError(
            f"certificate fingerprint mismatch: got {exc.got.hex()}; if the panel's "
            "certificate was renewed on purpose, update tls.fingerprint"
        )
    if isinstance(
        exc, aiohttp.ClientSSLError | aiohttp.ClientConnectorCertificateError
    ):
        return TLSError(
            f"TLS handshake failed: {exc}; set tls.ca_file, pin tls.fingerprint "
            "or, for a self-signed panel you trust, tls.verify: false"
        )
    if isinstance(exc, aiohttp.ClientConnectorDNSError):
        return DNSError(f"DNS lookup failed: {exc.os_error}")
    if isinstance(exc, aiohttp.ConnectionTimeoutError):
        connect_timeout = PanelTimeoutError(
            "timed out while connecting (timeouts.connect)", ErrorKind.TIMEOUT_CONNECT
        )
        connect_timeout.before_send = True
        return connect_timeout
    if isinstance(exc, aiohttp.SocketTimeoutError | asyncio.TimeoutError):
        return PanelTimeoutError("timed out waiting for the answer (timeouts.read)")
    if isinstance(exc, aiohttp.ClientConnectorError):
        return ConnectError(f"cannot connect: {exc.os_error}")
    if isinstance(exc, aiohttp.ClientPayloadError):
        return payload_error(exc)
    if isinstance(exc, aiohttp.ClientConnectionError | OSError):
        error = ConnectError(f"connection lost: {exc or type(exc).__name__}")
        error.before_send = False
        return error
    if isinstance(exc, json.JSONDecodeError | UnicodeDecodeError):
        return BadResponseError(f"the answer cannot be decoded: {exc}")

    return BadResponseError(
        f"unexpected failure {type(exc).__name__}: {exc}",
        ErrorKind.BAD_RESPONSE_NOT_JSON,
    )


def payload_error(exc: aiohttp.ClientPayloadError) -> PanelError:
    """Tell a cut-off body from one whose encoding is broken."""
    cause = exc.__cause__ or (exc.args[0] if exc.args else None)
    if isinstance(cause, http_exceptions.ContentEncodingError) or (
        "encoding" in str(exc).lower() and "transfer" not in str(exc).lower()
    ):
        return BadResponseError(
            f"the body cannot be decoded as its Content-Encoding says: {exc}",
            ErrorKind.BAD_RESPONSE_ENCODING,
        )
    error = BadResponseError(
        f"the body was cut off before its declared length: {exc}",
        ErrorKind.BAD_RESPONSE_TRUNCATED,
    )
    error.retryable = True
    return error
