"""Lecture requests: coordinators ask, staff answer; both read the history."""

from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user

from webinars.domain.partners.request_queue import (
    can_see_request,
    is_overdue,
    queue_order,
    visible_requests,
    window_places,
)
from webinars.domain.partners.requests import (
    RequestInput,
    RequestRulesError,
    RequestStateError,
    accept_proposal,
    accept_request,
    answer_proposal,
    decline_request,
    latest_proposal,
    propose_time,
    submit_request,
    withdraw_request,
)
from webinars.extensions import db
from webinars.i18n import viewer_zone
from webinars.models import LectureRequest, LectureRequestStatus, SessionKind, utcnow
from webinars.web.choices import lecturer_choices, zone_choices
from webinars.web.partners.blueprint import bp
from webinars.web.partners.request_forms import (
    AcceptForm,
    AgreeForm,
    AnswerForm,
    DeclineForm,
    LectureRequestForm,
    ProposeForm,
    WithdrawForm,
)
from webinars.web.roles import coordinator_required, scheduler_required, staff_required


def _attach(form, errors: dict) -> None:
    for name, message in errors.items():
        field = getattr(form, name, None)
        if field is None:
            flash(str(message), "danger")
        else:
            field.errors = [*field.errors, message]


def _load(request_id: int) -> LectureRequest:
    found = db.session.get(LectureRequest, request_id)
    if found is None or not can_see_request(current_user, found):
        abort(404)
    return found


@bp.get("/partners/requests")
@staff_required
def requests():
    """Staff: the queue (their turn first, overdue marked); coordinators: their academy's."""
    rows = db.session.execute(visible_requests(current_user).order_by(*queue_order())).scalars()
    return render_template(
        "partners/requests.html", requests=list(rows), is_overdue=is_overdue, now=utcnow()
    )


def _request_form() -> LectureRequestForm:
    form = LectureRequestForm()
    form.preferred_lecturer_id.choices = [(0, _("Anyone")), *lecturer_choices()]
    form.time_zone.choices = zone_choices()
    if not form.is_submitted():
        form.time_zone.data = current_user.time_zone
        form.language.data = current_user.academy.language if current_user.academy else "en"
    return form


@bp.route("/partners/requests/new", methods=["GET", "POST"])
@coordinator_required
def request_new():
    """A coordinator asks for a session for their academy's students."""
    form = _request_form()
    if form.validate_on_submit():
        data = RequestInput(
            topic=form.topic.data,
            kind=SessionKind(form.kind.data),
            language=form.language.data,
            time_zone=form.time_zone.data,
            duration_minutes=form.duration_minutes.data,
            windows_local=[form.window_1.data, form.window_2.data, form.window_3.data],
            programme=form.programme.data,
            year_of_study=form.year_of_study.data,
            expected_students=form.expected_students.data,
            preferred_lecturer_id=form.preferred_lecturer_id.data or None,
            notes=form.notes.data or "",
        )
        try:
            created = submit_request(current_user, data)
        except RequestRulesError as exc:
            _attach(form, exc.errors)
        else:
            db.session.commit()
            flash(_("Your request is sent. You will get an email at each answer."), "success")
            return redirect(url_for("partners.request_page", request_id=created.id))
    return render_template("partners/request_form.html", form=form), 422 if form.errors else 200


def _page(found: LectureRequest, status: int = 200, **forms):
    accept = forms.get("accept") or AcceptForm()
    accept.window_id.choices = [(w.id, "") for w in found.windows]
    propose = forms.get("propose") or ProposeForm()
    propose.time_zone.choices = zone_choices()
    if not propose.is_submitted():
        propose.time_zone.data = current_user.time_zone
        propose.duration_minutes.data = found.duration_minutes
    zone, locale = viewer_zone(), str(get_locale())
    places = {
        w.id: window_places(found, w.starts_at, current_app.config, zone, locale)
        for w in found.windows
    }
    page = render_template(
        "partners/request.html",
        req=found,
        places=places,
        proposal=latest_proposal(found),
        overdue=is_overdue(found),
        accept=accept,
        propose=propose,
        decline=forms.get("decline") or DeclineForm(),
        answer=forms.get("answer") or AnswerForm(),
        agree=AgreeForm(),
        withdraw=forms.get("withdraw") or WithdrawForm(),
        Status=LectureRequestStatus,
    )
    return page, status


