"""The emails students get about their registration, in their own language.

`notify` puts an intent in the outbox inside the caller's transaction (cheap: nothing is
rendered while a session's seats are locked). The worker calls `prepare` right before
sending: it drops what no longer makes sense and renders the rest from
templates/emails/notice.{txt,html} in the registrant's language, from the data as it is
then. Invitations (METHOD:REQUEST / CANCEL) come from domain.invitations, the one
iCalendar builder.
"""

from __future__ import annotations

import hashlib
from datetime import datetime
from typing import Any

from flask import current_app, render_template
from flask_babel import force_locale

from webinars.domain.attendance.check_in_codes import check_in_qr_png
from webinars.domain.mail.outbox import Attachment, queue_message
from webinars.domain.registration.notice_texts import REMINDER_KINDS, notice_text
from webinars.domain.sessions.conferencing import join_link
from webinars.domain.sessions.places import home_name, session_places
from webinars.extensions import db
from webinars.models import (
    MailStatus,
    OutboxMessage,
    Registration,
    RegistrationStatus,
    Session,
    SessionStatus,
    utcnow,
)

CHECK_IN_KINDS = {"confirmed", "seat_for_you", "reminder_24h"}  # they carry the door's QR
INVITING_KINDS = {"confirmed", "seat_for_you", "session_moved", "session_updated", "join_link"}


def _invitation(registration: Registration, method: str) -> Attachment:
    from webinars.domain.calendars.invitations import (  # noqa: PLC0415 - the feeds' builder
        build_invitation,
        invitation_content_type,
        note_sent,
        organizer,
        person_sequence,
    )

    sequence = person_sequence(registration, method)  # type: ignore[arg-type]
    note_sent(registration, method, sequence)  # type: ignore[arg-type]
    organizer_email, organizer_name = organizer(current_app.config)
    data = build_invitation(
        registration.session,
        attendee_email=registration.email or "",
        attendee_name=registration.full_name,
        method=method,  # type: ignore[arg-type]
        join_url=join_link(registration.session) if method == "REQUEST" else None,
        locale=registration.locale,
        organizer_email=organizer_email,
        organizer_name=organizer_name,
        stamp=utcnow(),
        sequence=sequence,
    )
    filename = "invitation.ics" if method == "REQUEST" else "cancellation.ics"
    return Attachment(filename, invitation_content_type(method), data)  # type: ignore[arg-type]


def invitation_for(registration: Registration, kind: str, cancel: bool) -> Attachment | None:
    """The calendar attachment a notice carries, if any: only for confirmed seats, and
    never a REQUEST for a cancelled session (RFC 5546: a REQUEST cannot cancel)."""
    if cancel:
        return _invitation(registration, "CANCEL")
    if registration.session.status in (SessionStatus.CANCELLED, SessionStatus.DRAFT):
        return None
    if kind in INVITING_KINDS and registration.status is RegistrationStatus.CONFIRMED:
        return _invitation(registration, "REQUEST")
    return None


def notify(
    registration: Registration,
    kind: str,
    now: datetime,
    *,
    with_cancel_invitation: bool = False,
    dedupe_key: str | None = None,
    **params: Any,
) -> OutboxMessage | None:
    """Queue one email to a registrant; None when the personal data is already gone."""
    if registration.email is None or registration.token_nonce is None:
        return None
    if with_cancel_invitation:
        params["cancel_invitation"] = True
    return queue_message(
        kind=kind,
        to=registration.email,
        registration=registration,
        session_id=registration.session_id,
        params=params,
        dedupe_key=dedupe_key,
        now=now,
    )


def tell_promoted(promoted: list[Registration], now: datetime) -> None:
    """Tell everyone who just moved from the waiting list to a seat."""
    for registration in promoted:
        notify(registration, "seat_for_you", now)


def render(message: OutboxMessage) -> None:
    """Fill the message's subject, bodies and attachment from the data as it is now."""
    registration = message.registration
    if registration is None or registration.email is None:
        raise ValueError("the registration of this message is gone")
    session: Session = registration.session
    params = dict(message.params or {})
    cancel = bool(params.pop("cancel_invitation", False)) or (
        message.kind == "session_cancelled" and registration.status is RegistrationStatus.CONFIRMED
    )
    attachment = invitation_for(registration, message.kind, cancel)
    with force_locale(registration.locale):
        notice = notice_text(registration, message.kind, **params)
        context = dict(
            # A calendar's "Decline" answers the organiser's address, which nobody reads:
            # the email says how to give the seat up instead (README: Invitations).
            invitation_sent=attachment is not None and attachment.filename == "invitation.ics",
            notice=notice,
            registration=registration,
            session=session,
            places=session_places(
                session, current_app.config, None, registration.locale, registration.academy
            ),
            join_url=join_link(session)
            if notice.show_join and registration.status is RegistrationStatus.CONFIRMED
            else None,
            home_name=home_name(current_app.config, registration.locale),
            # The check-in code for the door, in the emails that confirm a seat.
            check_in_qr=check_in_qr_png(registration)
            if message.kind in CHECK_IN_KINDS
            and registration.status is RegistrationStatus.CONFIRMED
            and not session.is_cancelled
            else None,
        )
        message.subject = notice.subject[:300]
        message.text_body = render_template("emails/notice.txt", **context)
        message.html_body = render_template("emails/notice.html", **context)
    message.attachment_name = attachment.filename if attachment else None
    message.attachment_type = attachment.content_type if attachment else None
    message.attachment = attachment.data if attachment else None
    message.rendered_at = utcnow()


