"""The warning shown to staff when a session's capacity leaves seats reserved for academies
unusable (the registrants page, and the session form after saving a lower capacity)."""

from __future__ import annotations

from flask_babel import get_locale
from flask_babel import gettext as _

from webinars.domain.partners.quotas import reserve_shortfall
from webinars.models import Session


def reserve_warning(session: Session) -> str | None:
    """Say how many reserved seats cannot be used, and whose they are; None when all fit."""
    shortfall = reserve_shortfall(session)
    if shortfall is None:
        return None
    locale = str(get_locale())
    academies = ", ".join(
        _("%(seats)d for %(academy)s", academy=academy.name_in(locale), seats=seats)
        for academy, seats in shortfall.unused
    )
    return _(
        "%(unusable)d of the seats reserved for academies cannot be used: the capacity leaves "
        "%(free)d free seats for %(reserved)d reserved seats not taken yet (%(academies)s). "
        "Raise the capacity or reserve fewer seats.",
        unusable=shortfall.unusable,
        free=shortfall.free,
        reserved=shortfall.reserved,
        academies=academies,
    )
