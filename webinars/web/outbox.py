"""Admins: the mail outbox. In development (no MAIL_SERVER) this is where mail is read."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, render_template, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import selectinload

from webinars.domain.mail import compose
from webinars.extensions import db
from webinars.models import MailStatus, OutboxMessage, Registration
from webinars.web.bounds import page_number
from webinars.web.downloads import as_download
from webinars.web.drop_reasons import drop_reason
from webinars.web.roles import admin_required

bp = Blueprint("outbox", __name__, url_prefix="/admin/outbox")

# A message's delivery state, in words (the filter buttons, the list and one message).
STATUS_LABELS = {
    MailStatus.PENDING: _l("Pending"),
    MailStatus.SENDING: _l("Sending"),
    MailStatus.SENT: _l("Sent"),
    MailStatus.FAILED: _l("Failed"),
    MailStatus.DROPPED: _l("Dropped"),
}


@bp.get("/")
@admin_required
def index():
    """The latest messages, newest first, with their delivery state."""
    page = page_number()
    status = request.args.get("status", "")
    query = (
        db.select(OutboxMessage)
        .options(selectinload(OutboxMessage.registration).selectinload(Registration.session))
        .order_by(OutboxMessage.id.desc())
    )
    if status in {s.value for s in MailStatus}:
        query = query.where(OutboxMessage.status == status)
    pagination = db.paginate(query, page=page, per_page=50, error_out=False)
    _preview_subjects(pagination.items)
    return render_template(
        "outbox/index.html",
        pagination=pagination,
        status=status,
        status_labels=STATUS_LABELS,
        drop_reason=drop_reason,
        sending=bool(current_app.config.get("MAIL_SERVER")),
    )


@bp.get("/<int:message_id>")
@admin_required
def message(message_id: int):
    """One message as its recipient would read it (plain text), and its attachment."""
    return render_template(
        "outbox/message.html",
        message=_rendered(message_id),
        status_labels=STATUS_LABELS,
        drop_reason=drop_reason,
    )


def _preview_subjects(messages: list[OutboxMessage]) -> None:
    """Mail still waiting has no subject yet (it is rendered when sent, from the data as
    it is then): work out the waiting ones' subjects for a look, not saved, so the list
    shows each message's real subject in its own language instead of an internal key.
    Only the subject: rendering 50 bodies, invitations and QR codes made the page slow."""
    with db.session.no_autoflush:
        for message in messages:
            if message.subject is None and message.status is MailStatus.PENDING:
                if compose.still_wanted(message) is None:
                    message.subject = compose.subject_of(message)
                db.session.expunge(message)  # a preview is never saved


def _rendered(message_id: int) -> OutboxMessage:
    """The message with its content: as sent, or rendered now for a look (not saved)."""
    message = db.get_or_404(OutboxMessage, message_id)
    if message.rendered_at is None and message.status is MailStatus.PENDING:
        with db.session.no_autoflush:
            reason = compose.still_wanted(message)
            if reason is None:
                compose.render(message)
            else:
                message.text_body = _(
                    "(It will not be sent: %(reason)s.)", reason=drop_reason(reason)
                )
        db.session.expunge(message)  # a preview is never saved
    return message


@bp.get("/<int:message_id>/attachment")
@admin_required
def attachment(message_id: int):
    """The message's attachment, e.g. the calendar invitation."""
    message = _rendered(message_id)
    if message.attachment is None:
        abort(404)
    return as_download(
        message.attachment, message.attachment_type, message.attachment_name or "attachment"
    )
