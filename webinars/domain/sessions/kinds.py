"""The kinds of session, in the words people use (translated when shown)."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l

from webinars.models import SessionKind

KIND_LABELS = {
    SessionKind.GUEST_LECTURE: _l("Guest lecture"),
    SessionKind.WEBINAR: _l("Webinar"),
    SessionKind.MASTER_CLASS: _l("Master class"),
}


def kind_choices() -> list[tuple[str, Any]]:
    """(stored value, label) for a form's choice of kind."""
    return [(kind.value, label) for kind, label in KIND_LABELS.items()]


def kind_filter_choices() -> list[tuple[str, Any]]:
    """The kinds, after "All kinds" (no filter), for a filter form."""
    return [("", _l("All kinds")), *kind_choices()]
