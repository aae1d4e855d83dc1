"""The one place where aiohttp, asyncio and OS errors become ``fleet.errors`` types.

Every translated error is raised ``from`` the original, so ``-vv`` logs keep
the full chain while reports show only the short message.

``Content-Encoding`` as aiohttp 3.14 handles it (C and pure-Python parsers
alike): ``gzip`` and ``deflate`` are decoded, and a body that does not
decode raises ``ClientPayloadError`` caused by ``ContentEncodingError``
(``bad_response.encoding``). ``br`` and ``zstd`` without their optional
decoder packages raise ``ClientResponseError`` while the headers are read,
which ends as ``bad_response.encoding`` too. An empty value or an unknown
token (``Content-Encoding:``, ``Content-Encoding: foo``) is ignored. The
body then arrives as sent, and a plain JSON body parses. None of these is
retried, because the same read gets the same bytes.
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
    if isinstance(exc, aiohttp.SocketTimeoutError):
        return PanelTimeoutError("timed out waiting for the response (timeouts.read)")
    if isinstance(exc, asyncio.TimeoutError):
        return PanelTimeoutError(
            "the response did not complete within timeouts.connect + 2 x "
            "timeouts.read, the limit of one attempt"
        )
    if isinstance(exc, aiohttp.ClientConnectorError):
        return ConnectError(f"cannot connect: {exc.os_error}")
    if isinstance(exc, aiohttp.ClientPayloadError):
        return payload_error(exc)
    if isinstance(exc, aiohttp.ClientResponseError):
        return response_error(exc)
    if isinstance(exc, aiohttp.ClientConnectionError | OSError):
        error = ConnectError(f"connection lost: {exc or type(exc).__name__}")
        error.before_send = False
        return error
    if isinstance(exc, json.JSONDecodeError | UnicodeDecodeError):
        return BadResponseError(f"the response cannot be decoded: {exc}")

    return BadResponseError(
        f"unexpected failure {type(exc).__name__}: {exc}",
        ErrorKind.BAD_RESPONSE_NOT_JSON,
    )


def payload_error(exc: aiohttp.ClientPayloadError) -> PanelError:
    """Tell a cut-off body from one whose encoding is broken.

    aiohttp chains the parser's error as the cause: ``ContentEncodingError``
    for a body that does not decompress, ``ContentLengthError`` or
    ``TransferEncodingError`` for one that ended early.
    """
    if isinstance(exc.__cause__, http_exceptions.ContentEncodingError):
        return encoding_error(exc)
    cause = exc.__cause__
    detail = (
        cause.message if isinstance(cause, http_exceptions.HttpProcessingError) else exc
    )
    error = BadResponseError(
        f"the body was cut off before its declared length: {detail}",
        ErrorKind.BAD_RESPONSE_TRUNCATED,
    )
    # A dropped connection is transient, so a read may be sent again.
    error.retryable = True
    return error


def response_error(exc: aiohttp.ClientResponseError) -> PanelError:
    """Translate a response aiohttp could not parse at all.

    With ``raise_for_status`` off, aiohttp raises this only while reading the
    status line and headers: a malformed head, or a Content-Encoding it has
    no decoder for.
    """
    if "content-encoding" in exc.message.lower():
        return encoding_error(exc)

    return BadResponseError(
        f"the response is not valid HTTP: {exc.message}; check that the URL "
        "points at the panel and that its scheme (http or https) is right",
        ErrorKind.BAD_RESPONSE_NOT_JSON,
    )


def encoding_error(exc: aiohttp.ClientError) -> BadResponseError:
    message = " ".join(str(exc).split())
    return BadResponseError(
        f"the body does not match its Content-Encoding header: {message}",
        ErrorKind.BAD_RESPONSE_ENCODING,
    )
