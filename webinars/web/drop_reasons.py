"""Why a message in the outbox will not be sent, in the reader's language.

The domain stores each reason in English (OutboxMessage.last_error, which the logs and
operators read too); the outbox pages show it through this table. Anything not in it (a
mail server's error) is shown as it is.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

DROP_REASONS = {
    # registration notices (domain.registration.notices)
    "personal data deleted": _l("personal data deleted"),
    "no seat any more": _l("no seat any more"),
    "not on the waiting list any more": _l("not on the waiting list any more"),
    "registration no longer active": _l("registration no longer active"),
    "registration cancelled": _l("registration cancelled"),
    "registration no longer confirmed": _l("registration no longer confirmed"),
    "registered again": _l("registered again"),
    "session cancelled": _l("session cancelled"),
    "session is a draft": _l("session is a draft"),
    "session moved": _l("session moved"),
    "too late: the session has started": _l("too late: the session has started"),
    "no join link any more": _l("no join link any more"),
    "the join link changed again (a later email carries it)": _l(
        "the join link changed again (a later email carries it)"
    ),
    # certificates (domain.certificates.mail)
    "certificate gone": _l("certificate gone"),
    "certificate revoked": _l("certificate revoked"),
    "certificate not rendered": _l("certificate not rendered"),
    "address forgotten": _l("address forgotten"),
    # partners (domain.partners.mail)
    "invitation gone": _l("invitation gone"),
    "invitation accepted": _l("invitation accepted"),
    "invitation revoked": _l("invitation revoked"),
    "invitation expired": _l("invitation expired"),
    "request gone": _l("request gone"),
    "recipient has no active account": _l("recipient has no active account"),
    "session gone": _l("session gone"),
    "coordinator inactive or opted out": _l("coordinator inactive or opted out"),
    "session cancelled since (the cancellation says so)": _l(
        "session cancelled since (the cancellation says so)"
    ),
}


def drop_reason(stored: str | None) -> str:
    """A stored reason in the reader's language; any other text as it is."""
    if not stored:
        return ""
    label = DROP_REASONS.get(stored)
    return str(label) if label is not None else stored
