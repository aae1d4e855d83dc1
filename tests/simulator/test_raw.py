"""Request framing of the raw protocol that serves transport faults."""

from __future__ import annotations

from fleet.simulator.raw import is_request_complete


class TestRequestComplete:
    def test_waits_for_body(self) -> None:
        """A request is complete only once Content-Length body bytes arrived."""
        head = b"POST /system HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\n"

        assert not is_request_complete(head + b"abc")
        assert is_request_complete(head + b"abcde")

    def test_head_without_body(self) -> None:
        """A request without a body is complete at the blank line."""
        request = b"GET /system HTTP/1.1\r\nHost: x\r\n\r\n"

        assert is_request_complete(request)
        assert not is_request_complete(request[:-2])

    def test_chunked_body(self) -> None:
        """A chunked body is complete after its zero-length last chunk."""
        head = b"POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n"

        assert not is_request_complete(head + b"3\r\nabc\r\n")
        assert is_request_complete(head + b"3\r\nabc\r\n0\r\n\r\n")

    def test_oversized_head_counts_as_complete(self) -> None:
        """A head that never ends stops buffering past one MiB."""
        assert is_request_complete(b"x" * (1024 * 1024 + 1))
