"""Demo history: three years of cooperation (January 2023 to last week), so that the
report and the public page have something real to show on a first run.

Written as rows, not through the scheduling rules (which rightly refuse a start in the
past); the direction is derived by the same rule as on saving, and the rows keep the rules
the operations would have kept: a session with a capacity never has more seats taken (the
rest of its students wait on its waiting list), and whoever attended was checked in (these
sessions are not on Zoom), so each outcome has its reason. Students' personal data of
sessions older than the retention period are already forgotten, as retention would have
done; their registrations and attendance stay counted. Deterministic (a fixed seed) and
idempotent: nothing is added once any agreement exists.
"""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, timedelta

from flask import current_app

from webinars.domain.sessions.direction import derive_direction
from webinars.extensions import db
from webinars.models import (
    Agreement,
    AgreementKind,
    AttendanceEntry,
    AttendanceSheet,
    Conference,
    GuestSpeaker,
    PartnerAcademy,
    Registration,
    RegistrationStatus,
    Session,
    SessionKind,
    SessionStatus,
    User,
    Visibility,
    utcnow,
)

HISTORY_DESCRIPTION = "Demo history."  # tells the history's sessions from the demo's own

TOPICS = [
    ("Neonatal jaundice: what is new", "en"),
    ("Бронхиальная астма у детей", "ru"),
    ("Bolalarda temir tanqisligi anemiyasi", "uz"),
    ("Pediatric sepsis: the first hour", "en"),
    ("Врождённые пороки сердца: тактика", "ru"),
    ("Vaccination schedules across three countries", "en"),
    ("Муковисцидоз: ранняя диагностика", "ru"),
    ("Bolalar gastroenterologiyasi: amaliy holatlar", "uz"),
    ("Ultrasound of the neonatal brain (hands-on)", "en"),
    ("Детская нефрология: клинические разборы", "ru"),
]
GUESTS = {
    "izhevsk-state-medical-academy": ["Ольга Петрова", "Игорь Смирнов"],
    "south-kazakhstan-medical-academy": ["Айгуль Жумабаева", "Ерлан Сейткали"],
    "kazan-state-medical-university": ["Марат Хабибуллин"],
    "tashkent-pediatric-medical-institute": ["Shahnoza Tursunova"],
}
AGREEMENTS = [
    # slug, kind, number, signed, expires (None: open-ended), public
    (
        "izhevsk-state-medical-academy",
        AgreementKind.MEMORANDUM,
        "MoU-14/2021",
        date(2021, 4, 12),
        None,
        True,
    ),
    (
        "izhevsk-state-medical-academy",
        AgreementKind.MOBILITY,
        "AM-03/2023",
        date(2023, 2, 1),
        date(2027, 1, 31),
        True,
    ),
    (
        "south-kazakhstan-medical-academy",
        AgreementKind.MEMORANDUM,
        "MoU-07/2022",
        date(2022, 9, 5),
        date(2027, 2, 28),
        True,
    ),
    (
        "kazan-state-medical-university",
        AgreementKind.JOINT_PROGRAMME,
        "JP-01/2023",
        date(2023, 6, 20),
        date(2025, 6, 19),
        False,
    ),
    (
        "tashkent-pediatric-medical-institute",
        AgreementKind.OTHER,
        "2024/11",
        date(2024, 1, 15),
        None,
        True,
    ),
]


def seed_history(lecturers: list[User], academies: dict[str, PartnerAcademy]) -> int:
    """Add the history once; returns the number of sessions added."""
    if db.session.execute(db.select(Agreement.id).limit(1)).first():
        return 0
    rng = random.Random(2023)
    for slug, kind, number, signed, expires, public in AGREEMENTS:
        if slug in academies:
            db.session.add(
                Agreement(
                    academy_id=academies[slug].id,
                    kind=kind,
                    number=number,
                    signed_on=signed,
                    expires_on=expires,
                    is_public=public,
                    home_responsible="Bahrom Aliev",
                    partner_responsible=academies[slug].contact_name,
                )
            )
    now = utcnow()
    forget_before = now - timedelta(days=current_app.config["REGISTRATION_RETENTION_DAYS"])
    made = 0
    day = datetime(2023, 1, 9, 4, 0, tzinfo=UTC)  # Mondays, 09:00 in Samarkand
    while day < now - timedelta(days=7):
        for _ in range(rng.choice((1, 2, 2, 3))):
            starts = day + timedelta(days=rng.randrange(0, 5), hours=rng.choice((0, 2, 5)))
            if starts < now - timedelta(days=1):
                _session(rng, starts, lecturers, academies, forget_before)
                made += 1
        day += timedelta(days=rng.choice((14, 14, 21)))
    return made


