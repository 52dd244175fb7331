"""Report periods: a calendar year or an academic year (September to August), counted in
the home department's zone. A session belongs to the period in which it starts there."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from flask import current_app
from flask_babel import lazy_gettext as _l

from webinars.domain.sessions.timezones import day_start_utc, utc_to_local
from webinars.models import utcnow

PERIOD_KINDS = {"calendar": _l("Calendar year"), "academic": _l("Academic year (September–August)")}
ACADEMIC_START_MONTH = 9


@dataclass(frozen=True)
class Period:
    """One year of the report: `kind` is "calendar" or "academic", `year` the year it starts."""

    kind: str
    year: int

    @property
    def first_month(self) -> int:
        return ACADEMIC_START_MONTH if self.kind == "academic" else 1

    @property
    def first_day(self) -> date:
        return date(self.year, self.first_month, 1)

    @property
    def end_day(self) -> date:
        """The first day after the period."""
        return date(self.year + 1, self.first_month, 1)

    @property
    def label(self) -> str:
        return str(self.year) if self.kind == "calendar" else f"{self.year}–{self.year + 1}"

    @property
    def key(self) -> str:
        return f"{self.kind}:{self.year}"

    def previous(self) -> Period:
        return Period(self.kind, self.year - 1)

    def month_starts(self) -> list[date]:
        """The first day of each of the period's twelve months, and of the month after."""
        days = []
        for i in range(13):
            month = self.first_month - 1 + i
            days.append(date(self.year + month // 12, month % 12 + 1, 1))
        return days

    def utc_bounds(self, zone: str) -> tuple[datetime, datetime]:
        start, end = day_start_utc(self.first_day, zone), day_start_utc(self.end_day, zone)
        assert start is not None and end is not None
        return start, end


def default_kind() -> str:
    kind = current_app.config.get("REPORT_YEAR", "calendar")
    return kind if kind in PERIOD_KINDS else "calendar"


def period_containing(moment: datetime, kind: str, zone: str) -> Period:
    """The period of `kind` in which `moment` falls, in `zone`."""
    local = utc_to_local(moment, zone)
    if kind == "academic":
        return Period(kind, local.year if local.month >= ACADEMIC_START_MONTH else local.year - 1)
    return Period(kind, local.year)


def current_period(kind: str | None = None) -> Period:
    kind = kind or default_kind()
    return period_containing(utcnow(), kind, current_app.config["HOME_TIME_ZONE"])


def parse_period(kind: str | None, year: str | None) -> Period:
    """The period a page asked for; the current one for anything unreadable."""
    kind = kind if kind in PERIOD_KINDS else default_kind()
    current = current_period(kind)
    try:
        wanted = int(year or "")
    except ValueError:
        return current
    return Period(kind, wanted) if 2000 <= wanted <= current.year + 1 else current
