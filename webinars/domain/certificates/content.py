"""What a certificate says, frozen when it is issued.

Everything printed is copied here from the session, the registration and the layout as
they are at issue: a later change to the session (a new title) does not change an issued
certificate; a reissue does. The date is the one in the holder's place: their academy's
time zone for a student who named one, the lecturer's own zone, else the session's.
"""

from __future__ import annotations

from typing import Any

from flask import current_app

from webinars.domain.certificates.layout import current_layout, issuer_name
from webinars.domain.sessions.places import home_name
from webinars.models import AttendanceEntry, GuestSpeaker, Session, User


def _common(session: Session, locale: str, zone: str) -> dict[str, Any]:
    layout = current_layout()
    signatories = [
        [name, title or ""]
        for name, title in (
            (layout.signatory_name, layout.signatory_title),
            (layout.second_signatory_name, layout.second_signatory_title),
        )
        if name
    ]
    return {
        "title": session.title,
        "kind": session.kind.value,
        "starts_at": session.starts_at.isoformat(),
        "zone": zone,
        "minutes": session.duration_minutes,
        "academic_hour_minutes": current_app.config["CERTIFICATE_ACADEMIC_HOUR_MINUTES"],
        "lecturers": [u.name for u in session.lecturers],
        "guest_speakers": [[g.name, g.affiliation or ""] for g in session.guest_speakers],
        "academies": [a.name_in(locale) for a in session.academies],
        "department": home_name(current_app.config, locale),
        "issuer": issuer_name(layout, locale),
        "signatories": signatories,
        "colour": layout.colour,
        "accent_colour": layout.accent_colour,
    }


def attendance_content(session: Session, entry: AttendanceEntry) -> tuple[str, str, dict]:
    """(holder's name, language, content) of a student's certificate of attendance."""
    registration = entry.registration
    if registration is not None:
        name = registration.full_name or ""
        locale = registration.locale or "en"
        academy = registration.academy
        zone = academy.time_zone if academy is not None else session.time_zone
    else:
        name, locale, zone = entry.full_name or "", entry.locale or "en", session.time_zone
    return name, locale, _common(session, locale, zone)


def teaching_content(
    session: Session, who: User | GuestSpeaker, students: int
) -> tuple[str, str, dict]:
    """(holder's name, language, content) of a certificate of teaching."""
    if isinstance(who, User):
        locale, zone, role = who.locale or session.language or "en", who.time_zone, "lecturer"
    else:
        academy = who.academy
        locale = (academy.language if academy else None) or session.language or "en"
        zone = academy.time_zone if academy else session.time_zone
        role = "guest_speaker"
    locale = locale if locale in current_app.config["LANGUAGES"] else "en"
    content = _common(session, locale, zone)
    content.update(students=students, role=role)
    return who.name, locale, content
