"""What the new fault profiles put on the wire, read from a raw socket."""

from __future__ import annotations

import asyncio
import hashlib
import time
from typing import Any

import pytest

from fleet.simulator import PanelSpec, RunningPanel

from .support import has_ipv6_loopback, make_spec, running

BOM = b"\xef\xbb\xbf"


def signed_form(key: str) -> bytes:
    """Return a form body with a valid signature for the key."""
    sent = str(int(time.time()))
    digest = hashlib.md5(key.encode()).hexdigest()
    token = hashlib.md5((sent + digest).encode()).hexdigest()
    return f"request_time={sent}&request_token={token}".encode()


async def raw_post(panel: RunningPanel, host: str = "127.0.0.1") -> tuple[bytes, bytes]:
    """POST a signed GetTaskCount and return the raw response head and body."""
    form = signed_form(panel.spec.key)
    reader, writer = await asyncio.open_connection(host, panel.port)
    writer.write(
        b"POST /ajax?action=GetTaskCount HTTP/1.1\r\nHost: panel\r\n"
        b"Content-Type: application/x-www-form-urlencoded\r\n"
        b"Connection: close\r\nContent-Length: %d\r\n\r\n" % len(form) + form
    )
    response = await asyncio.wait_for(reader.read(), 5)
    writer.close()
    head, _, body = response.partition(b"\r\n\r\n")

    return head, body


async def post_to(spec: PanelSpec) -> tuple[bytes, bytes]:
    async with running([spec]) as sim:
        return await raw_post(sim.panels[0])


def header_lines(head: bytes) -> list[bytes]:
    return head.split(b"\r\n")[1:]


class TestBodyFaults:
    async def test_utf8_bom(self) -> None:
        """The handler's JSON follows a UTF-8 byte order mark."""
        _, body = await post_to(make_spec("p1", fault="utf8_bom"))

        assert body == BOM + b"0"

    async def test_empty_content_encoding_header(self) -> None:
        """The header is sent with an empty value and the body is plain."""
        head, body = await post_to(make_spec("p1", fault="empty_content_encoding"))

        assert b"Content-Encoding: " in header_lines(head)
        assert body == b"0"

    async def test_gzip_label_on_plain_body(self) -> None:
        """The gzip label comes with an uncompressed body."""
        head, body = await post_to(make_spec("p1", fault="gzip_mislabelled"))

        assert b"Content-Encoding: gzip" in header_lines(head)
        assert body == b"0"

    async def test_huge_body_has_no_length(self) -> None:
        """The huge response is chunked and declares no length."""
        spec = make_spec("p1", fault="huge_body", huge_body_bytes=1000)
        head, _ = await post_to(spec)

        assert b"Transfer-Encoding: chunked" in header_lines(head)
        assert not any(
            line.startswith(b"Content-Length") for line in header_lines(head)
        )


class TestFrontFaults:
    async def test_cdn_challenge_headers(self) -> None:
        """The challenge is a 403 with Cloudflare's Server and CF-RAY headers."""
        head, body = await post_to(make_spec("p1", fault="cdn_challenge"))
        lines = header_lines(head)

        assert head.startswith(b"HTTP/1.1 403 ")
        assert b"Server: cloudflare" in lines
        assert any(line.startswith(b"CF-RAY: ") for line in lines)
        assert b"Just a moment..." in body

    async def test_cloudflare_522(self) -> None:
        """A 522 carries Cloudflare's reason phrase and headers."""
        spec = make_spec("p1", fault="gateway_error", gateway_status=522)
        head, _ = await post_to(spec)

        assert head.startswith(b"HTTP/1.1 522 Connection timed out")
        assert b"Server: cloudflare" in header_lines(head)

    async def test_nginx_503(self) -> None:
        """A 503 is nginx's page with nginx's Server header."""
        spec = make_spec("p1", fault="gateway_error", gateway_status=503)
        head, body = await post_to(spec)

        assert head.startswith(b"HTTP/1.1 503 Service Unavailable")
        assert b"Server: nginx" in header_lines(head)
        assert b"<center><h1>503 Service Unavailable</h1></center>" in body

    async def test_nginx_404_is_versioned(self) -> None:
        """nginx's own 404 names its version in the header and the footer."""
        head, body = await post_to(make_spec("p1", fault="nginx_404"))

        assert b"Server: nginx/1.24.0" in header_lines(head)
        assert b"<hr><center>nginx/1.24.0</center>" in body

    async def test_plain_404(self) -> None:
        """The plain 404 is a bare text/plain Not Found."""
        head, body = await post_to(make_spec("p1", fault="plain_404"))

        assert head.startswith(b"HTTP/1.1 404 ")
        assert b"Content-Type: text/plain; charset=utf-8" in header_lines(head)
        assert body == b"Not Found"


class TestNetworkOptions:
    async def test_connect_black_hole_hangs(self) -> None:
        """A connection to the full accept queue never completes."""
        async with running([make_spec("p1", fault="connect_black_hole")]) as sim:
            port = sim.panels[0].port
            with pytest.raises(TimeoutError):
                await asyncio.wait_for(asyncio.open_connection("127.0.0.1", port), 0.5)

    @pytest.mark.skipif(not has_ipv6_loopback(), reason="no IPv6 loopback")
    async def test_dual_stack_serves_both_families(self) -> None:
        """A dual-stack panel responds on 127.0.0.1 and ::1 at one port."""
        async with running([make_spec("p1", dual_stack=True)]) as sim:
            panel = sim.panels[0]
            ipv4_head, _ = await raw_post(panel, "127.0.0.1")
            ipv6_head, _ = await raw_post(panel, "::1")
            by_address = dict(panel.stats.requests_by_address)

        assert ipv4_head.startswith(b"HTTP/1.1 200 ")
        assert ipv6_head.startswith(b"HTTP/1.1 200 ")
        assert by_address == {"127.0.0.1": 1, "::1": 1}

    async def test_seen_address_in_whitelist_error(self) -> None:
        """The whitelist error names the seen address, not the real peer."""
        spec = make_spec("p1", fault="ip_not_whitelisted", seen_address="198.51.100.7")
        _, body = await post_to(spec)

        assert b"[198.51.100.7]" in body

    async def test_fixed_cookie_name(self) -> None:
        """A fixed cookie name replaces the md5-derived one."""
        head, _ = await post_to(make_spec("p1", cookie_name="SESSIONID"))

        assert any(
            line.startswith(b"Set-Cookie: SESSIONID=") for line in head.split(b"\r\n")
        )


class TestSpecChecks:
    @pytest.mark.parametrize(
        ("options", "field"),
        [
            ({"seen_address": "proxy.example"}, "seen_address"),
            ({"cookie_name": "bad name"}, "cookie_name"),
            ({"gateway_status": 500}, "gateway_status"),
            ({"huge_body_bytes": -1}, "huge_body_bytes"),
            ({"dual_stack": True, "host": "::1"}, "dual_stack"),
        ],
    )
    def test_bad_option_rejected(self, options: dict[str, Any], field: str) -> None:
        """Each invalid option raises ValueError naming the field."""
        with pytest.raises(ValueError, match=field):
            make_spec("p1", **options)
