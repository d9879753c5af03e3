"""Bar charts as inline SVG: a title and a description a screen reader reads, the same numbers
in a table beside the chart, no script, no style attribute (the site's CSP allows neither),
colours from our stylesheet.

Bars run across, each under its own label, so the chart reads top to bottom at 320 px as well as
on a wide screen. A hidden figure has no bar, only the symbol, as it has in the table.
"""

from __future__ import annotations

import textwrap
from collections.abc import Sequence

from markupsafe import Markup, escape

from .published import Shown

WIDTH = 320  # the chart's own units; it scales to the width of the page
FONT = 14
LINE = 18
BAR = 16
ROOM_FOR_VALUE = 56  # after the longest bar: "100%" at 14 units
CHARS_PER_LINE = 36  # what fits across at 14 units


def bar_chart(chart_id: str, title: str, bars: Sequence[tuple[str, Shown]]) -> Markup:
    largest = max((s.value for _, s in bars if s.value is not None), default=0)
    scale = (WIDTH - ROOM_FOR_VALUE) / largest if largest else 0.0
    parts: list[str] = []
    y = 0
    for label, shown in bars:
        lines = textwrap.wrap(label, CHARS_PER_LINE) or [""]
        for line in lines:
            y += LINE
            parts.append(f'<text class="yr-chart__label" x="0" y="{y}">{escape(line)}</text>')
        top = y + 6
        length = round(shown.value * scale, 1) if shown.value else 0
        if length:
            parts.append(
                f'<rect class="yr-chart__bar" x="0" y="{top}" width="{length}" height="{BAR}"/>'
            )
        parts.append(
            f'<text class="yr-chart__value" x="{length + 6}" y="{top + BAR - 3}">'
            f"{escape(shown.text)}</text>"
        )
        y = top + BAR + 10
    description = "; ".join(
        f"{label}: {shown.text}" + ("" if shown.value is not None else " (hidden)")
        for label, shown in bars
    )
    return Markup(
        f'<svg class="yr-chart" id="{chart_id}" role="img" viewBox="0 0 {WIDTH} {y}" '
        f'width="{WIDTH}" height="{y}" aria-labelledby="{chart_id}-title {chart_id}-desc">'
        f'<title id="{chart_id}-title">{escape(title)}</title>'
        f'<desc id="{chart_id}-desc">{escape(description)}</desc>' + "".join(parts) + "</svg>"
    )
