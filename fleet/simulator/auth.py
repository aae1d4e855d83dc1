"""The panel's API signature check, in the real panel's order.

1. API switched off, or ``request_time``/``request_token`` missing: the
   unauthenticated response (404 page, or 302 to /login on BaoTa 7.9).
2. Client IP locked after 20 failures: the lockout message, even when the
   signature is right; nothing is counted.
3. Client IP not whitelisted: failure +1 and the whitelist message.
4. ``md5(request_time + md5(key)) != request_token``: failure +1 and the key
   message. ``request_time`` is used exactly as sent and no clock window
   applies, so any string works and a signed pair can be replayed.

After a success the simulator's optional ``strict_clock_window`` may still
reject the call. Real panels have no such check.
"""

from __future__ import annotations

import dataclasses
import enum
import hashlib
from collections.abc import Mapping

from aiohttp import web

from fleet.simulator import responses
from fleet.simulator.panel import PanelRuntime
from fleet.simulator.whitelist import (
    WhitelistParseError,
    client_address,
    is_whitelisted,
)


class AuthStatus(enum.Enum):
    """Outcome of the signature check."""

    OK = "ok"
    UNAUTHENTICATED = "unauthenticated"
    LOCKED_OUT = "locked_out"
    IP_REJECTED = "ip_rejected"
    TOKEN_REJECTED = "token_rejected"
    CLOCK_REJECTED = "clock_rejected"
    LOGIN_REDIRECT = "login_redirect"

    @property
    def is_rejection(self) -> bool:
        """Whether the panel rejected the call with a ``status: false`` JSON body."""
        return self in _REJECTIONS


_REJECTIONS = frozenset(
    {
        AuthStatus.LOCKED_OUT,
        AuthStatus.IP_REJECTED,
        AuthStatus.TOKEN_REJECTED,
        AuthStatus.CLOCK_REJECTED,
    }
)


@dataclasses.dataclass(frozen=True, slots=True)
class AuthResult:
    """The outcome and the client address the panel used for it."""

    status: AuthStatus
    client_ip: str


def authenticate(
    panel: PanelRuntime,
    params: Mapping[str, str],
    remote: str | None,
    headers: Mapping[str, str],
) -> AuthResult:
    """Run the checks in order, updating the lockout table and counters."""
    profile = panel.profile
    address = client_address(profile.client_ip_rule, remote, headers)
    client_ip = address if address is not None else profile.unknown_ip
    request_time = params.get("request_time")
    request_token = params.get("request_token")
    if not panel.api_enabled or request_time is None or request_token is None:
        return AuthResult(AuthStatus.UNAUTHENTICATED, client_ip)

    status = _check_client(panel, client_ip)
    if status is AuthStatus.OK:
        status = _check_token(panel, client_ip, request_time, request_token)

    return AuthResult(status, client_ip)


def rejection_response(panel: PanelRuntime, result: AuthResult) -> web.Response | None:
    """Return the response for a failed check, or None when the call may proceed."""
    profile = panel.profile
    status = result.status
    if status is AuthStatus.OK:
        return None
    if status is AuthStatus.UNAUTHENTICATED:
        return responses.unauthenticated(profile)
    if status is AuthStatus.LOGIN_REDIRECT:
        return responses.redirect_to_login()
    if status is AuthStatus.LOCKED_OUT:
        return responses.auth_failure(profile.lockout_body)
    if status is AuthStatus.IP_REJECTED:
        if panel.spec.fault == "ip_not_whitelisted_401":
            return responses.empty(401)
        return responses.auth_failure(profile.ip_failure_body(result.client_ip))
    if status is AuthStatus.TOKEN_REJECTED:
        return responses.auth_failure(profile.token_failure_body)

    return responses.auth_failure(responses.CLOCK_WINDOW_BODY)


def _check_client(panel: PanelRuntime, client_ip: str) -> AuthStatus:
    if panel.lockout.is_locked(client_ip):
        panel.counters.locked_out += 1
        return AuthStatus.LOCKED_OUT
    rule = panel.profile.whitelist_rule
    try:
        allowed = is_whitelisted(rule, panel.spec.effective_whitelist, client_ip)
    except WhitelistParseError:
        # The panel's check_login catches the conversion error and redirects.
        return AuthStatus.LOGIN_REDIRECT
    if not allowed:
        _record_failure(panel, client_ip)
        return AuthStatus.IP_REJECTED

    return AuthStatus.OK


def _check_token(
    panel: PanelRuntime, client_ip: str, request_time: str, request_token: str
) -> AuthStatus:
    expected = hashlib.md5((request_time + panel.token).encode("utf-8")).hexdigest()
    if expected != request_token:
        _record_failure(panel, client_ip)
        return AuthStatus.TOKEN_REJECTED
    panel.lockout.record_success(client_ip)
    if not _is_within_clock_window(panel, request_time):
        panel.counters.clock_rejections += 1
        return AuthStatus.CLOCK_REJECTED

    return AuthStatus.OK


def _record_failure(panel: PanelRuntime, client_ip: str) -> None:
    panel.lockout.record_failure(client_ip)
    panel.counters.auth_failures += 1


def _is_within_clock_window(panel: PanelRuntime, request_time: str) -> bool:
    window = panel.spec.strict_clock_window
    if window is None:
        return True
    try:
        sent = float(request_time)
    except ValueError:
        return False

    return abs(panel.clock() - sent) <= window
