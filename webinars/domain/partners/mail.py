"""The emails of the partner side (coordinators and the staff they work with), rendered
by the worker right before sending, in the recipient's language, from the data as it is
then (like the students' notices in domain.registration.notices).

Each kind has a composer that reads its rows from the message's params and returns a
PartnerNotice, or a reason to drop the message when it no longer makes sense.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from flask import current_app, render_template
from flask_babel import force_locale
from flask_babel import gettext as _

from webinars.domain.calendars.invitations import build_invitation, invitation_content_type
from webinars.domain.mail.outbox import Attachment
from webinars.domain.partners import notices as academy_notices
from webinars.domain.partners.invitations import INVITATION_MAIL, invitation_url
from webinars.domain.sessions.conferencing import join_link
from webinars.domain.sessions.places import home_name
from webinars.extensions import db
from webinars.models import (
    CoordinatorInvitation,
    LectureRequest,
    LectureRequestEvent,
    OutboxMessage,
    Session,
    User,
    utcnow,
)


@dataclass
class PartnerNotice:
    """What one email says, before it is rendered."""

    locale: str
    name: str | None
    subject: str
    lead: list[str]
    action_label: str | None = None
    action_url: str | None = None
    # (label, moment in UTC, zone to show it in)
    times: list[tuple[str, datetime, str]] = field(default_factory=list)
    attachment: Attachment | None = None


# A composer gets the message and returns its notice, or a reason (str) to drop it.
Composer = Callable[[OutboxMessage], "PartnerNotice | str"]
COMPOSERS: dict[str, Composer] = {}


def composer(kind: str) -> Callable[[Composer], Composer]:
    """Register the composer of one kind of email."""

    def register(function: Composer) -> Composer:
        COMPOSERS[kind] = function
        return function

    return register


def handles(kind: str) -> bool:
    """True for the kinds of email this module renders."""
    return kind in COMPOSERS


def _in_locale(locale: str, compose: Callable[[], PartnerNotice | str]) -> PartnerNotice | str:
    with force_locale(locale):
        return compose()


@composer(INVITATION_MAIL)
def _invitation(message: OutboxMessage) -> PartnerNotice | str:
    invitation = db.session.get(CoordinatorInvitation, message.params.get("invitation_id"))
    if invitation is None:
        return "invitation gone"
    if invitation.state() != "open":
        return f"invitation {invitation.state()}"

    def compose() -> PartnerNotice:
        academy = invitation.academy.name_in(invitation.locale)
        inviter = invitation.invited_by.name if invitation.invited_by else None
        lead = [
            _(
                "%(inviter)s invites you to coordinate the cooperation of %(academy)s with "
                "%(home)s.",
                inviter=inviter,
                academy=academy,
                home=home_name(current_app.config, invitation.locale),
            )
            if inviter
            else _(
                "You are invited to coordinate the cooperation of %(academy)s with %(home)s.",
                academy=academy,
                home=home_name(current_app.config, invitation.locale),
            ),
            _(
                "Choose your password with the link below. The link works once, and only "
                "until the time shown."
            ),
        ]
        return PartnerNotice(
            invitation.locale,
            invitation.name,
            _("Your coordinator account: %(academy)s", academy=academy),
            lead,
            _("Choose my password"),
            invitation_url(invitation),
            times=[(_("Valid until:"), invitation.expires_at, invitation.time_zone)],
        )

    return _in_locale(invitation.locale, compose)


def _request_parts(
    message: OutboxMessage,
) -> tuple[LectureRequest, LectureRequestEvent, User] | str:
    params = message.params or {}
    request = db.session.get(LectureRequest, params.get("request_id"))
    event = db.session.get(LectureRequestEvent, params.get("event_id"))
    user = db.session.get(User, params.get("user_id"))
    if request is None or event is None:
        return "request gone"
    if user is None or not user.is_active:
        return "recipient has no active account"
    return request, event, user


def request_url(request: LectureRequest) -> str:
    """The absolute address of a request's page, for emails."""
    return f"{current_app.config['BASE_URL']}/partners/requests/{request.id}"