def _session(
    rng: random.Random,
    starts: datetime,
    lecturers: list[User],
    academies: dict[str, PartnerAcademy],
    forget_before: datetime,
) -> None:
    title, language = rng.choice(TOPICS)
    kind = rng.choice(
        (
            SessionKind.GUEST_LECTURE,
            SessionKind.GUEST_LECTURE,
            SessionKind.WEBINAR,
            SessionKind.MASTER_CLASS,
        )
    )
    slugs = rng.sample(sorted(academies), k=rng.choice((1, 1, 2)))
    guest_slugs = [s for s in slugs if rng.random() < 0.4]
    cancelled = rng.random() < 0.05
    session = Session(
        kind=kind,
        title=title,
        description=HISTORY_DESCRIPTION,
        language=language,
        starts_at=starts,
        ends_at=starts + timedelta(minutes=rng.choice((60, 90, 90, 120))),
        time_zone="Asia/Samarkand",
        capacity=30 if kind is SessionKind.MASTER_CLASS else None,
        status=SessionStatus.CANCELLED if cancelled else SessionStatus.SCHEDULED,
        cancel_reason="The lecturer is ill." if cancelled else None,
        cancelled_at=starts - timedelta(days=2) if cancelled else None,
        visibility=Visibility.PARTNERS if rng.random() < 0.15 else Visibility.PUBLIC,
        conference=Conference.LINK,
        join_url="https://meet.example.org/history",
        created_at=starts - timedelta(days=21),
        updated_at=starts - timedelta(days=21),
    )
    session.lecturers = rng.sample(lecturers, k=rng.choice((1, 1, 2)))
    session.academies = [academies[s] for s in slugs]
    session.guest_speakers = [
        GuestSpeaker(
            name=rng.choice(GUESTS.get(s, ["Guest"])), academy_id=academies[s].id, position=i
        )
        for i, s in enumerate(guest_slugs)
    ]
    session.direction = derive_direction(
        len(guest_slugs), {academies[s].id for s in slugs}, {academies[s].id for s in guest_slugs}
    )
    db.session.add(session)
    db.session.flush()
    if not cancelled:
        _registrants(rng, session, slugs, academies, forget_before)


def _registrants(
    rng: random.Random,
    session: Session,
    slugs: list[str],
    academies: dict[str, PartnerAcademy],
    forget_before: datetime,
) -> None:
    forgotten = session.ends_at < forget_before
    entries = []
    for n in range(rng.randrange(8, 36)):
        status = (
            RegistrationStatus.CONFIRMED if rng.random() < 0.9 else RegistrationStatus.CANCELLED
        )
        if status is RegistrationStatus.CONFIRMED and _full(session, len(entries)):
            status = RegistrationStatus.WAITING  # came too late for a seat
        created_at = session.starts_at - timedelta(days=rng.randrange(1, 14))
        registration = Registration(
            session_id=session.id,
            email=None if forgotten else f"student{session.id}-{n}@students.example.org",
            full_name=None if forgotten else f"Student {session.id}-{n}",
            academy_id=academies[rng.choice(slugs)].id,
            status=status,
            locale=rng.choice(("ru", "uz", "en")),
            created_at=created_at,
            confirmed_at=session.starts_at - timedelta(days=1),
            seat_at=created_at if status is RegistrationStatus.CONFIRMED else None,
            waitlisted_at=created_at if status is RegistrationStatus.WAITING else None,
            anonymised_at=forget_before if forgotten else None,
        )
        db.session.add(registration)
        if status is RegistrationStatus.CONFIRMED:
            entries.append(registration)
    db.session.flush()
    db.session.add(
        AttendanceSheet(session_id=session.id, finalised_at=session.ends_at + timedelta(hours=2))
    )
    door = session.starts_at - timedelta(minutes=10)
    for n, registration in enumerate(entries):
        attended = rng.random() < 0.78
        # As finalising would have frozen it: present by a check-in, no minutes in Zoom.
        db.session.add(
            AttendanceEntry(
                session_id=session.id,
                registration_id=registration.id,
                checked_in_at=door + timedelta(seconds=20 * n) if attended else None,
                attended=attended,
                minutes=0,
                forgotten_at=forget_before if forgotten else None,
            )
        )


def _full(session: Session, seats_taken: int) -> bool:
    """True when a session with a capacity has no seat left."""
    return session.capacity is not None and seats_taken >= session.capacity
