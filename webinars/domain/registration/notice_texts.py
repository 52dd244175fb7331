"""What each email to a registrant says: its subject, lead paragraphs and main button.

Called by notices.render inside the registrant's locale, from the data as it is then.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from flask_babel import gettext as _

from webinars.domain.registration.manage_links import manage_url
from webinars.domain.registration.waiting_list import waiting_position
from webinars.models import Registration, RegistrationStatus

REMINDER_KINDS = ("reminder_24h", "reminder_1h")


@dataclass
class Notice:
    """What one email says, before it is rendered."""

    subject: str
    lead: list[str]
    action_label: str | None = None
    action_url: str | None = None
    show_join: bool = False
    extra: dict[str, Any] = field(default_factory=dict)


def _urls(registration: Registration) -> tuple[str, str]:
    url = manage_url(registration)
    return url, f"{url}/confirm"


def notice_text(registration: Registration, kind: str, **extra: Any) -> Notice:
    """Subject, lead paragraphs and the main button of each kind of email (in locale)."""
    session = registration.session
    title = session.title
    manage, confirm = _urls(registration)
    position = waiting_position(registration)
    if kind == "confirm_address":
        if registration.status is RegistrationStatus.WAITING:
            lead = [
                _("The session is full, so you are on the waiting list (place %(n)d).", n=position),
                _("Please confirm your email address to keep your place on the list."),
            ]
        else:
            lead = [_("A seat is held for you. Please confirm your email address to keep it.")]
        if registration.hold_expires_at:
            lead.append(_("Unconfirmed places are released after the time shown below."))
        return Notice(
            _("Confirm your registration: %(title)s", title=title),
            lead,
            _("Confirm my email address"),
            confirm,
            extra={"expires": registration.hold_expires_at},
        )
    if kind == "nominated":
        academy = registration.academy.name_in(registration.locale) if registration.academy else ""
        lead = [
            _(
                "%(academy)s has nominated you for a seat reserved for its students.",
                academy=academy,
            ),
            _("Please confirm your email address to take the seat."),
        ]
        if registration.status is RegistrationStatus.WAITING:
            lead[1] = _("Please confirm your email address to keep your place on the list.")
        if registration.hold_expires_at:
            lead.append(_("Unconfirmed places are released after the time shown below."))
        return Notice(
            _("You are nominated: %(title)s", title=title),
            lead,
            _("Confirm my email address"),
            confirm,
            extra={"expires": registration.hold_expires_at},
        )
    if kind == "link_again":
        return Notice(
            _("Your registration: %(title)s", title=title),
            [_("You asked to register again. Here is the link to your registration.")],
            _("Manage my registration"),
            manage,
        )
    if kind == "confirmed":
        return Notice(
            _("You are registered: %(title)s", title=title),
            [_("Your seat is confirmed. The calendar invitation is attached.")],
            _("Manage my registration"),
            manage,
            show_join=True,
        )
    if kind == "waiting_confirmed":
        return Notice(
            _("You are on the waiting list: %(title)s", title=title),
            [
                _(
                    "Your address is confirmed. You are number %(n)d on the waiting list.",
                    n=position,
                ),
                _("If a seat frees up, it is yours automatically and we will write to you."),
            ],
            _("Manage my registration"),
            manage,
        )
    if kind == "seat_for_you":
        if registration.status is RegistrationStatus.HELD:
            return Notice(
                _("A seat for you: %(title)s", title=title),
                [_("A seat has freed up and is held for you. Confirm your address to keep it.")],
                _("Confirm my email address"),
                confirm,
                extra={"expires": registration.hold_expires_at},
            )
        return Notice(
            _("A seat for you: %(title)s", title=title),
            [_("A seat has freed up and it is yours. The calendar invitation is attached.")],
            _("Manage my registration"),
            manage,
            show_join=True,
        )
    if kind == "back_to_waiting":
        return Notice(
            _("Back on the waiting list: %(title)s", title=title),
            [
                _("The number of seats was reduced, and you are back on the waiting list."),
                _("You are number %(n)d. We will write when a seat is yours.", n=position),
            ],
            _("Manage my registration"),
            manage,
        )
    if kind == "session_moved":
        return Notice(
            _("New time: %(title)s", title=title),
            [_("The session has moved. The new time is below; your calendar is updated.")],
            _("Manage my registration"),
            manage,
            show_join=True,
        )
    if kind == "session_updated":
        return Notice(
            _("Changed: %(title)s", title=title),
            [_("The details of the session have changed; the current ones are below.")],
            _("Manage my registration"),
            manage,
            show_join=True,
        )
    if kind == "session_cancelled":
        lead = [_("We are sorry: the session is cancelled.")]
        if session.cancel_reason:
            lead.append(session.cancel_reason)
        return Notice(_("Cancelled: %(title)s", title=title), lead)
    if kind in ("registration_cancelled", "removed"):
        lead = [
            _("Your registration is cancelled. Thank you for letting the seat go.")
            if kind == "registration_cancelled"
            else _("The organisers have removed your registration for this session.")
        ]
        return Notice(_("Registration cancelled: %(title)s", title=title), lead)
    if kind == "join_link":
        lead = [
            _(
                "The link to join the session has changed. Please use the new link below; "
                "the calendar invitation attached replaces the old one."
            )
            if extra.get("replaced")
            else _(
                "The link to join the session is ready. It is below, and the calendar "
                "invitation attached carries it too."
            )
        ]
        return Notice(
            _("Join link: %(title)s", title=title),
            lead,
            _("Manage my registration"),
            manage,
            show_join=True,
        )
    if kind in REMINDER_KINDS:
        lead = [
            _("The session starts in 24 hours.")
            if kind == "reminder_24h"
            else _("The session starts in one hour.")
        ]
        return Notice(
            _("Reminder: %(title)s", title=title),
            lead,
            _("Manage my registration"),
            manage,
            show_join=True,
        )
    if kind == "message":
        return Notice(
            extra["subject"],
            extra["body"].splitlines(),
            _("Manage my registration"),
            manage,
        )
    raise ValueError(f"unknown notice kind {kind!r}")
