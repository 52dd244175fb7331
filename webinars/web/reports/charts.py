"""Charts drawn on the server as SVG: they print, need no JavaScript and no CDN.

No chart library: the three charts are plain bars, and drawing them from a Jinja
template (templates/reports/_chart.html) keeps every word translated, every colour in the
stylesheet, and a text alternative (a table of the same numbers) beside each. pygal would
add a dependency that still needs its own accessibility and print work.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from babel import Locale
from flask_babel import get_locale
from flask_babel import gettext as _

from webinars.domain.sessions.kinds import KIND_LABELS
from webinars.models import SessionKind

WIDTH, HEIGHT = 640, 260
LEFT, RIGHT, TOP, BOTTOM = 40, 10, 10, 40


@dataclass
class Bar:
    x: float
    y: float
    width: float
    height: float
    series: int
    title: str


@dataclass
class Label:
    x: float
    y: float
    text: str
    anchor: str = "middle"


@dataclass
class Chart:
    ident: str
    title: str
    summary: str
    width: int
    height: int
    bars: list[Bar] = field(default_factory=list)
    labels: list[Label] = field(default_factory=list)
    gridlines: list[Label] = field(default_factory=list)
    legend: list[str] = field(default_factory=list)
    table_head: list[str] = field(default_factory=list)
    table_rows: list[list[Any]] = field(default_factory=list)


def _nice_max(value: float) -> int:
    for step in (1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000, 5000, 10000):
        if value <= step * 4:
            return step * 4
    return int(value) + 1


def _grid(chart: Chart, top_value: int, plot_height: float) -> None:
    for i in range(5):
        value = top_value * i // 4
        y = TOP + plot_height - plot_height * i / 4
        chart.gridlines.append(Label(LEFT - 4, y, f"{value}", "end"))


def grouped_bars(
    ident: str,
    title: str,
    summary: str,
    categories: list[str],
    series: list[tuple[str, list[int]]],
    stacked: bool = False,
) -> Chart:
    """Vertical bars: one group per category, one bar per series (or one stacked bar)."""
    chart = Chart(ident, title, summary, WIDTH, HEIGHT, legend=[name for name, _ in series])
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    totals = [sum(vals[i] for _, vals in series) for i in range(len(categories))]
    peak = max(totals if stacked else [v for _, vals in series for v in vals] or [0]) or 1
    top_value = _nice_max(peak)
    _grid(chart, top_value, plot_h)
    slot = plot_w / max(len(categories), 1)
    per_bar = slot * 0.8 / (1 if stacked else max(len(series), 1))
    for i, category in enumerate(categories):
        base = TOP + plot_h
        for s, (name, values) in enumerate(series):
            h = plot_h * values[i] / top_value
            x = LEFT + slot * i + slot * 0.1 + (0 if stacked else per_bar * s)
            y = base - h
            if values[i]:
                chart.bars.append(Bar(x, y, per_bar, h, s, f"{category}, {name}: {values[i]}"))
            if stacked:
                base = y
        chart.labels.append(Label(LEFT + slot * i + slot / 2, HEIGHT - BOTTOM + 16, category))
    chart.table_head = ["", *[name for name, _ in series]]
    chart.table_rows = [[c, *[vals[i] for _, vals in series]] for i, c in enumerate(categories)]
    return chart


def report_charts(report: Any) -> list[Chart]:
    """Sessions per month by kind, students per partner, a year over year per country."""
    locale = Locale.parse(str(get_locale()))
    names = locale.months["format"]["abbreviated"]
    first = report.period.first_month
    months = [str(names[(first - 1 + i) % 12 + 1]) for i in range(12)]
    kinds = list(SessionKind)
    per_month = [
        (
            str(KIND_LABELS[k]),
            [report.figures.months.get(str(i), {}).get(k.value, 0) for i in range(12)],
        )
        for k in kinds
    ]
    total = report.figures.total["sessions"]
    charts = [
        grouped_bars(
            "chart-months",
            _("Sessions per month, by kind"),
            _("Sessions held in %(period)s: %(count)d.", count=total, period=report.period.label),
            months,
            per_month,
            stacked=True,
        )
    ]
    academy_table = next(t for t in report.tables if t.grouping == "academy")
    partners = [r for r in academy_table.rows if r.current["registered"] or r.current["attended"]][
        :10
    ]
    charts.append(
        grouped_bars(
            "chart-partners",
            _("Students reached per partner"),
            _("Students registered and students who attended, per partner academy."),
            [_short(r.label) for r in partners],
            [
                (_("Students registered"), [int(r.current["registered"]) for r in partners]),
                (_("Students who attended"), [int(r.current["attended"]) for r in partners]),
            ],
        )
    )
    country_table = next(t for t in report.tables if t.grouping == "country")
    countries = country_table.rows
    charts.append(
        grouped_bars(
            "chart-countries",
            _("Sessions per country, year over year"),
            _(
                "Sessions held per country in %(period)s and the year before.",
                period=report.period.label,
            ),
            [r.label for r in countries],
            [
                (report.period.previous().label, [int(r.previous["sessions"]) for r in countries]),
                (report.period.label, [int(r.current["sessions"]) for r in countries]),
            ],
        )
    )
    return charts


def _short(name: str, limit: int = 18) -> str:
    return name if len(name) <= limit else name[: limit - 1] + "…"
