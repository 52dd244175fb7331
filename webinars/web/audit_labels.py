"""Words for the audit trail: actions, field names and values as people read them."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from flask import Flask
from flask_babel import lazy_gettext as _l
from flask_babel import lazy_pgettext

from webinars.domain.sessions.conferencing import link_label
from webinars.domain.sessions.direction import DIRECTION_SHORT_LABELS
from webinars.domain.sessions.kinds import kind_choices
from webinars.i18n import INSTRUCTION_LANGUAGES, format_when
from webinars.models import AuditEntry

ACTIONS = {
    "created": _l("Created"),
    "edited": _l("Edited"),
    "rescheduled": _l("Moved"),
    "cancelled": lazy_pgettext("session history", "Cancelled"),
    "join_link_changed": _l("New Zoom join link"),
    "attendance_overridden": _l("Attendance decided by hand"),
    "attendance_check_in_undone": _l("Check-in taken back"),
    "attendance_name_confirmed": _l("Zoom participant matched by name"),
    "attendance_name_unlinked": _l("Zoom name match undone"),
    "attendance_walk_in": _l("Walk-in added"),
    "attendance_rule": _l("Attendance rule changed"),
    "attendance_finalised": _l("Attendance finalised"),
    "certificate_revoked": _l("Certificate revoked"),
    "certificate_reissued": _l("Certificate reissued"),
}
FIELDS = {
    "kind": _l("Kind"),
    "title": _l("Title"),
    "description": _l("Description"),
    "language": _l("Language"),
    "starts_at": _l("Start"),
    "ends_at": _l("End"),
    "time_zone": _l("Time zone"),
    "capacity": _l("Capacity"),
    "registration_opens_at": _l("Registration opens"),
    "registration_closes_at": _l("Registration closes"),
    "status": _l("Status"),
    "visibility": _l("Visibility"),
    "conference": _l("How people join"),
    "join_url": _l("Meeting link"),
    "lecturers": _l("Lecturers"),
    "academies": _l("Partner academies"),
    "guest_speakers": _l("Guest speakers"),
    "cancel_reason": _l("Reason for cancelling"),
    "direction": _l("Direction"),
    "attendee": _l("Person"),
    "attendance": _l("Attendance"),
    "reason": _l("Reason"),
    "zoom_name": _l("Name in Zoom"),
    "share_percent": _l("Share of the minutes needed (%)"),
    "finalised_at": _l("Finalised"),
    "certificate": _l("Certificate No."),
}

# Stored enum values, in words (the same words the forms use).
VALUES = {
    "status": {
        "draft": _l("Draft"),
        "scheduled": _l("Scheduled"),
        "cancelled": _l("Cancelled"),
    },
    "visibility": {"public": _l("Public"), "partners": _l("Partner academies only")},
    "kind": dict(kind_choices()),
    "conference": {"zoom": _l("Zoom"), "link": _l("A meeting link"), "none": _l("In person")},
    "language": INSTRUCTION_LANGUAGES,
    "direction": {d.value: label for d, label in DIRECTION_SHORT_LABELS.items()},
    "attendance": {"attended": _l("Attended"), "absent": _l("Absent")},
}


def audit_value(field: str, value: object, zone: str) -> str:
    """A stored audit value as text; times in the session's zone."""
    if value is None or value == [] or value == "":
        return "—"
    if field.endswith("_at") and isinstance(value, str):
        try:
            return format_when(datetime.fromisoformat(value), zone)
        except ValueError:
            return value
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    if field == "join_url" and isinstance(value, str):
        return link_label(value)  # the trail is open to every lecturer; the link is not
    if field in VALUES and isinstance(value, str):
        return str(VALUES[field].get(value, value))
    if field == "description" and isinstance(value, str) and len(value) > 80:
        return value[:80] + "…"
    return str(value)


# What the trail says about people (a name, a name in Zoom, a lecturer's reason about
# someone): only for the readers of the attendance and certificate pages.
PERSONAL_FIELDS = frozenset({"attendee", "zoom_name", "reason"})


def history_for(entries: Iterable[AuditEntry], may_see_people: bool) -> list[AuditEntry]:
    """A session's trail for one reader: the entries that name people only for those who
    may see them (the session's lecturers and admins, domain.sessions.access.can_edit)."""
    if may_see_people:
        return list(entries)
    return [entry for entry in entries if not PERSONAL_FIELDS & set(entry.changes or {})]


def init_app(app: Flask) -> None:
    """Expose the helpers to templates."""
    app.jinja_env.globals.update(
        audit_action=lambda action: ACTIONS.get(action, action),
        audit_field=lambda field: FIELDS.get(field, field),
        audit_value=audit_value,
        direction_labels=DIRECTION_SHORT_LABELS,
    )
