"""Demo attendance: the past master class of the demo data with its students, checked in
at the door (one absent, one let in by the lecturer's decision, one walk-in), its list
final and its certificates issued, so that a first look at the attendance and certificate
pages finds them filled.

Made through the attendance and certificate operations a lecturer's clicks run, at the
moments they would have happened. Idempotent: nothing is added to a session that already
has registrants.
"""

from __future__ import annotations

from datetime import timedelta

from webinars.domain.attendance.changes import add_walk_in, check_in, finalise, override
from webinars.domain.certificates.issue import issue_for_session, render_pending
from webinars.extensions import db
from webinars.models import (
    PartnerAcademy,
    Presence,
    Registration,
    RegistrationStatus,
    Session,
    User,
    utcnow,
)

# name, email, language, how they took part: at the door, let in by a decision, absent
STUDENTS = [
    ("Айгерим Нурланова", "aigerim.n@students.example.org", "ru", "door"),
    ("Ерлан Сейтжанов", "erlan.s@students.example.org", "ru", "door"),
    ("Dana Abenova", "dana.a@students.example.org", "en", "door"),
    ("Madina Oʻrinboyeva", "madina.o@students.example.org", "uz", "door"),
    ("Тимур Ахметов", "timur.a@students.example.org", "ru", "decision"),
    ("Асель Касымова", "asel.k@students.example.org", "ru", "absent"),
]
WALK_IN = ("Жанна Искакова", "zhanna.i@students.example.org", "ru")
LATE_REASON = "Came 20 minutes late from a night shift; took part in every exercise."


def seed_attendance(session: Session, lecturer: User, academy: PartnerAcademy) -> int:
    """Students, check-ins, a walk-in, the final list and certificates for a session
    that is over; returns the number of certificates issued (0 when already done)."""
    if db.session.execute(
        db.select(Registration.id).where(Registration.session_id == session.id).limit(1)
    ).first():
        return 0
    registered = session.starts_at - timedelta(days=5)
    people = []
    for name, email, locale, how in STUDENTS:
        registration = Registration(
            session_id=session.id,
            email=email,
            full_name=name,
            academy_id=academy.id,
            locale=locale,
            status=RegistrationStatus.CONFIRMED,
            created_at=registered,
            consent_at=registered,
            confirmed_at=registered + timedelta(hours=1),
            seat_at=registered,
            added_by_id=None,
        )
        db.session.add(registration)
        people.append((registration, how))
    db.session.flush()
    door = session.starts_at - timedelta(minutes=10)
    for n, (registration, how) in enumerate(people):
        if how == "door":
            check_in(session, f"r{registration.id}", lecturer, door + timedelta(minutes=n))
        elif how == "decision":
            reason_at = session.ends_at + timedelta(minutes=15)
            override(
                session, f"r{registration.id}", Presence.ATTENDED, LATE_REASON, lecturer, reason_at
            )
    name, email, locale = WALK_IN
    add_walk_in(session, name, email, locale, lecturer, door + timedelta(minutes=8))
    finalised = session.ends_at + timedelta(minutes=30)
    finalise(session, lecturer, finalised)
    issued = issue_for_session(session.id, finalised)
    db.session.commit()
    render_pending(session.id, utcnow())
    return len(issued)
