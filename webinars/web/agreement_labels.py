"""The names of agreement kinds and standings, in the reader's language."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from webinars.models import AgreementKind

KIND_LABELS = {
    AgreementKind.MEMORANDUM.value: _l("Memorandum of understanding"),
    AgreementKind.MOBILITY.value: _l("Academic-mobility agreement"),
    AgreementKind.JOINT_PROGRAMME.value: _l("Joint programme"),
    AgreementKind.OTHER.value: _l("Other agreement"),
}

STANDING_LABELS = {
    "active": _l("In force"),
    "expiring": _l("Expires soon"),
    "expired": _l("Expired"),
    "pending": _l("Not yet in force"),
}
