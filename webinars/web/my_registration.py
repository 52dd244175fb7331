"""A student's own registration, opened by the secret link from their emails.

Status, confirm, cancel, the invitation download and the personal calendar feed. Nothing
here needs an account; the link itself is the key, so every answer is private, never
cached, and says nothing about registrations the link does not open.
"""

from __future__ import annotations

from datetime import datetime

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy.orm import selectinload
from werkzeug.exceptions import HTTPException

from webinars.domain.attendance.check_in_codes import check_in_qr
from webinars.domain.calendars import tokens as feed_tokens
from webinars.domain.calendars.events import render_feed
from webinars.domain.calendars.invitations import (
    build_invitation,
    invitation_content_type,
    note_sent,
    organizer,
    person_sequence,
)
from webinars.domain.certificates.issue import (
    CertificateError,
    current_for_registration,
    request_correction,
)
from webinars.domain.registration import notices
from webinars.domain.registration.confirmation import confirm, late_closed_reason, ran_out
from webinars.domain.registration.manage_links import find_by_token, new_manage_link
from webinars.domain.registration.register import cancel, position
from webinars.domain.sessions.conferencing import join_link, join_links
from webinars.extensions import db, limiter
from webinars.i18n import places_for
from webinars.models import (
    FeedScope,
    Registration,
    RegistrationStatus,
    Session,
    utcnow,
)
from webinars.web import path_secrets
from webinars.web.downloads import as_download
from webinars.web.feed_http import bytes_response
from webinars.web.link_limits import per_link, setting
from webinars.web.registration_forms import CLOSED_MESSAGES

bp = Blueprint("my_registration", __name__)

# Manage links carry their secret in the path: logs keep only its first six characters.
_MANAGE_TOKEN = path_secrets.secret_after("r")


def mask_manage_tokens(text: str) -> str:
    """Replace every manage-link token in `text` by its first six characters and "…" (in
    any spelling of its path that reaches the page: see webinars.web.path_secrets)."""
    return path_secrets.mask_secrets(text, _MANAGE_TOKEN)


class ManageLinkFilter(path_secrets.SecretPathFilter):
    """Masks manage-link tokens in log records (access logs print every path)."""

    def mask(self, text: str) -> str:
        """`text` with its manage-link tokens masked."""
        return mask_manage_tokens(text)


@bp.record_once
def _mask_logs(state) -> None:
    path_secrets.install(state.app, ManageLinkFilter())


@bp.errorhandler(404)
@bp.errorhandler(410)
@bp.errorhandler(429)
def _explained(error: HTTPException):
    """Say in words what went wrong (unknown session, withdrawn link, too many tries)."""
    return render_template("catalog/unavailable.html", error=error), error.code


GONE = 410


@bp.after_request
def _private(response: Response) -> Response:
    response.headers["Cache-Control"] = response.headers.get("Cache-Control") or "no-store"
    response.headers["X-Robots-Tag"] = "noindex, nofollow"
    return response


def _opened(token: str) -> Registration:
    registration = find_by_token(token)
    if registration is None:
        abort(
            404,
            description=_(
                "This link does not open any registration: it may be mistyped or "
                "replaced by a newer one. Register again with the same email to get "
                "a fresh link."
            ),
        )
    return registration


def _opened_with_personal_data(token: str) -> Registration:
    """_opened, for actions that need the email (gone after the retention period)."""
    registration = _opened(token)
    if registration.email is None:
        abort(404, description=_("This registration's personal data has been deleted."))
    return registration


@bp.get("/r/<token>")
@limiter.limit(setting("LINK_RATE_LIMIT"), key_func=per_link)
def manage(token: str):
    """Status, and what the student can do with their place."""
    registration = _opened(token)
    feeds = feed_tokens.personal_tokens(registration.email) if registration.email else []
    return _manage_page(registration, token, len(feeds))


def _manage_page(
    registration: Registration,
    token: str,
    feed_count: int,
    new_feed_url: str | None = None,
    correction: tuple[str, str] | None = None,
) -> str:
    """The manage page; `correction` is a refused correction request (the text typed,
    the message), shown again in its form."""
    session = registration.session
    seated = registration.status is RegistrationStatus.CONFIRMED
    now = utcnow()
    return render_template(
        "catalog/manage.html",
        registration=registration,
        session=session,
        token=token,
        position=position(registration),
        join_url=join_link(session) if seated else None,
        certificate=current_for_registration(registration.id),
        check_in_qr=check_in_qr(registration)
        if registration.has_seat and not session.is_cancelled and not session.is_finished(now)
        else None,
        places=places_for(session, registration.academy),
        feed_count=feed_count,
        new_feed_url=new_feed_url,
        correction_typed=correction[0] if correction else None,
        correction_error=correction[1] if correction else None,
        now=now,
        **_late_state(registration, now),
    )