def _request_notice(message: OutboxMessage) -> PartnerNotice | str:
    """Every step of a lecture request, told to the other side."""
    parts = _request_parts(message)
    if isinstance(parts, str):
        return parts
    request, event, user = parts
    locale = user.locale or "en"

    def compose() -> PartnerNotice:
        actor = event.user.name if event.user else home_name(current_app.config, locale)
        academy = request.academy.name_in(locale)
        topic = request.topic
        zone = user.time_zone
        times: list[tuple[str, datetime, str]] = []
        lead: list[str]
        action = _("Open the request")
        if message.kind == "lecture_request_new":
            subject = _(
                "New lecture request from %(academy)s: %(topic)s", academy=academy, topic=topic
            )
            lead = [
                _(
                    "%(name)s asks for a session for the students of %(academy)s.",
                    name=actor,
                    academy=academy,
                )
            ]
            times = [(_("Suggested time:"), w.starts_at, zone) for w in request.windows]
        elif message.kind == "lecture_request_accepted":
            subject = _("Lecture request accepted: %(topic)s", topic=topic)
            lead = [
                _(
                    "%(name)s accepted your request. The session is being prepared for the "
                    "time below; you will hear when it is published.",
                    name=actor,
                )
            ]
        elif message.kind == "lecture_request_proposed":
            subject = _("Another time proposed: %(topic)s", topic=topic)
            lead = [_("%(name)s proposes another time for your request.", name=actor)]
            action = _("Answer the proposal")
        elif message.kind == "lecture_request_declined":
            subject = _("Lecture request declined: %(topic)s", topic=topic)
            lead = [_("%(name)s declined your request, for this reason:", name=actor)]
        elif message.kind == "lecture_request_answered":
            subject = _("Answer to your proposal: %(topic)s", topic=topic)
            lead = [_("%(name)s answered your proposal:", name=actor)]
            if event.window:
                times = [(_("Suggested time:"), event.window.starts_at, zone)]
        elif message.kind == "lecture_request_withdrawn":
            subject = _("Lecture request withdrawn: %(topic)s", topic=topic)
            lead = [
                _(
                    "%(name)s of %(academy)s withdrew the request; nothing more is asked of you.",
                    name=actor,
                    academy=academy,
                )
            ]
        else:  # lecture_request_agreed
            subject = _("Proposed time accepted: %(topic)s", topic=topic)
            lead = [
                _(
                    "%(name)s accepted the time you proposed. A draft session was made for "
                    "it: complete and publish it.",
                    name=actor,
                )
            ]
        if event.note:
            lead.append(event.note)
        if event.window and not times:
            times = [(_("Time:"), event.window.starts_at, zone)]
        return PartnerNotice(locale, user.name, subject, lead, action, request_url(request), times)

    return _in_locale(locale, compose)


for _kind in (
    "lecture_request_new",
    "lecture_request_accepted",
    "lecture_request_proposed",
    "lecture_request_declined",
    "lecture_request_answered",
    "lecture_request_agreed",
    "lecture_request_withdrawn",
):
    COMPOSERS[_kind] = _request_notice


def _session_news(message: OutboxMessage) -> PartnerNotice | str:
    """A session of the coordinator's academy scheduled, moved, with a new link, cancelled."""
    params = message.params or {}
    user = db.session.get(User, params.get("user_id"))
    session = db.session.get(Session, message.session_id) if message.session_id else None
    if session is None:
        return "session gone"
    if user is None or not user.is_active or not user.academy_session_emails:
        return "coordinator inactive or opted out"
    cancel = message.kind == academy_notices.CANCELLED
    removed = cancel and bool(params.get("academy_removed"))
    if session.is_cancelled and not cancel:
        return "session cancelled since (the cancellation says so)"
    locale = user.locale or "en"

    def compose() -> PartnerNotice:
        title = session.title
        link = None if cancel else join_link(session)
        if message.kind == academy_notices.SCHEDULED:
            subject = _("Scheduled: %(title)s", title=title)
            lead = [
                _("A session with your academy is scheduled. The calendar invitation is attached.")
            ]
        elif message.kind == academy_notices.MOVED:
            subject = _("New time: %(title)s", title=title)
            lead = [_("The session has moved. The new time is below; your calendar is updated.")]
        elif message.kind == academy_notices.NEW_LINK:
            subject = _("Join link: %(title)s", title=title)
            lead = [
                _(
                    "The link to join the session has changed. The invitation attached "
                    "carries the new link."
                )
            ]
        elif removed:
            subject = _("Your academy is no longer taking part: %(title)s", title=title)
            lead = [
                _(
                    "Your academy has been taken off this session. The attached cancellation "
                    "removes it from your calendar."
                )
            ]
        else:
            subject = _("Cancelled: %(title)s", title=title)
            lead = [_("We are sorry: the session is cancelled.")]
            if session.cancel_reason:
                lead.append(session.cancel_reason)
        if link:
            lead.append(_("Join: %(url)s", url=link))
        method = "CANCEL" if cancel else "REQUEST"
        data = build_invitation(
            session,
            attendee_email=user.email,
            attendee_name=user.name,
            method=method,
            join_url=link,
            locale=locale,
            organizer_email=current_app.config["MAIL_DEFAULT_SENDER"],
            stamp=utcnow(),
            sequence=int(params.get("sequence", session.sequence)),
        )
        filename = "cancellation.ics" if cancel else "invitation.ics"
        return PartnerNotice(
            locale,
            user.name,
            subject,
            lead,
            None if removed else _("Open the session"),
            None if removed else f"{current_app.config['BASE_URL']}/manage/sessions/{session.id}",
            times=[(_("When:"), session.starts_at, user.time_zone)],
            attachment=Attachment(filename, invitation_content_type(method), data),
        )

    return _in_locale(locale, compose)


for _kind in academy_notices.KINDS:
    COMPOSERS[_kind] = _session_news


def still_wanted(message: OutboxMessage) -> str | None:
    """A reason not to send the message, or None."""
    result = COMPOSERS[message.kind](message)
    return result if isinstance(result, str) else None


def render(message: OutboxMessage) -> str | None:
    """Fill the message's subject, bodies and attachment; or return why it is dropped."""
    notice = COMPOSERS[message.kind](message)
    if isinstance(notice, str):
        return notice
    with force_locale(notice.locale):
        context = dict(notice=notice, home_name=home_name(current_app.config, notice.locale))
        message.subject = notice.subject[:300]
        message.text_body = render_template("emails/partner.txt", **context)
        message.html_body = render_template("emails/partner.html", **context)
    attachment = notice.attachment
    message.attachment_name = attachment.filename if attachment else None
    message.attachment_type = attachment.content_type if attachment else None
    message.attachment = attachment.data if attachment else None
    message.rendered_at = utcnow()
    return None
