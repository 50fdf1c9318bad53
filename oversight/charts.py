"""Chart geometry for the dashboard's inline SVG: computed here, drawn by templates (oversight/charts/).

Nothing is fetched from elsewhere and no JavaScript is needed. Each chart has a title and a
description for screen readers, and the numbers it draws are also in a table beside it. Colours
keep at least 3:1 contrast against white (WCAG 1.4.11) and text at least 4.5:1.
"""

from dataclasses import dataclass, field

# Bar colours (all ≥ 4.5:1 against white, so they also pass as text colours).
COLOURS = ["#9e1b1b", "#0b57d0", "#1a7f37", "#8a5a00"]
GOOD, WARN, BAD = "#1a7f37", "#8a5a00", "#b42318"


@dataclass
class Bar:
    label: str
    value: float | None
    text: str
    url: str
    y: float
    width: float
    colour: str

    @property
    def text_y(self) -> float:
        return self.y + 17

    @property
    def rect_y(self) -> float:
        return self.y + 5


@dataclass
class BarChart:
    """Horizontal bars, one per row, each a link to the rows behind it."""

    id: str
    title: str
    description: str
    bars: list[Bar]
    width: int = 360
    label_width: int = 118
    value_width: int = 52
    row_height: int = 26
    top: int = 6
    reference: float | None = None  # a dashed line (the target), in value units
    max_value: float = 100.0

    @property
    def plot_width(self) -> int:
        return self.width - self.label_width - self.value_width

    @property
    def height(self) -> int:
        return self.top * 2 + self.row_height * max(len(self.bars), 1)

    @property
    def value_x(self) -> int:
        return self.width - 4

    @property
    def label_x(self) -> int:
        return self.label_width - 6

    @property
    def reference_x(self) -> float | None:
        if self.reference is None:
            return None
        return self.label_width + self.plot_width * min(self.reference / self.max_value, 1.0)


def bar_chart(
    *,
    id: str,
    title: str,
    description: str,
    rows,
    max_value: float = 100.0,
    unit: str = "%",
    reference: float | None = None,
    good_at: float | None = None,
) -> BarChart:
    """``rows``: (label, value or None, url). Bars at or above ``good_at`` are green, others amber or red."""
    chart = BarChart(id=id, title=title, description=description, bars=[], reference=reference, max_value=max_value)
    scale = max(max_value, max((value for _, value, _ in rows if value is not None), default=0.0)) or 1.0
    chart.max_value = scale
    for index, (label, value, url) in enumerate(rows):
        if value is None:
            colour, width, text = WARN, 0.0, "无数据"
        else:
            width = chart.plot_width * min(value / scale, 1.0)
            if good_at is None:
                colour = COLOURS[0]
            else:
                colour = GOOD if value >= good_at else (WARN if value >= good_at * 0.6 else BAD)
            text = f"{value:g}{unit}"
        chart.bars.append(
            Bar(
                label=label if len(label) <= 8 else label[:7] + "…",
                value=value,
                text=text,
                url=url,
                y=chart.top + index * chart.row_height,
                width=round(width, 1),
                colour=colour,
            )
        )
    return chart


@dataclass
class Segment:
    y: float
    height: float
    colour: str


@dataclass
class Column:
    label: str
    x: float
    center: float = 0.0
    segments: list[Segment] = field(default_factory=list)
    total_text: str = ""
    total_y: float = 0.0


@dataclass
class Series:
    name: str
    colour: str


@dataclass
class StackedChart:
    """Vertical stacked columns (hours per month by source)."""

    id: str
    title: str
    description: str
    columns: list[Column]
    series: list[Series]
    ticks: list[tuple[float, str]]
    width: int = 360
    height: int = 220
    left: int = 34
    bottom: int = 24
    top: int = 14
    column_width: float = 18.0

    @property
    def baseline(self) -> int:
        return self.height - self.bottom

    @property
    def tick_x(self) -> int:
        return self.left - 4

    @property
    def month_y(self) -> int:
        return self.height - 8


def stacked_chart(
    *, id: str, title: str, description: str, labels: list[str], series: list[tuple[str, list[float]]]
) -> StackedChart:
    chart = StackedChart(id=id, title=title, description=description, columns=[], series=[], ticks=[])
    totals = [sum(values[i] for _, values in series) for i in range(len(labels))]
    top_value = _nice_ceiling(max(totals, default=0.0))
    plot_height = chart.height - chart.top - chart.bottom
    step = (chart.width - chart.left - 4) / max(len(labels), 1)
    chart.column_width = round(step * 0.64, 1)
    for fraction in (0, 0.5, 1):
        value = top_value * fraction
        chart.ticks.append((round(chart.baseline - plot_height * fraction, 1), f"{value:g}"))
    chart.series = [Series(name, COLOURS[i % len(COLOURS)]) for i, (name, _) in enumerate(series)]
    for index, label in enumerate(labels):
        x = round(chart.left + step * index + (step - chart.column_width) / 2, 1)
        column = Column(label=label, x=x, center=round(x + chart.column_width / 2, 1))
        y = float(chart.baseline)
        for series_index, (_, values) in enumerate(series):
            height = plot_height * values[index] / top_value if top_value else 0.0
            if height > 0:
                y -= height
                column.segments.append(Segment(round(y, 1), round(height, 1), COLOURS[series_index % len(COLOURS)]))
        if totals[index]:
            column.total_text = f"{totals[index]:g}"
            column.total_y = round(y - 3, 1)
        chart.columns.append(column)
    return chart


def _nice_ceiling(value: float) -> float:
    """The next "round" number at or above ``value`` for an axis (1, 1.5, 2, 3, 4, 5, 6, 8 × 10ⁿ)."""
    if value <= 0:
        return 1.0
    magnitude = 10 ** (len(str(int(value))) - 1)
    for factor in (1, 1.5, 2, 3, 4, 5, 6, 8, 10):
        if value <= factor * magnitude:
            return float(factor * magnitude)
    return float(10 * magnitude)
