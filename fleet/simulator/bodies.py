"""Faults in the bytes of a panel's response: labels, encodings and size.

The body faults change a successful handler result after the signature check
passed, so sessions and counters behave as for a healthy panel:

``utf8_bom``
    a UTF-8 byte order mark before the JSON, as a PHP or Windows-edited
    file in the serving path adds.
``empty_body``
    HTTP 200 with no body at all.
``gzip_mislabelled``
    ``Content-Encoding: gzip`` on a body that is not compressed.
``empty_content_encoding``
    a ``Content-Encoding`` header with an empty value.
``json_as_html``
    the JSON labelled ``text/html; charset=utf-8``.

``huge_body`` responds to every request with a JSON document of
``huge_body_bytes``, streamed in chunks without a Content-Length, so a
client has to stop reading on its own.
"""

from __future__ import annotations

from aiohttp import web

from fleet.simulator import wire
from fleet.simulator.panel import PanelRuntime

BOM = b"\xef\xbb\xbf"
CHUNK_BYTES = 256 * 1024
_PADDING = b"x" * CHUNK_BYTES
_HUGE_HEAD = b'{"padding": "'
_HUGE_TAIL = b'"}'


def apply_body_fault(fault: str, response: web.Response) -> None:
    """Apply a body fault to a 200 handler result, in place."""
    body = response.body
    assert isinstance(body, bytes)
    if fault == "utf8_bom":
        response.body = BOM + body
    elif fault == "empty_body":
        response.body = b""
    elif fault == "gzip_mislabelled":
        response.headers["Content-Encoding"] = "gzip"
    elif fault == "empty_content_encoding":
        response.headers["Content-Encoding"] = ""
    elif fault == "json_as_html":
        response.headers["Content-Type"] = wire.TEXT_HTML_UTF8
    else:
        raise ValueError(f"{fault!r} is not a body fault")


async def stream_huge_body(
    panel: PanelRuntime, request: web.BaseRequest
) -> web.StreamResponse:
    """Stream the ``huge_body`` response until it ends or the client closes.

    Every chunk handed to the connection is added to the panel's
    ``body_bytes_sent``, so a test can tell how much a client read before it
    gave up. The count may run ahead of the socket by one chunk plus the
    transport's write buffer, which is 64 KiB by default.
    """
    response = web.StreamResponse(
        status=200,
        headers={
            "Content-Type": wire.JSON_TYPE,
            "Date": wire.http_date(panel.clock()),
        },
    )
    await response.prepare(request)
    try:
        await _write_counted(panel, response, _HUGE_HEAD)
        remaining = panel.spec.huge_body_bytes - len(_HUGE_HEAD) - len(_HUGE_TAIL)
        while remaining > 0:
            size = min(remaining, CHUNK_BYTES)
            await _write_counted(panel, response, _PADDING[:size])
            remaining -= size
        await _write_counted(panel, response, _HUGE_TAIL)
        await response.write_eof()
    except ConnectionError:
        pass  # The client stopped reading and closed, which is the point.

    return response


async def _write_counted(
    panel: PanelRuntime, response: web.StreamResponse, data: bytes
) -> None:
    await response.write(data)
    panel.counters.body_bytes_sent += len(data)
