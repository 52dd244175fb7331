"""A session's page and its life: create, edit, reschedule, cancel, duplicate."""

from __future__ import annotations

from datetime import datetime

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.orm import selectinload

from webinars.domain.partners.quotas import academy_students
from webinars.domain.registration.seats import active_registrations, seats_taken
from webinars.domain.sessions.access import can_edit, can_view
from webinars.domain.sessions.conflicts import Conflict, conflicts_for_session, find_conflicts
from webinars.domain.sessions.rules import SessionRulesError, resolve_times
from webinars.domain.sessions.scheduling import (
    cancel_session,
    create_session,
    duplicate_input,
    input_from_session,
    moved_input,
    reschedule_session,
    update_session,
)
from webinars.extensions import db
from webinars.i18n import places_for
from webinars.models import AuditEntry, GuestSpeaker, Session, utcnow
from webinars.web.audit_labels import history_for
from webinars.web.choices import academy_choices, lecturer_choices, zone_choices
from webinars.web.manage.blueprint import bp
from webinars.web.manage.find_time import form_grid, grid_requested, prefill
from webinars.web.manage.forms import CancelForm, RescheduleForm, SessionForm
from webinars.web.manage.working_time import time_warnings
from webinars.web.manage.zoom_fields import (
    attach_zoom_fields,
    move_error,
    save_zoom_fields,
    zoom_errors,
)
from webinars.web.reserve_warning import reserve_warning
from webinars.web.roles import scheduler_required, staff_required


def _load(session_id: int) -> Session:
    session = db.session.execute(
        db.select(Session)
        .where(Session.id == session_id)
        .options(
            selectinload(Session.lecturers),
            selectinload(Session.academies),
            selectinload(Session.guest_speakers).selectinload(GuestSpeaker.academy),
            selectinload(Session.audit_entries).selectinload(AuditEntry.user),
        )
    ).scalar_one_or_none()
    if session is None or not can_view(current_user, session):
        abort(404)
    return session


def _editable(session_id: int) -> Session:
    session = _load(session_id)
    if not can_edit(current_user, session):
        abort(403)
    return session


def _prepare(form: SessionForm, session: Session | None = None) -> None:
    chosen_lecturers = [u.id for u in session.lecturers] if session else []
    chosen_academies = [a.id for a in session.academies] if session else []
    form.lecturer_ids.choices = lecturer_choices(chosen_lecturers)
    form.academy_ids.choices = academy_choices(chosen_academies)
    form.time_zone.choices = zone_choices(session.time_zone if session else None)
    guest_academies = [(0, _("None")), *form.academy_ids.choices]
    for entry in form.guests:
        entry.form.academy_id.choices = guest_academies
    attach_zoom_fields(form, session)


def _attach(form, errors: dict) -> None:
    """The domain's messages beside their fields; a field the form already faulted keeps
    its own message (one problem, one message)."""
    for name, message in errors.items():
        field = getattr(form, name, None)
        if field is None:
            flash(str(message), "danger")
        elif not field.errors:
            field.errors = [*field.errors, message]


def _saved(session: Session, message: str):
    db.session.commit()
    flash(message, "success")
    return redirect(url_for("manage.session_page", session_id=session.id))


@bp.get("/sessions/<int:session_id>")
@staff_required
def session_page(session_id: int):
    """Everything about one session, with its times in every place and its history."""
    session = _load(session_id)
    editable = can_edit(current_user, session)
    # A coordinator sees their own academy's students here (the dashboard lists only the
    # next sessions); _load let them in only to their academy's sessions.
    students = (
        academy_students(session.id, current_user.academy_id)
        if current_user.is_coordinator
        else None
    )
    return render_template(
        "manage/session.html",
        session=session,
        history=history_for(session.audit_entries, editable),
        places=places_for(session),
        conflicts=conflicts_for_session(session),
        editable=editable,
        students=students,
        now=utcnow(),
    )


def _save_form(form: SessionForm, session: Session | None, template: str):
    """Validate, check rules and overlaps, save; or render the form with what was typed.

    The form's own checks and the domain's rules run on the same submit, so every
    problem is reported at once (base.html puts the summary above the form).
    """
    conflicts: list[Conflict] = []
    warnings: list[str] = []
    if form.is_submitted() and grid_requested(request.form):
        return render_template(
            template,
            form=form,
            session=session,
            conflicts=[],
            **form_grid(form, request.form, session),
        )
    if form.is_submitted():
        valid = form.validate()
        data = form.to_input()
        taken = seats_taken(session.id, utcnow()) if session else 0
        registrants = active_registrations(session.id) if session else 0
        try:
            times = resolve_times(
                data, utcnow(), session=session, seats_taken=taken, registrants=registrants
            )
        except SessionRulesError as exc:
            _attach(form, exc.errors)
        else:
            if valid:
                saved, conflicts, warnings = _save_checked(
                    form, session, data, times, taken, registrants
                )
                if saved is not None:
                    return saved
    return render_template(
        template, form=form, session=session, conflicts=conflicts, time_warnings=warnings
    )


