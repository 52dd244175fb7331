"""Lecturers: a session's attendance (who attended and why, overrides, walk-ins,
finalising) and the check-in list at the door, made for a phone.

Personal data: only the session's lecturers and admins (domain.access.can_edit).
"""

from __future__ import annotations

from collections.abc import Callable

from flask import (
    Blueprint,
    Response,
    abort,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user

from webinars.domain.attendance.changes import (
    AttendanceError,
    add_walk_in,
    check_in,
    confirm_zoom_name,
    finalise,
    override,
    set_share,
    undo_check_in,
    unlink_zoom_name,
)
from webinars.domain.attendance.check_in_codes import code_matches
from webinars.domain.attendance.export import attendance_csv, attendance_xlsx
from webinars.domain.attendance.sheet import build_sheet
from webinars.extensions import db
from webinars.models import Presence, Registration, Session, utcnow
from webinars.web.attendance_forms import OverrideForm, ShareForm, WalkInForm
from webinars.web.downloads import as_download, csv_download
from webinars.web.roles import editable_session, staff_required

bp = Blueprint("attendance", __name__, url_prefix="/manage/sessions/<int:session_id>")


@bp.after_request
def _private(response: Response) -> Response:
    response.headers.setdefault("Cache-Control", "no-store")
    return response


def _page(session: Session, status: int = 200, **forms):
    sheet = build_sheet(session)
    share = forms.get("share") or ShareForm(formdata=None, share_percent=sheet.share_percent)
    walk_in = forms.get("walk_in") or WalkInForm(formdata=None)
    return render_template(
        "attendance/index.html",
        session=session,
        sheet=sheet,
        share_form=share,
        walk_in_form=walk_in,
        override_form=forms.get("override"),
        now=utcnow(),
    ), status


def _back(session: Session, message: str, anchor: str = ""):
    db.session.commit()
    flash(message, "success")
    return redirect(url_for("attendance.index", session_id=session.id) + anchor)


def _refused(session: Session, error: AttendanceError):
    db.session.rollback()
    flash(str(error.message), "danger")
    return redirect(url_for("attendance.index", session_id=session.id))


@bp.get("/attendance")
@staff_required
def index(session_id: int):
    """Who attended and why, with counts, the rule, overrides and walk-ins."""
    return _page(editable_session(session_id))


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@bp.get("/attendance.<any(csv, xlsx):fmt>")
@staff_required
def export(session_id: int, fmt: str):
    """The list as a CSV or Excel file."""
    session = editable_session(session_id)
    sheet = build_sheet(session)
    filename = f"session-{session.id}-attendance.{fmt}"
    if fmt == "csv":
        return csv_download(attendance_csv(sheet), filename)
    return as_download(attendance_xlsx(sheet), XLSX, filename)


@bp.post("/attendance/share")
@staff_required
def share(session_id: int):
    """Change the share of the minutes that counts as attended."""
    session = editable_session(session_id)
    form = ShareForm()
    if not form.validate_on_submit():
        return _page(session, 422, share=form)
    try:
        set_share(session, form.share_percent.data, current_user, utcnow())
    except AttendanceError as exc:
        return _refused(session, exc)
    return _back(session, _("The attendance rule is saved."))


@bp.post("/attendance/override")
@staff_required
def override_one(session_id: int):
    """Decide a person's attendance over the rule, with a reason for the history."""
    session = editable_session(session_id)
    form = OverrideForm()
    if not form.validate_on_submit():
        flash(_("Some fields need attention; see the messages below."), "danger")
        return _page(session, 422, override=form)
    presence = None if form.presence.data == "rule" else Presence(form.presence.data)
    try:
        override(session, form.person.data, presence, form.reason.data, current_user, utcnow())
    except AttendanceError as exc:
        return _refused(session, exc)
    return _back(session, _("The decision is saved."), f"#{form.person.data}")


@bp.post("/attendance/zoom-names")
@staff_required
def confirm_name(session_id: int):
    """Confirm that a Zoom participant known only by name is this person."""
    return _zoom_name_change(session_id, confirm_zoom_name, _("The Zoom participant is matched."))


@bp.post("/attendance/zoom-names/unlink")
@staff_required
def unlink_name(session_id: int):
    """Undo a confirmed Zoom name."""
    return _zoom_name_change(session_id, unlink_zoom_name, _("The match is undone."))


def _zoom_name_change(session_id: int, change: Callable[..., object], done: str):
    """Apply `change` to the posted person and Zoom name, then say `done` on the list."""
    session = editable_session(session_id)
    person, name = request.form.get("person", ""), request.form.get("zoom_name", "")
    try:
        change(session, person, name, current_user, utcnow())
    except AttendanceError as exc:
        return _refused(session, exc)
    return _back(session, done, f"#{person}")


@bp.post("/attendance/walk-ins")
@staff_required
def walk_in(session_id: int):
    """Add someone who was present without registering."""
    session = editable_session(session_id)
    form = WalkInForm()
    if not form.validate_on_submit():
        return _page(session, 422, walk_in=form)
    try:
        add_walk_in(
            session,
            form.full_name.data,
            form.email.data,
            form.locale.data,
            current_user,
            utcnow(),
        )
    except AttendanceError as exc:
        db.session.rollback()
        form.email.errors = [*form.email.errors, str(exc.message)]
        return _page(session, 422, walk_in=form)
    return _back(session, _("The walk-in is added as present."))


@bp.post("/attendance/finalise")
@staff_required
def finalise_list(session_id: int):
    """Make the list final; certificates follow in the background."""
    session = editable_session(session_id)
    try:
        done = finalise(session, current_user, utcnow())
    except AttendanceError as exc:
        return _refused(session, exc)
    if not done:
        db.session.rollback()
        flash(_("The attendance was already final; nothing new is issued."), "info")
        return redirect(url_for("attendance.index", session_id=session.id))
    return _back(session, _("The attendance is final. Certificates are on their way."))


# --- the check-in list at the door (a phone) ---


def _wants_json() -> bool:
    return request.accept_mimetypes.best == "application/json"


@bp.get("/check-in")
@staff_required
def check_in_list(session_id: int):
    """Tap a name to check the person in; works on a phone, with or without JavaScript."""
    session = editable_session(session_id)
    return render_template("attendance/check_in.html", session=session, sheet=build_sheet(session))


@bp.post("/check-in/tap")
@staff_required
def check_in_one(session_id: int):
    """Check one person in (or out again with undo=1). Answers JSON to the page's script."""
    session = editable_session(session_id)
    person = request.form.get("person", "")
    undo = request.form.get("undo") == "1"
    try:
        action = undo_check_in if undo else check_in
        entry = action(session, person, current_user, utcnow())
    except AttendanceError as exc:
        db.session.rollback()
        if _wants_json():
            return jsonify(ok=False, message=str(exc.message)), 422
        flash(str(exc.message), "danger")
        return redirect(url_for("attendance.check_in_list", session_id=session.id))
    db.session.commit()
    message = _("Check-in taken back.") if undo else _("Checked in.")
    if _wants_json():
        return jsonify(
            ok=True, person=person, checked_in=entry.checked_in_at is not None, message=message
        )
    flash(message, "success")
    return redirect(url_for("attendance.check_in_list", session_id=session.id) + f"#{person}")


@bp.route("/check-in/r<int:registration_id>/<code>", methods=["GET", "POST"])
@staff_required
def scanned(session_id: int, registration_id: int, code: str):
    """The address in a student's QR code: who it is, and one tap to check them in."""
    session = editable_session(session_id)
    registration = db.session.get(Registration, registration_id)
    if (
        registration is None
        or registration.session_id != session.id
        or not code_matches(registration, code)
    ):
        abort(404, description=_("This check-in code is not valid for this session."))
    if request.method == "POST":
        try:
            check_in(session, f"r{registration.id}", current_user, utcnow())
        except AttendanceError as exc:
            return _refused(session, exc)
        db.session.commit()
        flash(_("%(name)s is checked in.", name=registration.full_name or ""), "success")
        return redirect(url_for("attendance.check_in_list", session_id=session.id))
    row = build_sheet(session).row(f"r{registration.id}")
    return render_template(
        "attendance/scanned.html", session=session, registration=registration, row=row
    )
