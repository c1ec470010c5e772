"""Bar charts as inline SVG, shared by the report pages and the HTML report files.

Pure: `bars(...)` turns figures into a `Drawing` (the SVG's elements as data: tag, attributes,
text); the template `web/templates/_chart.html` writes it out, autoescaped, on the pages and in
the HTML files alike. Presentation attributes only: no `style`, no
script, so the pages' Content-Security-Policy (`style-src 'self'`) lets it through. Each drawing
names itself (`<title>`) and says what it shows (`<desc>`), and is labelled by both (`role="img"`);
the page puts the same figures in a table beside it. The caller words every label and figure.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

WIDTH = 480  # the viewBox's width; the SVG scales to its container (width="100%")
ROW = 26  # one bar's row
BAR = 16  # a bar's thickness
FONT = 12
CHAR = 6.6  # an average character's width at FONT, for the label column
LABEL_MIN, LABEL_MAX = 80, 230
VALUE_ROOM = 100  # room right of the longest bar for its figure
BAR_FILL = "#2f5f9e"  # 6.4:1 on white (WCAG 1.4.11 asks 3:1 of graphics)
MARKER = "#b00020"
INK = "#1a1a1a"


@dataclass(frozen=True)
class Bar:
    """One bar: its label, its value, the value as the reader reads it ("45 days", "3 (25 %)"),
    and an optional marker at another value (the indicative timeline, say)."""

    label: str
    value: float
    text: str
    marker: float | None = None


@dataclass(frozen=True)
class Element:
    """One SVG element: its tag, its attributes in order, and its text."""

    tag: str
    attributes: tuple[tuple[str, str], ...]
    text: str = ""


@dataclass(frozen=True)
class Drawing:
    """A chart ready to write out: its id (unique on its page), its title and description,
    its viewBox size and its elements."""

    ident: str
    title: str
    description: str
    width: int
    height: int
    elements: tuple[Element, ...]


def _n(value: float) -> str:
    return f"{value:.1f}".removesuffix(".0")


def _label_width(items: Sequence[Bar]) -> int:
    longest = max((len(item.label) for item in items), default=0)
    return int(min(LABEL_MAX, max(LABEL_MIN, longest * CHAR + 12)))


def _clip(label: str, width: int) -> str:
    """A label that fits its column; the table beside the chart has it whole."""
    room = round((width - 12) / CHAR)
    return label if len(label) <= room else label[: max(1, room - 1)] + "…"


def bars(
    ident: str,
    title: str,
    description: str,
    items: Sequence[Bar],
    *,
    marker_label: str | None = None,
) -> Drawing:
    """Horizontal bars, one row each, scaled to the largest value or marker; with
    `marker_label`, a legend row for the markers below the bars."""
    label_w = _label_width(items)
    top = max([item.value for item in items] + [item.marker or 0 for item in items] + [1])
    scale = (WIDTH - label_w - VALUE_ROOM) / top
    elements: list[Element] = []
    for i, item in enumerate(items):
        y = 4 + i * ROW
        length = max(0.0, item.value) * scale
        elements.append(
            Element(
                "text",
                (("x", "0"), ("y", _n(y + 15)), ("font-size", str(FONT)), ("fill", INK)),
                _clip(item.label, label_w),
            )
        )
        elements.append(
            Element(
                "rect",
                (
                    ("x", str(label_w)),
                    ("y", _n(y + 3)),
                    ("width", _n(length)),
                    ("height", str(BAR)),
                    ("fill", BAR_FILL),
                ),
            )
        )
        end = max(length, (item.marker or 0) * scale)  # the figure right of the bar and its marker
        elements.append(
            Element(
                "text",
                (
                    ("x", _n(label_w + end + 5)),
                    ("y", _n(y + 15)),
                    ("font-size", str(FONT - 1)),
                    ("fill", INK),
                ),
                item.text,
            )
        )
        if item.marker is not None:
            x = _n(label_w + item.marker * scale)
            elements.append(_marker(x, y, y + ROW - 4))
    height = 8 + len(items) * ROW
    if marker_label and any(item.marker is not None for item in items):
        y = height + 4
        elements.append(_marker(_n(label_w), y, y + 16))
        elements.append(
            Element(
                "text",
                (("x", _n(label_w + 8)), ("y", _n(y + 12)), ("font-size", str(FONT - 1)), ("fill", INK)),
                marker_label,
            )
        )
        height += 24
    return Drawing(ident, title, description, WIDTH, height, tuple(elements))


def _marker(x: str, y1: float, y2: float) -> Element:
    return Element(
        "line",
        (
            ("x1", x),
            ("x2", x),
            ("y1", _n(y1)),
            ("y2", _n(y2)),
            ("stroke", MARKER),
            ("stroke-width", "2"),
            ("stroke-dasharray", "4,2"),
        ),
    )