@bp.get("/partners/requests/<int:request_id>")
@staff_required
def request_page(request_id: int):
    """One request: the times in every city, its history, and the next steps."""
    return _page(_load(request_id))


def _done(found: LectureRequest, message: str):
    db.session.commit()
    flash(message, "success")
    return redirect(url_for("partners.request_page", request_id=found.id))


def _stale(found: LectureRequest):
    db.session.rollback()
    flash(_("Someone else answered this request first; here is where it stands now."), "warning")
    return redirect(url_for("partners.request_page", request_id=found.id))


@bp.post("/partners/requests/<int:request_id>/accept")
@scheduler_required
def request_accept(request_id: int):
    """Staff accept one of the times: a draft session is made for it."""
    found = _load(request_id)
    form = AcceptForm()
    form.window_id.choices = [(w.id, "") for w in found.windows]
    if form.validate_on_submit():
        try:
            session = accept_request(found, form.window_id.data, current_user)
        except RequestStateError:
            return _stale(found)
        db.session.commit()
        flash(_("A draft session is made from the request: complete it and publish it."), "success")
        return redirect(url_for("manage.edit", session_id=session.id))
    return _page(found, 422, accept=form)


@bp.post("/partners/requests/<int:request_id>/propose")
@scheduler_required
def request_propose(request_id: int):
    """Staff propose another time; the coordinator is asked."""
    found = _load(request_id)
    form = ProposeForm()
    form.time_zone.choices = zone_choices()
    if form.validate_on_submit():
        try:
            propose_time(
                found,
                form.starts_local.data,
                form.time_zone.data,
                form.duration_minutes.data,
                form.note.data or "",
                current_user,
            )
        except RequestStateError:
            return _stale(found)
        except RequestRulesError as exc:
            _attach(form, exc.errors)
        else:
            return _done(found, _("Your proposal is sent to the academy."))
    return _page(found, 422, propose=form)


@bp.post("/partners/requests/<int:request_id>/decline")
@scheduler_required
def request_decline(request_id: int):
    """Staff decline with a reason."""
    found = _load(request_id)
    form = DeclineForm()
    if form.validate_on_submit():
        try:
            decline_request(found, form.reason.data, current_user)
        except RequestStateError:
            return _stale(found)
        return _done(found, _("The request is declined; the academy is told why."))
    return _page(found, 422, decline=form)


@bp.post("/partners/requests/<int:request_id>/agree")
@coordinator_required
def request_agree(request_id: int):
    """The coordinator accepts the proposed time."""
    found = _load(request_id)
    if AgreeForm().validate_on_submit():
        try:
            accept_proposal(found, current_user)
        except RequestStateError:
            return _stale(found)
        return _done(
            found, _("You accepted the proposed time. The lecturer will publish the session.")
        )
    return redirect(url_for("partners.request_page", request_id=found.id))


@bp.post("/partners/requests/<int:request_id>/answer")
@coordinator_required
def request_answer(request_id: int):
    """The coordinator answers a proposal, maybe with another time."""
    found = _load(request_id)
    form = AnswerForm()
    if form.validate_on_submit():
        try:
            answer_proposal(found, current_user, form.note.data, form.starts_local.data)
        except RequestStateError:
            return _stale(found)
        except RequestRulesError as exc:
            _attach(form, exc.errors)
        else:
            return _done(found, _("Your answer is sent."))
    return _page(found, 422, answer=form)


@bp.post("/partners/requests/<int:request_id>/withdraw")
@coordinator_required
def request_withdraw(request_id: int):
    """The coordinator takes the request back while it is not yet accepted."""
    found = _load(request_id)
    form = WithdrawForm()
    if form.validate_on_submit():
        try:
            withdraw_request(found, current_user, form.note.data or "")
        except RequestStateError:
            return _stale(found)
        return _done(found, _("Your request is withdrawn; the department is told."))
    return _page(found, 422, withdraw=form)
