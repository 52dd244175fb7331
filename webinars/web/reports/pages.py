"""The report page and the sessions behind each of its numbers."""

from __future__ import annotations

from flask import abort, render_template, request
from flask_babel import format_decimal
from sqlalchemy import func
from sqlalchemy.orm import selectinload

from webinars.domain.reports.figures import GROUPINGS, held_sessions
from webinars.domain.reports.periods import PERIOD_KINDS, current_period, parse_period
from webinars.extensions import db
from webinars.models import AttendanceEntry, Registration, RegistrationStatus, Session
from webinars.web.reports.blueprint import bp
from webinars.web.reports.charts import report_charts
from webinars.web.reports.tables import (
    TABLE_TITLES,
    build_report,
    change,
    column_labels,
    report_scope,
)
from webinars.web.roles import staff_required

DRILL_DOWN_LIMIT = 500


def _period():
    return parse_period(request.args.get("period"), request.args.get("year"))


@bp.get("/")
@staff_required
def index():
    """The yearly cooperation report (a coordinator's: their academy's sessions only)."""
    period = _period()
    report = build_report(period, report_scope())
    years = list(range(current_period(period.kind).year, 2019, -1))
    return render_template(
        "reports/index.html",
        report=report,
        columns=column_labels(),
        change=change,
        charts=report_charts(report),
        period_kinds=PERIOD_KINDS,
        years=years,
    )


@bp.get("/sessions")
@staff_required
def sessions():
    """The sessions behind one number of the report."""
    period = _period()
    grouping = request.args.get("group", "total")
    key = request.args.get("key", "")
    if grouping not in GROUPINGS:
        abort(404)
    report = build_report(period, report_scope())
    [table] = [t for t in report.tables if t.grouping == grouping]
    row = next((r for r in table.rows if r.key == key), None)
    if row is None:
        abort(404)
    query = held_sessions(period, report.academy_id, grouping, key).options(
        selectinload(Session.academies),
        selectinload(Session.lecturers),
        selectinload(Session.guest_speakers),
    )
    rows = db.session.execute(query.limit(DRILL_DOWN_LIMIT + 1)).scalars().all()
    return render_template(
        "reports/sessions.html",
        report=report,
        table_title=TABLE_TITLES[grouping],
        row=row,
        sessions=rows[:DRILL_DOWN_LIMIT],
        more=len(rows) > DRILL_DOWN_LIMIT,
        registered=_per_session_counts([s.id for s in rows[:DRILL_DOWN_LIMIT]]),
    )


def _per_session_counts(ids: list[int]) -> dict[int, tuple[int, int]]:
    """(registered, attended) per session, two grouped reads."""
    if not ids:
        return {}
    registered = dict(
        db.session.execute(
            db.select(Registration.session_id, func.count())
            .where(
                Registration.session_id.in_(ids),
                Registration.status == RegistrationStatus.CONFIRMED,
            )
            .group_by(Registration.session_id)
        ).all()
    )
    attended = dict(
        db.session.execute(
            db.select(AttendanceEntry.session_id, func.count())
            .where(AttendanceEntry.session_id.in_(ids), AttendanceEntry.attended.is_(True))
            .group_by(AttendanceEntry.session_id)
        ).all()
    )
    return {i: (registered.get(i, 0), attended.get(i, 0)) for i in ids}


@bp.app_template_filter("number")
def number(value: float) -> str:
    """A figure in the reader's locale (1 234,5 in Russian)."""
    return format_decimal(value)