def prepare(message: OutboxMessage) -> str | None:
    """Right before sending: a reason to drop the message, or None after rendering it."""
    reason = still_wanted(message)
    if reason is None:
        render(message)
    return reason


def drop_reminders(registration: Registration) -> None:
    """Unsent reminders of a registration will not go out (it was cancelled)."""
    for message in _unsent_reminders(OutboxMessage.registration_id == registration.id):
        _drop(message, "registration cancelled")


def _unsent_reminders(whose: Any) -> list[OutboxMessage]:
    return list(
        db.session.execute(
            db.select(OutboxMessage).where(
                whose,
                OutboxMessage.status == MailStatus.PENDING,
                OutboxMessage.kind.in_(REMINDER_KINDS),
            )
        ).scalars()
    )


def _drop(message: OutboxMessage, reason: str) -> None:
    """Never sent; its dedupe key is freed, so a reminder with that key can be queued again."""
    message.status = MailStatus.DROPPED
    message.last_error = reason
    message.dedupe_key = None


def reminder_key(kind: str, registration: Registration, starts_at: datetime) -> str:
    """One reminder of each kind per registration and start time."""
    return f"{kind}:{registration.id}:{starts_at:%Y%m%dT%H%M%SZ}"


# Kinds that only make sense while the registration is still in that state.
WANTS_SEAT = {"confirmed", "seat_for_you"}
WANTS_WAITING = {"waiting_confirmed", "back_to_waiting"}


def still_wanted(message: OutboxMessage) -> str | None:
    """A reason to drop the message instead of sending it, or None to send it."""
    registration = message.registration
    if registration is None or registration.email is None:
        return "personal data deleted"
    if message.kind in WANTS_SEAT and not registration.has_seat:
        return "no seat any more"
    if message.kind in WANTS_WAITING and registration.status is not RegistrationStatus.WAITING:
        return "not on the waiting list any more"
    if message.kind in ("confirm_address", "nominated") and not registration.is_active:
        return "registration no longer active"
    if (message.params or {}).get("cancel_invitation") and registration.is_active:
        # The person registered again before this went out: their calendar keeps it.
        return "registered again"
    if message.kind in INVITING_KINDS and registration.session.is_cancelled:
        # Queued before the cancellation (an SMTP outage, mail switched on later): the
        # session's cancellation notice says it all, and no REQUEST may follow a CANCEL.
        return "session cancelled"
    if message.kind in INVITING_KINDS and registration.session.status is SessionStatus.DRAFT:
        return "session is a draft"  # it is in no feed and on no page: nothing to join
    if message.kind == "join_link":
        return _join_link_unwanted(message, registration)
    if message.kind not in REMINDER_KINDS:
        return None
    if registration.status is not RegistrationStatus.CONFIRMED:
        return "registration no longer confirmed"
    session = registration.session
    if session.is_cancelled:
        return "session cancelled"
    if message.dedupe_key != reminder_key(message.kind, registration, session.starts_at):
        return "session moved"
    if utcnow() >= session.starts_at:
        return "too late: the session has started"
    return None


def drop_stale_reminders(session: Session) -> None:
    """Unsent reminders planned for another start time, or for a cancelled session."""
    for message in _unsent_reminders(OutboxMessage.session_id == session.id):
        stamp = f":{session.starts_at:%Y%m%dT%H%M%SZ}"
        if session.is_cancelled or not (message.dedupe_key or "").endswith(stamp):
            _drop(message, "session cancelled" if session.is_cancelled else "session moved")


def join_link_key(registration: Registration, link: str) -> str:
    """One "join link" email per registration and link."""
    digest = hashlib.sha256(link.encode()).hexdigest()[:16]
    return f"join_link:{registration.id}:{digest}"


def _join_link_unwanted(message: OutboxMessage, registration: Registration) -> str | None:
    if registration.status is not RegistrationStatus.CONFIRMED:
        return "registration no longer confirmed"
    link = join_link(registration.session)
    if link is None:
        return "no join link any more"
    if message.dedupe_key != join_link_key(registration, link):
        return "the join link changed again (a later email carries it)"
    return None
