"""Request signing for the panel API.

The panel stores ``md5(key)`` and accepts a call when
``request_token == md5(request_time + md5(key))``, where ``request_time`` is the
exact string sent. The panel applies no clock window, but a fresh time on every
attempt keeps tokens from being reused and suits proxies that do check.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable

Clock = Callable[[], float]


def key_digest(key: str) -> str:
    """Return ``md5(key)`` as lowercase hex: the token the panel stores."""
    return hashlib.md5(key.encode(), usedforsecurity=False).hexdigest()


def token_for(request_time: int, digest: str) -> str:
    """Return the ``request_token`` for a time and a key digest."""
    payload = f"{request_time}{digest}".encode()

    return hashlib.md5(payload, usedforsecurity=False).hexdigest()


class Signer:
    """Signs requests for one panel; keeps only the key's digest, not the key."""

    __slots__ = ("_clock", "_digest")

    def __init__(self, key: str, clock: Clock = time.time) -> None:
        self._digest = key_digest(key)
        self._clock = clock

    def __repr__(self) -> str:
        return "Signer(***)"

    def auth_fields(self) -> dict[str, str]:
        """Return the two form fields, with the time taken now."""
        request_time = int(self._clock())

        return {
            "request_time": str(request_time),
            "request_token": token_for(request_time, self._digest),
        }

    def auth_form(self) -> str:
        """Return the two fields form-encoded, with the time taken now.

        Digits and hex digits need no escaping, so this skips ``urlencode``.
        """
        request_time = int(self._clock())
        token = token_for(request_time, self._digest)

        return f"request_time={request_time}&request_token={token}"