def _late_state(registration: Registration, now: datetime) -> dict[str, object]:
    """For the pages: has the hold run out, and if so, why a late click can give no place
    (None when it still can). Reads only: the GET pages change nothing."""
    late = ran_out(registration, now)
    reason = late_closed_reason(registration.session, now) if late else None
    return {"late": late, "late_closed": CLOSED_MESSAGES[reason] if reason else None}


@bp.route("/r/<token>/confirm", methods=["GET", "POST"])
@limiter.limit(setting("CONFIRM_RATE_LIMIT"), key_func=per_link)
def confirm_address(token: str):
    """GET asks (mail scanners follow links); POST confirms the address and the place.

    A click after the hold ran out still counts: a free seat if nobody waits for it, else
    the end of the waiting list, or a message when the session takes no registrations.
    """
    registration = _opened(token)
    if registration.confirmed_at is not None:
        return redirect(url_for("my_registration.manage", token=token))
    now = utcnow()
    if request.method == "POST":
        late = ran_out(registration, now)
        confirm(registration, now)
        db.session.commit()
        _say_what_confirm_did(registration, late, now)
        return redirect(url_for("my_registration.manage", token=token))
    return render_template(
        "catalog/confirm.html",
        registration=registration,
        token=token,
        **_late_state(registration, now),
    )


def _say_what_confirm_did(registration: Registration, late: bool, now: datetime) -> None:
    """Flash what the confirmation gave: a seat, a place on the list, or nothing, and why."""
    status = registration.status
    if status is RegistrationStatus.CANCELLED:
        flash(_("This registration is cancelled."), "warning")
    elif status is RegistrationStatus.EXPIRED:
        message = _("Sorry, this hold ran out before it was confirmed.")
        reason = late_closed_reason(registration.session, now)
        if reason is not None:
            message = f"{message} {CLOSED_MESSAGES[reason]}"
        flash(message, "warning")
    elif not late:
        flash(_("Thank you: your email address is confirmed."), "success")
    elif status is RegistrationStatus.CONFIRMED:
        flash(
            _(
                "Your hold had run out, but a seat was still free: it is yours now, and "
                "your email address is confirmed."
            ),
            "success",
        )
    else:
        flash(
            _(
                "Your hold had run out and no seat is free for you now, so you joined the "
                "end of the waiting list: you are number %(n)d. Your email address is "
                "confirmed; if a seat frees up, it is yours automatically.",
                n=position(registration) or 0,
            ),
            "info",
        )


@bp.route("/r/<token>/cancel", methods=["GET", "POST"])
def cancel_registration(token: str):
    """Give up the seat or the waiting-list place; the next person moves up.

    Asked first (GET, or a POST without the confirmation): there is no way back, and a
    link preview or a stray tap must not give a seat away.
    """
    registration = _opened(token)
    if not registration.is_active or registration.session.is_cancelled:
        return redirect(url_for("my_registration.manage", token=token))
    if request.method == "POST" and request.form.get("confirm") == "yes":
        cancel(registration, utcnow())
        db.session.commit()
        flash(_("Your registration is cancelled."), "success")
        return redirect(url_for("my_registration.manage", token=token))
    return render_template(
        "catalog/cancel.html",
        registration=registration,
        session=registration.session,
        token=token,
        places=places_for(registration.session, registration.academy),
    )


@bp.post("/r/<token>/new-link")
@limiter.limit(setting("NEW_LINK_RATE_LIMIT"), key_func=per_link)
def replace_link(token: str):
    """Switch this link off and email a new one (for a link that was passed on)."""
    registration = _opened_with_personal_data(token)
    new_manage_link(registration)
    notices.notify(registration, "link_again", utcnow())
    db.session.commit()
    return render_template("catalog/new_link.html", session=registration.session)


@bp.get("/r/<token>/certificate.pdf")
@limiter.limit("60 per minute")
def certificate(token: str):
    """The student's own certificate of attendance (only theirs: the link is the key)."""
    registration = _opened(token)
    found = current_for_registration(registration.id)
    if found is None or found.pdf is None:
        abort(404, description=_("There is no certificate for this registration yet."))
    return as_download(found.pdf, "application/pdf", f"certificate-{found.number}.pdf")


