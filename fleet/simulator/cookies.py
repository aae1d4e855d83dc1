"""When a panel stores a session and what ``Set-Cookie`` it sends.

BaoTa stores a session only after a successful signature check and then sends
the cookie on every call. A rejected call gets a ``Set-Cookie`` that deletes
the cookie. aaPanel stores a session for every API request, because its
session is never empty, but sends the cookie only with a successful 200
response to a request that carried no cookie of that name.
"""

from __future__ import annotations

from aiohttp import web

from fleet.simulator.auth import AuthStatus
from fleet.simulator.panel import PanelRuntime


def apply_session(
    panel: PanelRuntime,
    cookie: str | None,
    status: AuthStatus,
    response: web.StreamResponse,
) -> None:
    """Update the panel's sessions for one API request and set the cookie header."""
    if panel.profile.session_policy == "baota":
        _apply_baota(panel, cookie, status, response)
    else:
        _apply_aapanel(panel, cookie, status, response)


def _apply_baota(
    panel: PanelRuntime,
    cookie: str | None,
    status: AuthStatus,
    response: web.StreamResponse,
) -> None:
    store = panel.sessions
    sid = store.find(cookie)
    if status.is_rejection:
        if sid is not None:
            store.delete(sid)
        response.headers["Set-Cookie"] = store.delete_cookie_header()
        return
    if status is not AuthStatus.OK:
        return
    if sid is None:
        sid = _create(panel)
    sid = _count_call(panel, sid)
    response.headers["Set-Cookie"] = store.set_cookie_header(sid)


def _apply_aapanel(
    panel: PanelRuntime,
    cookie: str | None,
    status: AuthStatus,
    response: web.StreamResponse,
) -> None:
    store = panel.sessions
    sid = store.find(cookie)
    if sid is None:
        sid = _create(panel)
    if status is not AuthStatus.OK:
        store.touch(sid, count_call=False)
        return
    rotated = _count_call(panel, sid)
    if (cookie is None or rotated != sid) and response.status == 200:
        response.headers["Set-Cookie"] = store.set_cookie_header(rotated)


def _create(panel: PanelRuntime) -> str:
    panel.counters.sessions_created += 1
    return panel.sessions.create()


def _count_call(panel: PanelRuntime, sid: str) -> str:
    # Returns the session id to send, which is new when rotation is due.
    calls = panel.sessions.touch(sid, count_call=True)
    every = panel.spec.rotate_cookie_every
    if every is None or calls % every != 0:
        return sid
    panel.sessions.delete(sid)
    panel.counters.cookies_rotated += 1

    return panel.sessions.create()
