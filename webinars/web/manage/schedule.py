"""The dashboard and the schedule list."""

from __future__ import annotations

from datetime import datetime, timedelta

from flask import current_app, render_template, request
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import or_
from sqlalchemy.orm import selectinload

from webinars.domain.partners.request_queue import overdue_requests
from webinars.domain.sessions.access import visible_sessions
from webinars.domain.sessions.conflicts import conflicting_session_ids
from webinars.domain.sessions.filters import ending_after, filter_sessions, taught_by
from webinars.domain.sessions.keyset import keyset_page, parse_cursor
from webinars.extensions import db
from webinars.i18n import viewer_zone
from webinars.models import Session, SessionStatus, User, utcnow
from webinars.web.choices import academy_choices, lecturer_choices
from webinars.web.list_filters import session_filters
from webinars.web.manage.blueprint import bp
from webinars.web.manage.forms import ScheduleFilterForm
from webinars.web.manage.working_time import schedule_marks
from webinars.web.roles import staff_required

ATTENTION_WINDOW = timedelta(days=30)


def _with_people(query):
    # The lecturers only as names (the lists show nothing else of them): a page hydrates
    # two columns per person instead of the whole account row.
    return query.options(
        selectinload(Session.lecturers).load_only(User.id, User.name),
        selectinload(Session.academies),
    )


def _mine(query):
    """Sessions the current user teaches or created (coordinators: their academy's)."""
    if current_user.is_coordinator:
        return query
    return query.where(or_(taught_by(current_user.id), Session.created_by_id == current_user.id))


def _spans(sessions) -> list[tuple[datetime, datetime]]:
    """Each session's start and end, for the conflict marks."""
    return [(s.starts_at, s.ends_at) for s in sessions]


@bp.get("/")
@staff_required
def dashboard():
    """My upcoming sessions and the ones that need attention."""
    now = utcnow()
    upcoming = (
        db.session.execute(
            _with_people(_mine(visible_sessions(current_user)))
            .where(ending_after(now), Session.status != SessionStatus.CANCELLED)
            .order_by(Session.starts_at)
            .limit(20)
        )
        .scalars()
        .all()
    )
    conflicted = conflicting_session_ids([s.id for s in upcoming], _spans(upcoming))
    marks = schedule_marks(upcoming)
    attention = [
        (s, _("Draft: not published yet."))
        for s in upcoming
        if s.status is SessionStatus.DRAFT and s.starts_at - now < ATTENTION_WINDOW
    ] + [(s, _("Overlaps another session.")) for s in upcoming if s.id in conflicted]
    attention += [
        (s, _("Outside working hours or on a day off somewhere."))
        for s in upcoming
        if s.id in marks
    ]
    overdue = overdue_requests(now) if current_user.can_schedule else []
    return render_template(
        "manage/dashboard.html",
        upcoming=upcoming,
        attention=attention,
        conflicted=conflicted,
        marks=marks,
        overdue_requests=overdue,
    )


@bp.get("/schedule")
@staff_required
def schedule():
    """All sessions I may see, filtered, a page at a time (by place in time: a deep page
    costs what the first does), with overlaps marked."""
    form = ScheduleFilterForm(request.args)
    form.academy.choices = [(0, _("All academies")), *academy_choices()]
    form.lecturer.choices = [(0, _("All lecturers")), *lecturer_choices()]
    zone = viewer_zone() or current_app.config["HOME_TIME_ZONE"]
    query = _with_people(visible_sessions(current_user))
    form.validate()  # a faulty field says so beside itself and narrows nothing
    mine = None if current_user.is_coordinator else current_user.id  # theirs: all they see
    filters = session_filters(form, mine)
    query = filter_sessions(query, filters, zone)
    show_past = (
        request.args.get("past") == "1"
        or bool(filters.first_day)
        or filters.status in ("finished", "cancelled")
    )
    if not show_past:
        query = query.where(ending_after(utcnow()))
    page = keyset_page(
        query,
        current_app.config["SCHEDULE_PAGE_SIZE"],
        after=parse_cursor(request.args.get("after")),
        before=parse_cursor(request.args.get("before")),
        last=request.args.get("last") == "1",
    )
    conflicted = conflicting_session_ids([s.id for s in page.items], _spans(page.items))
    moves = ("after", "before", "last", "page")
    return render_template(
        "manage/schedule.html",
        form=form,
        page=page,
        conflicted=conflicted,
        marks=schedule_marks(page.items),
        zone=zone,
        show_past=show_past,
        filter_args={k: v for k, v in request.args.items() if k not in (*moves, "past")},
        list_args={k: v for k, v in request.args.items() if k not in moves},
    )