@bp.post("/r/<token>/certificate/correction")
@limiter.limit("10 per hour")
def certificate_correction(token: str):
    """Ask the lecturers to correct the certificate (e.g. a misspelt name)."""
    registration = _opened_with_personal_data(token)
    found = current_for_registration(registration.id)
    if found is None:
        abort(404, description=_("There is no certificate for this registration yet."))
    typed = request.form.get("correction", "")
    try:
        request_correction(found, typed, utcnow())
    except CertificateError as exc:
        db.session.rollback()  # the page again, with what was typed and what to fix
        feeds = feed_tokens.personal_tokens(registration.email) if registration.email else []
        page = _manage_page(registration, token, len(feeds), correction=(typed, str(exc.message)))
        return page, 400
    else:
        db.session.commit()
        flash(_("Thank you: the lecturers will correct and reissue the certificate."), "success")
    return redirect(url_for("my_registration.manage", token=token))


@bp.get("/r/<token>/invitation.ics")
def invitation(token: str):
    """The calendar invitation of a confirmed seat (CANCEL once the session is cancelled)."""
    registration = _opened(token)
    if registration.status is not RegistrationStatus.CONFIRMED:
        abort(404, description=_("Only a confirmed seat has a calendar invitation."))
    session = registration.session
    method = "CANCEL" if session.is_cancelled else "REQUEST"
    sequence = person_sequence(registration, method)
    organizer_address, organizer_name = organizer(current_app.config)
    body = build_invitation(
        session,
        attendee_email=registration.email or "",
        attendee_name=registration.full_name,
        method=method,
        join_url=join_link(session),
        locale=registration.locale,
        organizer_email=organizer_address,
        organizer_name=organizer_name,
        sequence=sequence,
    )
    note_sent(registration, method, sequence)
    db.session.commit()
    return as_download(body, invitation_content_type(method), f"session-{session.id}.ics")


@bp.post("/r/<token>/feed")
@limiter.limit(setting("PERSONAL_FEED_RATE_LIMIT"), key_func=per_link)
def new_feed(token: str):
    """Make a personal calendar feed address (switching off earlier ones) and show it once."""
    registration = _opened_with_personal_data(token)
    plaintext = feed_tokens.new_personal_token(registration.email, utcnow())
    db.session.commit()
    url = f"{current_app.config['BASE_URL']}/calendars/personal/{plaintext}.ics"
    return _manage_page(registration, token, 1, url)


@bp.route("/calendars/personal/<token>.ics", methods=["GET", "HEAD"])
def personal_feed(token: str):
    """One student's confirmed sessions with their join links, as a calendar feed."""
    row = feed_tokens.find_token(token)
    if row is None or row.scope is not FeedScope.PERSONAL or not row.subject:
        abort(404, description=_("This calendar feed address does not exist."))
    if row.is_revoked:
        abort(GONE, description=_("This calendar feed address was replaced by a newer one."))
    registrations = db.session.execute(
        db.select(Registration)
        .where(
            Registration.email == row.subject,
            Registration.status == RegistrationStatus.CONFIRMED,
        )
        .options(
            selectinload(Registration.session).selectinload(Session.lecturers),
            selectinload(Registration.session).selectinload(Session.academies),
            selectinload(Registration.session).selectinload(Session.guest_speakers),
        )
    ).scalars()
    sessions: list[Session] = []
    changed: list[datetime] = [row.created_at]
    for registration in registrations:
        sessions.append(registration.session)
        changed += [registration.session.updated_at, registration.confirmed_at or row.created_at]
    locale = next((r.locale for r in _latest(row.subject)), "en")
    body = render_feed(
        sessions,
        name=_personal_feed_name(locale),
        private=True,
        locale=locale,
        join_links=join_links(sessions),
    )
    if feed_tokens.note_use(row):
        db.session.commit()
    identity = feed_tokens.personal_feed_identity(row.id)
    return bytes_response(body, max(changed), identity=identity, private=True)


def _latest(email: str) -> list[Registration]:
    return list(
        db.session.execute(
            db.select(Registration)
            .where(Registration.email == email)
            .order_by(Registration.created_at.desc())
            .limit(1)
        ).scalars()
    )


def _personal_feed_name(locale: str) -> str:
    with force_locale(locale):
        return _("My sessions")
