"""The admin's integrations page: whether Zoom is set up, the department's meeting
defaults, lecturers' Zoom users, and every session whose meeting is not in step."""

from __future__ import annotations

from flask import current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from webinars.domain.zoom.hosts import DAILY_LIMIT, retired_hosts, usage_today
from webinars.domain.zoom.settings import (
    MeetingSettings,
    department_defaults,
    ensure_record,
    save_department_defaults,
    set_zoom_email,
)
from webinars.domain.zoom.status import meeting_status
from webinars.domain.zoom.sweep import request_retry, sessions_out_of_step
from webinars.domain.zoom.zones import refused_zones
from webinars.extensions import db
from webinars.models import AutoRecording, Role, Session, User, utcnow
from webinars.web.admin.blueprint import bp
from webinars.web.admin.zoom_forms import RetryForm, ZoomDefaultsForm, ZoomEmailForm
from webinars.web.roles import admin_required
from webinars.zoom.setup import zoom_setup


def _defaults_form() -> ZoomDefaultsForm:
    form = ZoomDefaultsForm()
    if not form.is_submitted():
        row = department_defaults()
        form.passcode.data = row.passcode
        form.waiting_room.data = row.waiting_room
        form.mute_upon_entry.data = row.mute_upon_entry
        form.auto_recording.data = AutoRecording(row.auto_recording).value
    return form


def _lecturers() -> list[User]:
    return list(
        db.session.execute(
            db.select(User)
            .where(User.role.in_([Role.LECTURER, Role.ADMIN]), User.is_active_account)
            .order_by(User.name)
        ).scalars()
    )


def _page(defaults_form: ZoomDefaultsForm | None = None, email_forms=None, status: int = 200):
    setup = zoom_setup(current_app.config)
    now = utcnow()
    lecturers = _lecturers()
    forms = {u.id: ZoomEmailForm(formdata=None, zoom_email=u.zoom_email) for u in lecturers}
    forms.update(email_forms or {})
    refused = refused_zones(now)
    behind = [
        (session, record, meeting_status(session, record, setup, now, refused))
        for session, record in sessions_out_of_step(now)
    ]
    body = render_template(
        "admin/integrations.html",
        setup=setup,
        usage=usage_today(setup.hosts, now),
        retired=retired_hosts(setup.hosts, now),
        daily_limit=DAILY_LIMIT,
        defaults_form=defaults_form or _defaults_form(),
        lecturers=lecturers,
        email_forms=forms,
        behind=behind,
        retry_form=RetryForm(),
    )
    return body, status


@bp.get("/integrations")
@admin_required
def integrations():
    """Zoom's configuration at a glance, and the meetings not in step."""
    return _page()


@bp.post("/integrations/zoom-defaults")
@admin_required
def zoom_defaults():
    """Save the department's meeting defaults."""
    form = _defaults_form()
    if not form.validate_on_submit():
        return _page(defaults_form=form, status=400)
    settings = MeetingSettings(
        passcode=form.passcode.data,
        waiting_room=form.waiting_room.data,
        mute_upon_entry=form.mute_upon_entry.data,
        auto_recording=AutoRecording(form.auto_recording.data),
    )
    save_department_defaults(settings, current_user)
    db.session.commit()
    flash(_("The meeting defaults are saved; meetings follow them at their next sync."), "success")
    return redirect(url_for("admin.integrations"))


@bp.post("/integrations/zoom-users/<int:user_id>")
@admin_required
def zoom_user(user_id: int):
    """Record which Zoom user a lecturer is, so they become an alternative host."""
    user = db.get_or_404(User, user_id)
    form = ZoomEmailForm()
    if not form.validate_on_submit():
        return _page(email_forms={user.id: form}, status=400)
    set_zoom_email(user, form.zoom_email.data)
    db.session.commit()
    flash(_("%(name)s's Zoom user is saved.", name=user.name), "success")
    return redirect(url_for("admin.integrations") + "#zoom-users")


@bp.post("/integrations/zoom/<int:session_id>/retry")
@admin_required
def zoom_retry(session_id: int):
    """Try to put a session's meeting in step now (the work runs in the background)."""
    session = db.get_or_404(Session, session_id)
    if RetryForm().validate_on_submit():
        request_retry(ensure_record(session))
        db.session.commit()
        flash(_("Another attempt for “%(title)s” is on its way.", title=session.title), "success")
    return redirect(url_for("admin.integrations") + "#zoom-behind")
