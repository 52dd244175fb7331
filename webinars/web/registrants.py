"""Lecturers: who registered for their session, and what they can do about it.

Personal data: only the session's lecturers and admins (domain.access.can_edit) get here.
"""

from __future__ import annotations

import re

from flask import (
    Blueprint,
    abort,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session as OrmSession

from webinars.domain.registration.register import (
    RegistrationClosedError,
    UnknownAcademyError,
    register,
)
from webinars.domain.registration.registrants import (
    CSV_COLUMNS,
    CsvWords,
    RegistrantFilters,
    SeatRuleError,
    attendance_by_email,
    change_capacity,
    message_everyone,
    promote,
    registrants_csv,
    registrants_page,
    remove,
    status_counts,
    waiting_positions,
)
from webinars.domain.registration.seats import seats_taken
from webinars.extensions import db
from webinars.models import Registration, RegistrationStatus, Session, utcnow
from webinars.web import path_secrets
from webinars.web.bounds import page_number
from webinars.web.downloads import csv_download
from webinars.web.registration_forms import (
    CapacityForm,
    MessageForm,
    RegistrantFilterForm,
    StaffPersonForm,
    academy_choices,
)
from webinars.web.reserve_warning import reserve_warning
from webinars.web.roles import editable_session, staff_required

bp = Blueprint("registrants", __name__, url_prefix="/manage/sessions/<int:session_id>")

# The search box's words (a student's name or address) travel in the query string, so
# that a search can be bookmarked and paged: the access logs keep none of them.
_SEARCH_TERMS = re.compile(
    r"(/registrants(?:\.csv)?\?(?:[^\s\"#]*?&)?(?:q|%71)=)[^&\s\"#]+", re.IGNORECASE
)


def mask_search_terms(text: str) -> str:
    """`text` with the registrants search's words replaced by "…"."""
    return _SEARCH_TERMS.sub(r"\1…", text)


class SearchTermsFilter(path_secrets.SecretPathFilter):
    """Masks the registrants search's words in log records (access logs print queries)."""

    def mask(self, text: str) -> str:
        """`text` with the search's words masked."""
        return mask_search_terms(text)


@bp.record_once
def _mask_logs(state) -> None:
    path_secrets.install(state.app, SearchTermsFilter())


PAGE_SIZE = 50
STATUS_LABELS = {
    RegistrationStatus.CONFIRMED: _l("Confirmed"),
    RegistrationStatus.HELD: _l("Held, unconfirmed"),
    RegistrationStatus.WAITING: _l("Waiting"),
    RegistrationStatus.CANCELLED: _l("Cancelled"),
    RegistrationStatus.EXPIRED: _l("Expired"),
}


def _registration(session: Session, registration_id: int) -> Registration:
    registration = db.session.get(Registration, registration_id)
    if registration is None or registration.session_id != session.id:
        abort(404)
    return registration


def _filter_form(
    academies: list[tuple[int | str, str]],
) -> tuple[RegistrantFilterForm, RegistrantFilters]:
    """The search and filters from the query string; invalid ones are said beside their
    field and narrow nothing. `academies`: academy_choices(), read once for the page."""
    form = RegistrantFilterForm(request.args)
    form.status.choices = [("", _("All statuses"))] + [
        (status.value, str(label)) for status, label in STATUS_LABELS.items()
    ]
    form.academy.choices = [(0, _("All academies")), *academies[1:-1]]
    if not form.validate():
        return form, RegistrantFilters()
    # Optional() lets a blank value (" ") through unchecked: it means "all", like "".
    chosen = (form.status.data or "").strip()
    status = RegistrationStatus(chosen) if chosen else None
    return form, RegistrantFilters(form.q.data or "", status, form.academy.data or None)


def _page(session: Session, status: int = 200, **forms):
    now = utcnow()
    academies = academy_choices(str(get_locale()))  # for both the person and the filter
    person = forms.get("person") or StaffPersonForm(formdata=None, prefix="add")
    person.academy_id.choices = academies
    capacity = forms.get("capacity") or CapacityForm(formdata=None, capacity=session.capacity)
    message = forms.get("message") or MessageForm(formdata=None)
    filter_form, filters = _filter_form(academies)
    page = registrants_page(session.id, filters, page_number(), PAGE_SIZE)
    return render_template(
        "registrants/index.html",
        session=session,
        page=page,
        filter_form=filter_form,
        filtering=filters != RegistrantFilters(),
        # only the filters travel to the other pages: any other parameter (session_id,
        # say) would collide with the pager's own arguments
        filter_args={
            name: request.args[name]
            for name in ("q", "status", "academy")
            if request.args.get(name)
        },
        positions=waiting_positions(session.id, [r.id for r in page.items]),
        waiting_count=status_counts(session.id).get(RegistrationStatus.WAITING, 0),
        attended=attendance_by_email(session.id),
        taken=seats_taken(session.id, now),
        reserve_warning=reserve_warning(session),
        person=person,
        capacity_form=capacity,
        message_form=message,
        now=now,
    ), status


def _done(session: Session, message: str):
    db.session.commit()
    flash(message, "success")
    return redirect(url_for("registrants.index", session_id=session.id))


@bp.get("/registrants")
@staff_required
def index(session_id: int):
    """The registrants, a page of 50 at a time (searched and filtered by status and
    academy), with their status and place on the waiting list, and the actions."""
    return _page(editable_session(session_id))


@bp.get("/registrants.csv")
@staff_required
def export(session_id: int):
    """All registrants as a CSV file, streamed as it is read (any number of them)."""
    session = editable_session(session_id)
    attended = attendance_by_email(session.id)
    engine = db.engine
    words = CsvWords(
        headings=[str(label) for label in CSV_COLUMNS],
        statuses={status: str(label) for status, label in STATUS_LABELS.items()},
        locale=str(get_locale()),
    )

    def chunks():
        # Sent after the request has ended: the rows are read through a database session
        # of the stream's own, closed when the stream ends or is dropped.
        with OrmSession(engine) as reading:
            yield from registrants_csv(reading, session_id, attended, words)

    filename = f"session-{session.id}-registrants.csv"
    response = csv_download(chunks(), filename)
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.post("/registrants/add")
@staff_required
def add(session_id: int):
    """Add a person by hand: a seat if one is free, else the waiting list."""
    session = editable_session(session_id)
    form = StaffPersonForm(prefix="add")
    form.academy_id.choices = academy_choices(str(get_locale()))
    if not form.validate_on_submit():
        return _page(session, 422, person=form)
    try:
        outcome = register(session.id, form.to_input(), utcnow(), added_by=current_user)
    except RegistrationClosedError:
        db.session.rollback()
        flash(_("This session takes no more registrations."), "danger")
        return _page(session, 409, person=form)
    except UnknownAcademyError:
        db.session.rollback()
        form.academy_id.errors.append(_("Choose one of the academies in the list."))
        return _page(session, 422, person=form)
    if outcome.repeat:
        return _done(session, _("This address is already registered; the link was sent again."))
    return _done(session, _("The person is added."))


@bp.post("/registrants/<int:registration_id>/remove")
@staff_required
def remove_one(session_id: int, registration_id: int):
    """Take a person off the session; the first on the waiting list moves up."""
    session = editable_session(session_id)
    registration = _registration(session, registration_id)
    remove(registration, current_user, utcnow())
    return _done(session, _("The registration is removed."))


@bp.post("/registrants/<int:registration_id>/promote")
@staff_required
def promote_one(session_id: int, registration_id: int):
    """Give a waiting person a seat now (adding a seat only when chosen)."""
    session = editable_session(session_id)
    registration = _registration(session, registration_id)
    try:
        promote(registration, current_user, add_seat=request.form.get("add_seat") == "1")
    except SeatRuleError as exc:
        db.session.rollback()
        flash(str(exc.message), "danger")
        return redirect(url_for("registrants.index", session_id=session.id))
    return _done(session, _("The person has a seat now."))


@bp.post("/registrants/capacity")
@staff_required
def capacity(session_id: int):
    """Raise or lower the seats; never below the seats taken unless chosen explicitly."""
    session = editable_session(session_id)
    form = CapacityForm()
    if form.validate_on_submit():
        try:
            moved = change_capacity(
                session, form.capacity.data, current_user, demote=form.demote.data
            )
        except SeatRuleError as exc:
            db.session.rollback()
            form.capacity.errors = [*form.capacity.errors, exc.message]
        except OperationalError:
            db.session.rollback()
            flash(_("The database is busy; please try again."), "warning")
        else:
            return _done(session, _("The capacity is saved (%(n)d people moved).", n=moved))
    return _page(db.session.get(Session, session_id), 422, capacity=form)


@bp.post("/registrants/message")
@staff_required
def message(session_id: int):
    """Write to everyone with a seat or on the waiting list."""
    session = editable_session(session_id)
    form = MessageForm()
    if not form.validate_on_submit():
        return _page(session, 422, message=form)
    count = message_everyone(session, form.subject.data, form.body.data, current_user)
    return _done(session, _("The message is on its way to %(n)d people.", n=count))
