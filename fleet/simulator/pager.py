"""The HTML pager that ``getData`` returns in its ``page`` field.

It follows the panel's ``Page.GetPage`` exactly, including its quirks. The
numbered links show up to four pages before and after the current one and
borrow unused slots from the other side. The "to" row of the ``Pline``
part is ``page * limit`` even on a short last page.
"""

from __future__ import annotations

import dataclasses
import math
import urllib.parse

from fleet.simulator.flavours import PagerWords

DEFAULT_PARTS = "1,2,3,4,5,8"
_SIDE_LINKS = 4


@dataclasses.dataclass(frozen=True, slots=True)
class PageRequest:
    """Inputs of one pager: row count, page size, page number and link style.

    ``callback`` is the ``tojs`` JavaScript function name; when it is empty the
    links are ``href`` URLs built from ``path``.
    """

    count: int
    limit: int
    page: int
    callback: str
    path: str
    parts: str = DEFAULT_PARTS


def render_pager(request: PageRequest, words: PagerWords) -> str:
    """Return the pager HTML; raises KeyError for an unknown part number."""
    pages = math.ceil(request.count / request.limit)
    renderer = _Renderer(request, words, pages)
    pieces = {
        "1": renderer.first(),
        "2": renderer.previous(),
        "3": renderer.numbers(),
        "4": renderer.next(),
        "5": renderer.last(),
        "6": f"<span class='Pnumber'>{request.page}/{pages}</span>",
        "7": renderer.line(),
        "8": (
            f"<span class='Pcount'>{words.count_start}{request.count}"
            f"{words.count_end}</span>"
        ),
    }
    body = "".join(pieces[part] for part in request.parts.split(","))

    return f"<div>{body}</div>"


def page_offset(request: PageRequest) -> int:
    """Return the index of the first row on the requested page."""
    return (request.page - 1) * request.limit


class _Renderer:
    __slots__ = ("_pages", "_request", "_uri", "_words")

    def __init__(self, request: PageRequest, words: PagerWords, pages: int) -> None:
        self._request = request
        self._words = words
        self._pages = pages
        self._uri = urllib.parse.quote(request.path) + "?"

    def link(self, css_class: str, page: int, label: str) -> str:
        callback = self._request.callback
        if callback:
            return f"<a class='{css_class}' onclick='{callback}({page})'>{label}</a>"
        return f"<a class='{css_class}' href='{self._uri}p={page}'>{label}</a>"

    def first(self) -> str:
        if self._request.page == 1:
            return ""
        return self.link("Pstart", 1, self._words.first)

    def previous(self) -> str:
        current = self._request.page
        if current == 1:
            return ""
        return self.link("Ppren", current - 1, self._words.previous)

    def next(self) -> str:
        current = self._request.page
        if current >= self._pages:
            return ""
        return self.link("Pnext", current + 1, self._words.next)

    def last(self) -> str:
        if self._request.page >= self._pages:
            return ""
        return self.link("Pend", self._pages, self._words.last)

    def numbers(self) -> str:
        current = self._request.page
        remaining = self._pages - current
        before = _SIDE_LINKS
        if remaining < _SIDE_LINKS:
            before = _SIDE_LINKS + (_SIDE_LINKS - remaining)
        links = [
            self.link("Pnum", page, str(page))
            for page in range(current - before, current)
            if page > 0
        ]
        links.append(f"<span class='Pcurrent'>{current}</span>")
        after = _SIDE_LINKS
        if current <= _SIDE_LINKS:
            after = _SIDE_LINKS + (_SIDE_LINKS - current) + 1
        for page in range(current + 1, current + after):
            if page > self._pages:
                break
            links.append(self.link("Pnum", page, str(page)))

        return "".join(links)

    def line(self) -> str:
        request = self._request
        start = page_offset(request) + 1
        end = (
            request.count
            if request.limit > request.count
            else request.page * (request.limit)
        )
        return (
            f"<span class='Pline'>{self._words.line_start}{start}-{end}"
            f"{self._words.line_end}</span>"
        )
