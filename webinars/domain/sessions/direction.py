"""The direction of a session, derived from who teaches it and for whom.

Every session has a home lecturer (the department's staff member in charge); guest
speakers come from outside, usually from a partner academy. No guest speaker: outgoing
(home staff teach the listed partners' students). Guest speakers, and every partner
academy on the session is a guest's own (or none is listed): incoming (the partner's
guest teaches the home students). Guest speakers, and also a partner academy that sent no
guest: joint (both sides teach a shared audience). Staff may correct what was derived; the
correction then stays until they choose derivation again.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from webinars.models import Direction

DIRECTION_LABELS = {
    Direction.OUTGOING: _l("Outgoing (home staff teach partners' students)"),
    Direction.INCOMING: _l("Incoming (partners' guests teach home students)"),
    Direction.JOINT: _l("Joint (taught together)"),
}
DIRECTION_SHORT_LABELS = {
    Direction.OUTGOING: _l("Outgoing"),
    Direction.INCOMING: _l("Incoming"),
    Direction.JOINT: _l("Joint"),
}


def derive_direction(guests: int, academy_ids: set[int], guest_academy_ids: set[int]) -> Direction:
    """The direction that follows from the number of guest speakers, the session's partner
    academies and the academies the guests come from."""
    if not guests:
        return Direction.OUTGOING
    if academy_ids - guest_academy_ids:
        return Direction.JOINT
    return Direction.INCOMING
