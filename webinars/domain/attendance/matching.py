"""Zoom's participants matched to a session's people.

Email first: a participant whose Zoom email is a registrant's address is that registrant.
Zoom often has no email (guests not signed in): such participants are known by the name
they typed, and a name is never taken as proof. A registrant whose name reads the same is
offered as a *suggested* match, which counts only once a lecturer confirms it.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import datetime

from webinars.extensions import db
from webinars.models import ZoomAttendance

# Apostrophe-like letters people type in Uzbek Latin names (oʻ, gʻ, ʼ) or instead of them.
_APOSTROPHES = "'`ʻʼ‘’ʹ′"  # noqa: RUF001 - these look alike on purpose


@dataclass
class ZoomPerson:
    """One participant of the meeting: their stays added up by email, else by name."""

    email: str | None
    name: str
    stays: list[tuple[datetime | None, datetime | None, int | None]] = field(default_factory=list)


def name_key(name: str | None) -> str:
    """A name reduced for comparison: case, accents, apostrophes, spacing and word order
    do not count ("Karimova  Dilnoza" reads as "Dilnoza Karimova")."""
    text = unicodedata.normalize("NFKD", name or "").casefold()
    text = "".join(c for c in text if not unicodedata.combining(c) and c not in _APOSTROPHES)
    words = re.findall(r"\w+", text)
    return " ".join(sorted(words))


def zoom_people(session_id: int) -> list[ZoomPerson]:
    """The meeting's participants with their stays: by email, else by the name given.

    Stays forgotten under the retention rule (no name, no email) are left out: they can no
    longer be anyone's.
    """
    rows = db.session.execute(
        db.select(
            ZoomAttendance.email,
            ZoomAttendance.name,
            ZoomAttendance.joined_at,
            ZoomAttendance.left_at,
            ZoomAttendance.minutes,
        )
        .where(ZoomAttendance.session_id == session_id)
        .order_by(ZoomAttendance.joined_at, ZoomAttendance.id)
    ).all()
    people: dict[str, ZoomPerson] = {}
    for email, name, joined, left, minutes in rows:
        if email:
            key = f"email:{email.strip().lower()}"
        elif name:
            key = f"name:{name.strip()}"
        else:
            continue
        person = people.setdefault(
            key, ZoomPerson(email=email.strip().lower() if email else None, name=name or "")
        )
        person.name = person.name or name or ""
        person.stays.append((joined, left, minutes))
    return list(people.values())
