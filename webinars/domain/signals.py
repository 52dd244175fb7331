"""What happened, in the domain's words: named signals that background work answers.

An operation sends one of these when it changes something other parts react to: the
session's registrants are told, its Zoom meeting is brought in line, new mail goes out.
The receivers live in webinars.jobs (one module per area); they only note a task on the
database session, and the tasks are queued once the transaction commits (dropped if it
does not). So whoever commits has nothing else to remember, and a rolled-back change
queues nothing.
"""

from __future__ import annotations

from blinker import Namespace

_signals = Namespace()

session_changed = _signals.signal(
    "session-changed",
    doc="A session was created, saved, moved or cancelled. Sender: the session's id.",
)
meeting_out_of_step = _signals.signal(
    "meeting-out-of-step",
    doc="A session's Zoom meeting needs a sync (a retry asked for, news from Zoom). "
    "Sender: the session's id.",
)
join_link_changed = _signals.signal(
    "join-link-changed",
    doc="A session's join link is new (replaced=False) or replaces one people were "
    "given (replaced=True). Sender: the session's id.",
)
mail_queued = _signals.signal(
    "mail-queued",
    doc="New messages wait in the outbox. Sender: None.",
)
account_deactivated = _signals.signal(
    "account-deactivated",
    doc="A staff account was saved as inactive, in the open transaction. Sender: the User. "
    "Receivers act at once (not after the commit) and return how many private things "
    "they revoked; webinars.domain.calendars.tokens revokes the account's feed tokens.",
)
attendance_finalised = _signals.signal(
    "attendance-finalised",
    doc="A session's attendance list was finalised, or changed after it was. Sender: the "
    "session's id. Certificates are issued to whoever attended and has none yet.",
)
certificates_due = _signals.signal(
    "certificates-due",
    doc="Certificates of a session wait to be rendered and mailed (a reissue). Sender: "
    "the session's id.",
)
