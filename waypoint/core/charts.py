"""Charts drawn on the server as SVG, each with a data table holding the same figures.

Why server-rendered SVG and not a JavaScript charting library (ADR 0010): the pages are rendered
on the server already (ADR 0005); an SVG needs no script, so it works under the content security
policy, prints, and shows on a slow phone; and a chart here is small (tens of points). A chart is
never the only way to read the figures: the Jinja macro `chart()` in `macros/chart.jinja` always
puts the data table beside it, and the SVG has a title and a text description.

Readable without colour: each series has its own marker shape and line dash; reference lines (a
clinical cut-off, a benchmark) are dashed and labelled in words; marked points (for example
"reliable change") carry a text label, not a colour.

    chart = LineChart(
        title="PHQ-9 total", y_label="Score", y_min=0, y_max=27,
        series=[Series("PHQ-9", [Point(date(2026, 1, 5), 18), Point(date(2026, 3, 2), 9, mark="Reliable change")])],
        lines=[ReferenceLine(10, "Clinical cut-off (10)")],
    )
    {% from "macros/chart.jinja" import chart %}{{ chart(chart) }}
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from itertools import count

from markupsafe import Markup, escape

MARKERS = ("circle", "square", "triangle", "diamond")
DASHES = ("", "6 3", "2 3", "8 3 2 3")
# NHS.UK palette: blue, dark grey, green, purple; each at least 3:1 against white (WCAG 1.4.11)
COLOURS = ("#005eb8", "#425563", "#007f3b", "#330072")
_ids = count(1)


@dataclass(frozen=True)
class Point:
    x: date
    y: float | None  # None: no value (a gap in the line)
    mark: str = ""  # words shown beside the point and in the table, e.g. "Reliable change"


@dataclass(frozen=True)
class Series:
    name: str
    points: Sequence[Point]


@dataclass(frozen=True)
class ReferenceLine:
    value: float
    label: str


@dataclass(frozen=True)
class Bar:
    label: str
    values: Sequence[float | None]  # one per series name


def _fmt(value: float | None) -> str:
    if value is None:
        return "–"
    return str(int(value)) if float(value).is_integer() else f"{value:.1f}"


@dataclass
class LineChart:
    title: str
    y_label: str
    y_min: float
    y_max: float
    series: Sequence[Series]
    lines: Sequence[ReferenceLine] = ()
    description: str = ""
    width: int = 640
    height: int = 260
    chart_id: str = field(default_factory=lambda: f"chart-{next(_ids)}")

    kind = "line"
    left, right, top, bottom = 48, 150, 16, 40

    @property
    def dates(self) -> list[date]:
        return sorted({p.x for s in self.series for p in s.points})

    def _x(self, value: date, first: date, last: date) -> float:
        plot = self.width - self.left - self.right
        if first == last:
            return self.left + plot / 2
        return self.left + plot * (value - first).days / (last - first).days

    def _y(self, value: float) -> float:
        plot = self.height - self.top - self.bottom
        span = (self.y_max - self.y_min) or 1
        clamped = min(max(value, self.y_min), self.y_max)
        return self.top + plot * (1 - (clamped - self.y_min) / span)

    def table(self) -> dict:
        """The same figures as the chart: one row per date, one column per series."""
        head = ["Date", *[s.name for s in self.series]]
        by_series = [{p.x: p for p in s.points} for s in self.series]
        rows = []
        for day in self.dates:
            cells = [day.strftime("%-d %b %Y")]
            for points in by_series:
                point = points.get(day)
                text = _fmt(point.y) if point else "–"
                if point and point.mark:
                    text = f"{text} ({point.mark})"
                cells.append(text)
            rows.append(cells)
        return {"head": head, "rows": rows}

    def svg(self) -> Markup:
        dates = self.dates
        title_id, desc_id = f"{self.chart_id}-title", f"{self.chart_id}-desc"
        desc = self.description or f"{self.title}: {len(dates)} dates. The figures are in the table."
        parts = [
            f'<svg class="waypoint-chart__svg" viewBox="0 0 {self.width} {self.height}" width="{self.width}" '
            f'height="{self.height}" role="img" '
            f'aria-labelledby="{title_id} {desc_id}" focusable="false" xmlns="http://www.w3.org/2000/svg">',
            f'<title id="{title_id}">{escape(self.title)}</title><desc id="{desc_id}">{escape(desc)}</desc>',
        ]
        bottom = self.height - self.bottom
        right = self.width - self.right
        # Axes and y ticks (5 steps)
        parts.append(
            f'<line x1="{self.left}" y1="{self.top}" x2="{self.left}" y2="{bottom}" stroke="#4c6272"/>'
            f'<line x1="{self.left}" y1="{bottom}" x2="{right}" y2="{bottom}" stroke="#4c6272"/>'
        )
        for value in _ticks(self.y_min, self.y_max):
            y = self._y(value)
            parts.append(
                f'<line x1="{self.left - 4}" y1="{y:.1f}" x2="{right}" y2="{y:.1f}" stroke="#d8dde0"/>'
                f'<text x="{self.left - 8}" y="{y + 4:.1f}" text-anchor="end" font-size="12" '
                f'fill="#212b32">{_fmt(round(value, 1))}</text>'
            )
        parts.append(
            f'<text x="12" y="{self.top + 2}" font-size="12" fill="#212b32" '
            f'transform="rotate(-90 12 {self.top + 2})" text-anchor="end">{escape(self.y_label)}</text>'
        )
        if dates:
            first, last = dates[0], dates[-1]
            for day in {first, last}:
                parts.append(
                    f'<text x="{self._x(day, first, last):.1f}" y="{bottom + 18}" text-anchor="middle" '
                    f'font-size="12" fill="#212b32">{day.strftime("%-d %b %Y")}</text>'
                )
            for ref in self.lines:
                y = self._y(ref.value)
                parts.append(
                    f'<line x1="{self.left}" y1="{y:.1f}" x2="{right}" y2="{y:.1f}" stroke="#d5281b" '
                    f'stroke-width="2" stroke-dasharray="10 4"/>'
                    f'<text x="{right + 6}" y="{y + 4:.1f}" font-size="12" fill="#212b32">'
                    f"{escape(ref.label)}</text>"
                )
            for index, series in enumerate(self.series):
                colour, dash = COLOURS[index % len(COLOURS)], DASHES[index % len(DASHES)]
                marker = MARKERS[index % len(MARKERS)]
                coords = [
                    (self._x(p.x, first, last), self._y(p.y), p) for p in series.points if p.y is not None
                ]
                if len(coords) > 1:
                    path = " ".join(f"{x:.1f},{y:.1f}" for x, y, _ in coords)
                    dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
                    parts.append(
                        f'<polyline points="{path}" fill="none" stroke="{colour}" stroke-width="2"{dash_attr}/>'
                    )
                for x, y, point in coords:
                    parts.append(_marker(marker, x, y, colour))
                    if point.mark:
                        parts.append(
                            f'<text x="{x:.1f}" y="{y - 10:.1f}" text-anchor="middle" font-size="11" '
                            f'font-weight="bold" fill="#212b32">{escape(point.mark)}</text>'
                        )
        parts.append("</svg>")
        return Markup("".join(parts))

    def legend(self) -> list[dict]:
        return [
            {"name": s.name, "marker": MARKERS[i % len(MARKERS)], "colour": COLOURS[i % len(COLOURS)]}
            for i, s in enumerate(self.series)
        ]


@dataclass
class BarChart:
    """Horizontal bars, one group per label, one bar per series (for example a count per team)."""

    title: str
    series_names: Sequence[str]
    bars: Sequence[Bar]
    x_label: str = "Count"
    x_max: float | None = None  # None: the largest value
    description: str = ""
    width: int = 640
    chart_id: str = field(default_factory=lambda: f"chart-{next(_ids)}")

    kind = "bar"
    left, right, top, bar_height, gap = 180, 60, 8, 16, 10

    @property
    def height(self) -> int:
        per_group = self.bar_height * max(len(self.series_names), 1) + self.gap
        return self.top * 2 + per_group * max(len(self.bars), 1)

    def table(self) -> dict:
        head = ["", *self.series_names]
        return {"head": head, "rows": [[bar.label, *[_fmt(v) for v in bar.values]] for bar in self.bars]}

    def svg(self) -> Markup:
        title_id, desc_id = f"{self.chart_id}-title", f"{self.chart_id}-desc"
        desc = self.description or f"{self.title}. The figures are in the table."
        largest = self.x_max or max((v or 0 for b in self.bars for v in b.values), default=0) or 1
        plot = self.width - self.left - self.right
        parts = [
            f'<svg class="waypoint-chart__svg" viewBox="0 0 {self.width} {self.height}" width="{self.width}" '
            f'height="{self.height}" role="img" '
            f'aria-labelledby="{title_id} {desc_id}" focusable="false" xmlns="http://www.w3.org/2000/svg">',
            f'<title id="{title_id}">{escape(self.title)}</title><desc id="{desc_id}">{escape(desc)}</desc>',
        ]
        y = self.top
        for bar in self.bars:
            group_top = y
            for index, value in enumerate(bar.values):
                colour = COLOURS[index % len(COLOURS)]
                length = plot * (value or 0) / largest
                parts.append(
                    f'<rect x="{self.left}" y="{y}" width="{length:.1f}" height="{self.bar_height - 2}" '
                    f'fill="{colour}"/>'
                    f'<text x="{self.left + length + 4:.1f}" y="{y + self.bar_height - 5}" font-size="12" '
                    f'fill="#212b32">{_fmt(value)}</text>'
                )
                y += self.bar_height
            parts.append(
                f'<text x="{self.left - 8}" y="{group_top + self.bar_height - 4}" text-anchor="end" '
                f'font-size="12" fill="#212b32">{escape(bar.label[:28])}</text>'
            )
            y += self.gap
        parts.append("</svg>")
        return Markup("".join(parts))

    def legend(self) -> list[dict]:
        return [
            {"name": name, "marker": "square", "colour": COLOURS[i % len(COLOURS)]}
            for i, name in enumerate(self.series_names)
        ]


def _ticks(low: float, high: float, most: int = 6) -> list[float]:
    """Round tick values from low to high: steps of 1, 2 or 5 times a power of ten, at most `most`."""
    span = (high - low) or 1
    step = 1.0
    for power in range(-3, 8):
        for base in (1, 2, 5):
            step = base * 10.0**power
            if span / step <= most - 1:
                first = -(-low // step) * step  # the first multiple of step at or above low
                ticks, value = [], first
                while value <= high + 1e-9:
                    ticks.append(round(value, 6))
                    value += step
                return ticks
    return [low, high]


def _marker(shape: str, x: float, y: float, colour: str) -> str:
    if shape == "square":
        return f'<rect x="{x - 4:.1f}" y="{y - 4:.1f}" width="8" height="8" fill="{colour}"/>'
    if shape == "triangle":
        return f'<polygon points="{x:.1f},{y - 5:.1f} {x - 5:.1f},{y + 4:.1f} {x + 5:.1f},{y + 4:.1f}" fill="{colour}"/>'
    if shape == "diamond":
        return (
            f'<polygon points="{x:.1f},{y - 5:.1f} {x + 5:.1f},{y:.1f} {x:.1f},{y + 5:.1f} {x - 5:.1f},{y:.1f}" '
            f'fill="{colour}"/>'
        )
    return f'<circle cx="{x:.1f}" cy="{y:.1f}" r="4.5" fill="{colour}"/>'