def _save_checked(
    form: SessionForm, session: Session | None, data, times, taken: int, registrants: int
):
    """Save input that passed every rule, unless Zoom, an overlap or a time outside
    working hours (or on a day off) somewhere needs a word first.

    Returns (the redirect after saving or None, the overlaps found, the time warnings)."""
    zoom_problems = zoom_errors(form, times.starts_at, times.ends_at, session)
    _attach(form, zoom_problems)
    conflicts = find_conflicts(
        times.starts_at,
        times.ends_at,
        data.lecturer_ids,
        data.academy_ids,
        exclude_session_id=session.id if session else None,
    )
    warnings = _moved_time_warnings(session, times.starts_at, times.ends_at, data.academy_ids)
    if zoom_problems or ((conflicts or warnings) and not form.confirm_conflicts.data):
        return None, conflicts, warnings
    if session is None:
        session = create_session(data, current_user)
        save_zoom_fields(form, session)
        return _saved(session, _("The session is saved.")), conflicts, warnings
    changes = update_session(
        session, data, current_user, seats_taken=taken, registrants=registrants
    )
    changes = save_zoom_fields(form, session) or changes
    message = _("The session is saved.") if changes else _("Nothing was changed.")
    saved = _saved(session, message)
    warning = reserve_warning(session)  # a lowered capacity may leave reserved seats no room
    if warning:
        flash(warning, "warning")
    return saved, conflicts, warnings


def _moved_time_warnings(
    session: Session | None, starts_at: datetime, ends_at: datetime, academy_ids: list[int]
) -> list[str]:
    """Working-hours and day-off warnings, unless an edit keeps the time and academies
    (they were confirmed when the time was chosen)."""
    if session is not None and (
        (session.starts_at, session.ends_at) == (starts_at, ends_at)
        and {a.id for a in session.academies} == set(academy_ids)
    ):
        return []
    return time_warnings(starts_at, ends_at, academy_ids)


@bp.route("/sessions/new", methods=["GET", "POST"])
@scheduler_required
def create():
    """Schedule a new session."""
    form = SessionForm()
    _prepare(form)
    if request.method == "GET":
        form.time_zone.data = current_user.time_zone
        if current_user.is_lecturer:
            form.lecturer_ids.data = [current_user.id]
        prefill(form, request.args)  # from a free cell of the find-a-time page
    return _save_form(form, None, "manage/session_form.html")


@bp.route("/sessions/<int:session_id>/duplicate", methods=["GET"])
@scheduler_required
def duplicate(session_id: int):
    """Start a new session from a copy of this one (a draft, one week later)."""
    source = _load(session_id)
    form = SessionForm(formdata=None)
    form.fill_from(duplicate_input(source))
    _prepare(form)
    flash(_("This is a copy of “%(title)s”, not saved yet.", title=source.title), "info")
    flash(
        _(
            "It is a draft, one week later: check the date and time, paste a new meeting "
            "link (the original's is not copied; a Zoom copy gets its own meeting), then "
            "save. Publish it when it is ready."
        ),
        "info",
    )
    return render_template("manage/session_form.html", form=form, session=None, conflicts=[])


@bp.route("/sessions/<int:session_id>/edit", methods=["GET", "POST"])
@scheduler_required
def edit(session_id: int):
    """Change any detail of a session."""
    session = _editable(session_id)
    form = SessionForm()
    if request.method == "GET":
        form.fill_from(input_from_session(session))
    _prepare(form, session)
    return _save_form(form, session, "manage/session_form.html")


@bp.route("/sessions/<int:session_id>/reschedule", methods=["GET", "POST"])
@scheduler_required
def reschedule(session_id: int):
    """Move a session to another time."""
    session = _editable(session_id)
    if session.is_cancelled:
        flash(_("A cancelled session cannot be moved. Duplicate it instead."), "warning")
        return redirect(url_for("manage.session_page", session_id=session.id))
    form = RescheduleForm()
    form.time_zone.choices = zone_choices(session.time_zone)
    if request.method == "GET":
        current = input_from_session(session)
        form.starts_local.data = current.starts_local
        form.time_zone.data = current.time_zone
        form.duration_minutes.data = current.duration_minutes
    conflicts: list[Conflict] = []
    warnings: list[str] = []
    if form.is_submitted() and grid_requested(request.form):
        return render_template(
            "manage/reschedule.html",
            form=form,
            session=session,
            conflicts=[],
            **form_grid(form, request.form, session),
        )
    if form.validate_on_submit():
        try:
            conflicts, warnings = _reschedule_checks(session, form)
            if not (conflicts or warnings) or form.confirm_conflicts.data:
                reschedule_session(
                    session,
                    form.starts_local.data,
                    form.time_zone.data,
                    form.duration_minutes.data,
                    current_user,
                )
                return _saved(session, _("The session is moved."))
        except SessionRulesError as exc:
            _attach(form, exc.errors)
    return render_template(
        "manage/reschedule.html",
        form=form,
        session=session,
        conflicts=conflicts,
        time_warnings=warnings,
    )


def _reschedule_checks(session: Session, form: RescheduleForm) -> tuple[list[Conflict], list[str]]:
    """Check the move by the same rules as any edit (SessionRulesError), then find overlaps
    and what the new time means for working hours and days off."""
    data = moved_input(
        session, form.starts_local.data, form.time_zone.data, form.duration_minutes.data
    )
    times = resolve_times(data, utcnow(), session=session)
    if problem := move_error(session, times.starts_at, times.ends_at):
        raise SessionRulesError({"starts_local": problem})
    conflicts = find_conflicts(
        times.starts_at,
        times.ends_at,
        data.lecturer_ids,
        data.academy_ids,
        exclude_session_id=session.id,
    )
    return conflicts, _moved_time_warnings(
        session, times.starts_at, times.ends_at, data.academy_ids
    )


@bp.route("/sessions/<int:session_id>/cancel", methods=["GET", "POST"])
@scheduler_required
def cancel(session_id: int):
    """Cancel a session, with a reason; it stays visible as cancelled."""
    session = _editable(session_id)
    if session.is_cancelled:
        flash(_("This session is already cancelled."), "info")
        return redirect(url_for("manage.session_page", session_id=session.id))
    form = CancelForm()
    if form.validate_on_submit():
        cancel_session(session, form.reason.data, current_user)
        return _saved(session, _("The session is cancelled."))
    return render_template("manage/cancel.html", form=form, session=session)
