"""Bar charts drawn as inline SVG, so the HTML report needs no script or network.

Each bar is a stack of segments, one per severity, so a chart shows both how
many objects fall into a bucket and how bad they are.
"""

from __future__ import annotations

import dataclasses
from html import escape

WIDTH = 420
HEIGHT = 220
LEFT = 34
BOTTOM = 42
TOP = 18


@dataclasses.dataclass(frozen=True, slots=True)
class Bar:
    """One bar: its label and stacked (count, CSS class) segments, bottom first."""

    label: str
    segments: tuple[tuple[int, str], ...]

    @property
    def total(self) -> int:
        return sum(count for count, _ in self.segments)


def bar_chart(chart_id: str, title: str, bars: list[Bar]) -> str:
    """Return an ``<svg>`` element with one stacked bar per entry of ``bars``."""
    peak = max((bar.total for bar in bars), default=0) or 1
    plot_height = HEIGHT - TOP - BOTTOM
    slot = (WIDTH - LEFT) / max(len(bars), 1)
    parts = [
        f'<svg id="{chart_id}" class="chart" viewBox="0 0 {WIDTH} {HEIGHT}" '
        f'role="img" aria-label="{escape(title)}" xmlns="http://www.w3.org/2000/svg">',
        f"<title>{escape(title)}</title>",
        f'<line class="axis" x1="{LEFT}" y1="{HEIGHT - BOTTOM}" x2="{WIDTH}" '
        f'y2="{HEIGHT - BOTTOM}"/>',
        f'<text class="tick" x="{LEFT - 6}" y="{TOP + 4}" '
        f'text-anchor="end">{peak}</text>',
        f'<text class="tick" x="{LEFT - 6}" y="{HEIGHT - BOTTOM}" '
        'text-anchor="end">0</text>',
    ]
    for index, bar in enumerate(bars):
        x = LEFT + index * slot + slot * 0.15
        parts += bar_shapes(bar, x, slot * 0.7, plot_height / peak)
    parts.append("</svg>")

    return "".join(parts)


def bar_shapes(bar: Bar, x: float, width: float, scale: float) -> list[str]:
    base = HEIGHT - BOTTOM
    shapes = []
    y = float(base)
    for count, css_class in bar.segments:
        if count <= 0:
            continue
        height = count * scale
        y -= height
        shapes.append(
            f'<rect class="bar {escape(css_class)}" x="{x:.1f}" y="{y:.1f}" '
            f'width="{width:.1f}" height="{height:.1f}">'
            f"<title>{escape(bar.label)}: {count} {escape(css_class)}</title></rect>"
        )
    middle = x + width / 2
    shapes.append(
        f'<text class="count" x="{middle:.1f}" y="{y - 4:.1f}" '
        f'text-anchor="middle">{bar.total}</text>'
    )
    shapes.append(
        f'<text class="label" x="{middle:.1f}" y="{base + 16}" '
        f'text-anchor="middle">{escape(bar.label)}</text>'
    )

    return shapes
