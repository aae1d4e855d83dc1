"""Per-panel TLS settings turned into what aiohttp expects for ``ssl=``.

Settings are never global: each panel's connector gets its own value, so a
panel with ``verify: false`` cannot weaken the check for another.
"""

from __future__ import annotations

import ssl
from functools import lru_cache

import aiohttp

from fleet.inventory.model import TLSSettings

SSLParam = ssl.SSLContext | aiohttp.Fingerprint | bool


def ssl_param(settings: TLSSettings) -> SSLParam:
    """Return the ``ssl`` argument for a panel's connector."""
    if settings.fingerprint:
        # A pinned certificate replaces the CA check: panels ship self-signed.
        return aiohttp.Fingerprint(bytes.fromhex(settings.fingerprint))
    if not settings.verify:
        return False
    if settings.ca_file:
        return _context_for_ca(settings.ca_file)

    return _default_context()


@lru_cache(maxsize=1)
def _default_context() -> ssl.SSLContext:
    # Loading the system store costs milliseconds, so panels share one context;
    # a context carries no per-connection state.
    return ssl.create_default_context()


@lru_cache(maxsize=64)
def _context_for_ca(ca_file: str) -> ssl.SSLContext:
    return ssl.create_default_context(cafile=ca_file)
