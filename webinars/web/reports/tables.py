"""The report as tables in the reader's language: the same rows feed the page, the XLSX
and CSV files and the charts."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from flask import abort, current_app
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from webinars.domain.reports.cache import cached_figures
from webinars.domain.reports.figures import Figures
from webinars.domain.reports.periods import Period
from webinars.domain.sessions.direction import DIRECTION_SHORT_LABELS
from webinars.domain.sessions.kinds import KIND_LABELS
from webinars.extensions import db
from webinars.models import Direction, PartnerAcademy, SessionKind
from webinars.web.country_names import country_name

# (metric, column heading); hours are minutes turned into academic hours.
COLUMNS = [
    ("sessions", _l("Sessions held")),
    ("hours", _l("Academic hours")),
    ("lecturers", _l("Home lecturers")),
    ("guests", _l("Guest speakers")),
    ("registered", _l("Students registered")),
    ("attended", _l("Students who attended")),
]
TABLE_TITLES = {
    "total": _l("All partners"),
    "academy": _l("Per partner academy"),
    "country": _l("Per country"),
    "kind": _l("Per kind of session"),
    "direction": _l("Per direction"),
}
KEY_HEADINGS = {
    "total": _l("Total"),
    "academy": _l("Partner academy"),
    "country": _l("Country"),
    "kind": _l("Kind"),
    "direction": _l("Direction"),
}


@dataclass
class Row:
    key: str
    label: str
    current: dict[str, float]
    previous: dict[str, float]
    agreements: int | None = None


@dataclass
class Table:
    grouping: str
    title: str
    key_heading: str
    rows: list[Row] = field(default_factory=list)
    has_agreements: bool = False


@dataclass
class Report:
    period: Period
    academy_id: int | None
    figures: Figures
    previous: Figures
    tables: list[Table]
    academy_names: dict[str, str]


def report_scope() -> int | None:
    """None (every partner) for admins and lecturers; a coordinator's own academy."""
    if current_user.is_admin or current_user.is_lecturer:
        return None
    if current_user.academy_id is None:
        abort(403)
    return current_user.academy_id


def _with_hours(values: dict[str, int]) -> dict[str, float]:
    hour = current_app.config["ACADEMIC_HOUR_MINUTES"]
    return {**values, "hours": round(values.get("minutes", 0) / hour, 1)}


def build_report(period: Period, academy_id: int | None) -> Report:
    """The period's report with the previous period beside it (both from the cache)."""
    figures, previous = (
        cached_figures(period, academy_id),
        cached_figures(period.previous(), academy_id),
    )
    locale = str(get_locale())
    academies = {
        str(a.id): a.name_in(locale)
        for a in db.session.execute(db.select(PartnerAcademy)).scalars()
    }
    labels: dict[str, dict[str, str]] = {
        "total": {"": str(_l("Total"))},
        "academy": academies,
        "kind": {k.value: str(label) for k, label in KIND_LABELS.items()},
        "direction": {d.value: str(label) for d, label in DIRECTION_SHORT_LABELS.items()},
    }
    order = {
        "kind": [k.value for k in SessionKind],
        "direction": [d.value for d in Direction],
    }
    tables = []
    for grouping, title in TABLE_TITLES.items():
        keys = set(figures.rows.get(grouping, {})) | set(previous.rows.get(grouping, {}))
        if grouping in order:
            keys = [k for k in order[grouping] if k in keys]  # type: ignore[assignment]
        elif grouping == "total":
            keys = [""]  # type: ignore[assignment]

        def label(key: str, grouping: str = grouping) -> str:
            if grouping == "country":
                return country_name(key)
            return labels[grouping].get(key, key)

        rows = [
            Row(
                key,
                label(key),
                _with_hours(figures.row(grouping, key)),
                _with_hours(previous.row(grouping, key)),
                figures.agreements.get(grouping, {}).get(key, 0)
                if grouping in ("total", "academy", "country")
                else None,
            )
            for key in keys
        ]
        if grouping in ("academy", "country"):
            rows.sort(key=lambda r: (-r.current["sessions"], r.label))
        tables.append(
            Table(
                grouping,
                str(title),
                str(KEY_HEADINGS[grouping]),
                rows,
                grouping in ("total", "academy", "country"),
            )
        )
    return Report(period, academy_id, figures, previous, tables, academies)


def change(current: float, previous: float) -> str:
    """The year-over-year change, e.g. "+3" or "−2" (nothing when equal)."""
    delta = current - previous
    if not delta:
        return ""
    text = f"{abs(delta):g}"
    return f"+{text}" if delta > 0 else f"\u2212{text}"


def column_labels() -> list[tuple[str, Any]]:
    return COLUMNS
