"""Per-panel TLS settings against a real HTTPS server on loopback."""

from __future__ import annotations

import hashlib
import ssl
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
import trustme
from aiohttp import web

from fleet.errors import ErrorKind, PanelError
from fleet.inventory.model import Panel, Secret, TLSSettings
from fleet.transport.client import PanelClient

KEY = "T" * 32


async def answer(request: web.Request) -> web.Response:
    return web.json_response({"version": "11.7.0", "time": "1天"})


@pytest.fixture
def authority() -> trustme.CA:
    return trustme.CA()


@pytest.fixture
def leaf(authority: trustme.CA) -> trustme.LeafCert:
    return authority.issue_cert("127.0.0.1")


@pytest.fixture
async def https_url(leaf: trustme.LeafCert) -> AsyncIterator[str]:
    """Serve one JSON answer over HTTPS with a certificate for 127.0.0.1."""
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    leaf.configure_cert(context)
    app = web.Application()
    app.router.add_post("/system", answer)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0, ssl_context=context)
    await site.start()
    port = runner.addresses[0][1]
    yield f"https://127.0.0.1:{port}"
    await runner.cleanup()


def fingerprint_of(leaf: trustme.LeafCert) -> str:
    """Return the SHA-256 of the certificate the server presents."""
    der = ssl.PEM_cert_to_DER_cert(leaf.cert_chain_pems[0].bytes().decode())
    return hashlib.sha256(der).hexdigest()


async def call(url: str, tls: TLSSettings) -> object:
    panel = Panel(name="tls-1", url=url, key=Secret(KEY), tls=tls)
    async with PanelClient(panel) as client:
        payload, _ = await client.call("/system", "GetSystemTotal", {})
    return payload


class TestTLS:
    async def test_verify_by_default_rejects_unknown_ca(self, https_url: str) -> None:
        """A certificate from an unknown CA fails with kind tls."""
        with pytest.raises(PanelError) as caught:
            await call(https_url, TLSSettings())
        assert caught.value.kind == ErrorKind.TLS
        assert "fingerprint" in caught.value.message

    async def test_verify_false_accepts(self, https_url: str) -> None:
        """verify: false skips the check for that panel."""
        assert await call(https_url, TLSSettings(verify=False)) == {
            "version": "11.7.0",
            "time": "1天",
        }

    async def test_ca_file_accepts(
        self, https_url: str, authority: trustme.CA, tmp_path: Path
    ) -> None:
        """A CA bundle given per panel makes its certificate trusted."""
        ca_file = tmp_path / "ca.pem"
        authority.cert_pem.write_to_path(str(ca_file))
        payload = await call(https_url, TLSSettings(ca_file=str(ca_file)))
        assert isinstance(payload, dict)

    async def test_right_pin_accepts(
        self, https_url: str, leaf: trustme.LeafCert
    ) -> None:
        """A matching pin is trusted even though the CA is unknown."""
        pinned = TLSSettings(fingerprint=fingerprint_of(leaf))
        assert isinstance(await call(https_url, pinned), dict)

    async def test_wrong_pin_is_rejected(self, https_url: str) -> None:
        """A pinned fingerprint that does not match fails with kind tls."""
        with pytest.raises(PanelError) as caught:
            await call(https_url, TLSSettings(fingerprint="00" * 32))
        assert caught.value.kind == ErrorKind.TLS
        assert "mismatch" in caught.value.message
