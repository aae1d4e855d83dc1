"""Server-side sessions and the signed session cookie of one panel.

The cookie name is the md5 hex of a per-panel secret and the value is a random
session id, a dot and a signature, as Flask-Session produces. Every session
has the same lifetime and each use restarts it, so the least recently used
session is also the one that expires first: BaoTa 11 evicts exactly that one
when more than 1000 sessions are stored.
"""

from __future__ import annotations

import base64
import collections
import dataclasses
import hashlib
import hmac
import secrets

from fleet.simulator.clock import Clock

MAX_SESSIONS = 1000
_SIGNATURE_LENGTH = 27


@dataclasses.dataclass(slots=True)
class _Session:
    expires_at: float
    calls: int = 0


class SessionStore:
    """The sessions one panel keeps, ordered from soonest to latest expiry."""

    __slots__ = ("_clock", "_lifetime", "_secret", "_sessions", "cookie_name")

    def __init__(
        self,
        secret: bytes,
        clock: Clock,
        lifetime: float,
        cookie_name: str | None = None,
    ) -> None:
        self._secret = secret
        self._clock = clock
        self._lifetime = lifetime
        self._sessions: collections.OrderedDict[str, _Session] = (
            collections.OrderedDict()
        )
        # Old panels used a fixed name, so panels on one host share it.
        self.cookie_name = cookie_name or hashlib.md5(secret).hexdigest()

    def __len__(self) -> int:
        return len(self._sessions)

    def find(self, cookie_value: str | None) -> str | None:
        """Return the session id of a validly signed, stored, unexpired cookie."""
        if not cookie_value:
            return None
        sid, _, signature = cookie_value.rpartition(".")
        if not sid or not hmac.compare_digest(signature, self._sign(sid)):
            return None
        session = self._sessions.get(sid)
        if session is None or session.expires_at <= self._clock():
            return None

        return sid

    def create(self) -> str:
        """Store a new session and return its id, evicting the oldest when full."""
        self._drop_expired()
        sid = secrets.token_urlsafe(32)
        self._sessions[sid] = _Session(self._clock() + self._lifetime)
        while len(self._sessions) > MAX_SESSIONS:
            self._sessions.popitem(last=False)

        return sid

    def touch(self, sid: str, *, count_call: bool) -> int:
        """Restart a session's lifetime and return its count of counted calls."""
        session = self._sessions[sid]
        session.expires_at = self._clock() + self._lifetime
        if count_call:
            session.calls += 1
        self._sessions.move_to_end(sid)

        return session.calls

    def delete(self, sid: str) -> None:
        """Forget a session; unknown ids are ignored."""
        self._sessions.pop(sid, None)

    def cookie_value(self, sid: str) -> str:
        """Return the signed cookie value for a session id."""
        return f"{sid}.{self._sign(sid)}"

    def set_cookie_header(self, sid: str) -> str:
        """Return the ``Set-Cookie`` value that stores the session cookie."""
        return f"{self.cookie_name}={self.cookie_value(sid)}; HttpOnly; Path=/"

    def delete_cookie_header(self) -> str:
        """Return the ``Set-Cookie`` value that makes the client drop the cookie."""
        return (
            f"{self.cookie_name}=; Expires=Thu, 01 Jan 1970 00:00:00 GMT; "
            "Max-Age=0; HttpOnly; Path=/"
        )

    def _sign(self, sid: str) -> str:
        digest = hmac.new(self._secret, sid.encode(), hashlib.sha256).digest()
        return base64.urlsafe_b64encode(digest).decode()[:_SIGNATURE_LENGTH]

    def _drop_expired(self) -> None:
        now = self._clock()
        while self._sessions:
            oldest = next(iter(self._sessions.values()))
            if oldest.expires_at > now:
                break
            self._sessions.popitem(last=False)
