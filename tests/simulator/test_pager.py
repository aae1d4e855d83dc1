"""The getData pager HTML, checked against pages captured from real panels."""

from __future__ import annotations

import pytest

from fleet.simulator.flavours import AAPANEL8, BAOTA11
from fleet.simulator.pager import PageRequest, page_offset, render_pager


def page(count: int, limit: int = 20, number: int = 1, **options: str) -> PageRequest:
    """Return a pager request for /data with the given counts."""
    return PageRequest(
        count=count,
        limit=limit,
        page=number,
        callback=options.get("callback", ""),
        path="/data",
        parts=options.get("parts", "1,2,3,4,5,8"),
    )


class TestRenderPager:
    def test_single_page(self) -> None:
        """Three rows on one page show only the current page and the count."""
        html = render_pager(page(3), BAOTA11.pager)

        assert html == (
            "<div><span class='Pcurrent'>1</span>"
            "<span class='Pcount'>共3条</span></div>"
        )

    def test_no_rows(self) -> None:
        """An empty table still shows page 1 and a count of 0."""
        html = render_pager(page(0), BAOTA11.pager)

        assert html == (
            "<div><span class='Pcurrent'>1</span>"
            "<span class='Pcount'>共0条</span></div>"
        )

    def test_callback_links(self) -> None:
        """25 rows at 10 per page with tojs give JS links to pages 2 and 3."""
        html = render_pager(page(25, 10, callback="get_logs"), BAOTA11.pager)

        assert html == (
            "<div><span class='Pcurrent'>1</span>"
            "<a class='Pnum' onclick='get_logs(2)'>2</a>"
            "<a class='Pnum' onclick='get_logs(3)'>3</a>"
            "<a class='Pnext' onclick='get_logs(2)'>下一页</a>"
            "<a class='Pend' onclick='get_logs(3)'>尾页</a>"
            "<span class='Pcount'>共25条</span></div>"
        )

    def test_href_links_on_middle_page(self) -> None:
        """Without tojs the links are hrefs on the request path."""
        html = render_pager(page(25, 10, 2), BAOTA11.pager)

        assert html == (
            "<div><a class='Pstart' href='/data?p=1'>首页</a>"
            "<a class='Ppren' href='/data?p=1'>上一页</a>"
            "<a class='Pnum' href='/data?p=1'>1</a>"
            "<span class='Pcurrent'>2</span>"
            "<a class='Pnum' href='/data?p=3'>3</a>"
            "<a class='Pnext' href='/data?p=3'>下一页</a>"
            "<a class='Pend' href='/data?p=3'>尾页</a>"
            "<span class='Pcount'>共25条</span></div>"
        )

    def test_window_borrows_slots(self) -> None:
        """Near the last page the numbered links reach back more than four pages."""
        html = render_pager(page(200, 10, 19, parts="3"), BAOTA11.pager)

        numbers = [f"p={n}'" for n in range(12, 19)] + ["p=20'"]
        for number in numbers:
            assert number in html
        assert "p=11'" not in html

    def test_number_and_line_parts(self) -> None:
        """Parts 6 and 7 show page/pages and the row span, end row not clamped."""
        html = render_pager(page(25, 10, 3, parts="6,7"), BAOTA11.pager)

        assert html == (
            "<div><span class='Pnumber'>3/3</span>"
            "<span class='Pline'>从21-30条</span></div>"
        )

    def test_english_count(self) -> None:
        """aaPanel writes the row count as "Total N"."""
        html = render_pager(page(25, 10, parts="8"), AAPANEL8.pager)

        assert html == "<div><span class='Pcount'>Total 25</span></div>"

    def test_unknown_part_raises(self) -> None:
        """An unknown part number raises KeyError, as the panel's dict lookup does."""
        with pytest.raises(KeyError):
            render_pager(page(3, parts="9"), BAOTA11.pager)

    def test_offset(self) -> None:
        """Page 3 at 10 rows per page starts at row index 20."""
        assert page_offset(page(25, 10, 3)) == 20
