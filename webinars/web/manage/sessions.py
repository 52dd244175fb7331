"""A session's page and its life: create, edit, reschedule, cancel, duplicate."""

from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.orm import selectinload

from webinars.domain.registration.seats import seats_taken
from webinars.domain.sessions.access import can_edit, can_view
from webinars.domain.sessions.conflicts import Conflict, conflicts_for_session, find_conflicts
from webinars.domain.sessions.places import session_places
from webinars.domain.sessions.scheduling import (
    SessionRulesError,
    cancel_session,
    create_session,
    duplicate_input,
    input_from_session,
    moved_input,
    reschedule_session,
    resolve_times,
    update_session,
)
from webinars.extensions import db
from webinars.i18n import viewer_zone
from webinars.models import AuditEntry, GuestSpeaker, Session, utcnow
from webinars.web.manage.blueprint import bp
from webinars.web.manage.choices import academy_choices, lecturer_choices, zone_choices
from webinars.web.manage.forms import CancelForm, RescheduleForm, SessionForm
from webinars.web.manage.zoom_fields import (
    attach_zoom_fields,
    move_error,
    save_zoom_fields,
    zoom_errors,
)
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
    form.time_zone.choices = zone_choices()
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
    return render_template(
        "manage/session.html",
        session=session,
        places=session_places(session, current_app.config, viewer_zone()),
        conflicts=conflicts_for_session(session),
        editable=can_edit(current_user, session),
        now=utcnow(),
    )


def _save_form(form: SessionForm, session: Session | None, template: str):
    """Validate, check rules and overlaps, save; or render the form with what was typed.

    The form's own checks and the domain's rules run on the same submit, so every
    problem is reported at once (base.html puts the summary above the form).
    """
    conflicts: list[Conflict] = []
    if form.is_submitted():
        valid = form.validate()
        data = form.to_input()
        taken = seats_taken(session.id, utcnow()) if session else 0
        try:
            times = resolve_times(data, utcnow(), session=session, seats_taken=taken)
        except SessionRulesError as exc:
            _attach(form, exc.errors)
        else:
            if valid:
                saved, conflicts = _save_checked(form, session, data, times, taken)
                if saved is not None:
                    return saved
    return render_template(template, form=form, session=session, conflicts=conflicts)


def _save_checked(form: SessionForm, session: Session | None, data, times, taken: int):
    """Save input that passed every rule, unless Zoom or an overlap needs a word first.

    Returns (the redirect after saving or None, the overlaps found)."""
    zoom_problems = zoom_errors(form, times.starts_at, times.ends_at, session)
    _attach(form, zoom_problems)
    conflicts = find_conflicts(
        times.starts_at,
        times.ends_at,
        data.lecturer_ids,
        data.academy_ids,
        exclude_session_id=session.id if session else None,
    )
    if zoom_problems or (conflicts and not form.confirm_conflicts.data):
        return None, conflicts
    if session is None:
        session = create_session(data, current_user)
        save_zoom_fields(form, session)
        return _saved(session, _("The session is saved.")), conflicts
    changes = update_session(session, data, current_user, seats_taken=taken)
    changes = save_zoom_fields(form, session) or changes
    message = _("The session is saved.") if changes else _("Nothing was changed.")
    return _saved(session, message), conflicts


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
    return _save_form(form, None, "manage/session_form.html")


@bp.route("/sessions/<int:session_id>/duplicate", methods=["GET"])
@scheduler_required
def duplicate(session_id: int):
    """Start a new session from a copy of this one (a draft, one week later)."""
    source = _load(session_id)
    form = SessionForm(formdata=None)
    form.fill_from(duplicate_input(source))
    _prepare(form)
    flash(
        _("This is a copy of “%(title)s”. Check the date and time, then save.", title=source.title),
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
    form.time_zone.choices = zone_choices()
    if request.method == "GET":
        current = input_from_session(session)
        form.starts_local.data = current.starts_local
        form.time_zone.data = current.time_zone
        form.duration_minutes.data = current.duration_minutes
    conflicts: list[Conflict] = []
    if form.validate_on_submit():
        try:
            conflicts = _reschedule_conflicts(session, form)
            if not conflicts or form.confirm_conflicts.data:
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
        "manage/reschedule.html", form=form, session=session, conflicts=conflicts
    )


def _reschedule_conflicts(session: Session, form: RescheduleForm) -> list[Conflict]:
    """Check the move by the same rules as any edit (SessionRulesError), then find overlaps."""
    data = moved_input(
        session, form.starts_local.data, form.time_zone.data, form.duration_minutes.data
    )
    times = resolve_times(data, utcnow(), session=session)
    if problem := move_error(session, times.starts_at, times.ends_at):
        raise SessionRulesError({"starts_local": problem})
    return find_conflicts(
        times.starts_at,
        times.ends_at,
        data.lecturer_ids,
        data.academy_ids,
        exclude_session_id=session.id,
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
