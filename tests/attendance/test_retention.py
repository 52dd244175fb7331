"""Attendance details go with registrants' personal data; the outcome stays."""

from __future__ import annotations

from datetime import timedelta

from tests.fixtures.attendance import stay
from webinars.domain.attendance.changes import add_walk_in, confirm_zoom_name, override
from webinars.domain.attendance.sheet import attendance_counts, build_sheet
from webinars.domain.registration.retention import anonymise_after
from webinars.extensions import db
from webinars.models import (
    AttendanceEntry,
    AuditEntry,
    Presence,
    Session,
    User,
    ZoomNameMatch,
    utcnow,
)

DAYS = 180


def test_retention_forgets_attendance_details_and_keeps_each_outcome(ctx, ended_session):
    ended = ended_session(
        {
            "dilnoza": ("Dilnoza Karimova", "dilnoza@example.org"),
            "olga": ("Olga Smirnova", "olga@example.org"),
            "timur": ("Timur Rashidov", "timur@example.org"),
        }
    )
    db.session.add_all(
        [
            stay(ended, "a1", "Dilnoza", "dilnoza@example.org", 0, 90),
            stay(ended, "c1", "Olga S", None, 0, 80),
        ]
    )
    db.session.commit()
    session, lecturer = db.session.get(Session, ended.id), db.session.get(User, ended.lecturer.id)
    now = utcnow()
    confirm_zoom_name(session, f"r{ended.people['olga']}", "Olga S", lecturer, now)
    override(
        session, f"r{ended.people['timur']}", Presence.ATTENDED, "Seen by Dr Aliev", lecturer, now
    )
    add_walk_in(session, "Aziz Rahimov", "aziz@example.org", "uz", lecturer, now)
    db.session.commit()  # never finalised: retention freezes the outcome itself

    anonymise_after(session.ends_at + timedelta(days=DAYS + 1), DAYS)
    db.session.commit()

    db.session.expire_all()
    entries = db.session.execute(db.select(AttendanceEntry).order_by(AttendanceEntry.id)).scalars()
    assert [
        (e.walk_in, e.attended, e.minutes, e.full_name, e.email, e.override_reason) for e in entries
    ] == [
        (False, True, 80, None, None, None),  # Olga, matched by her confirmed Zoom name
        (False, True, 0, None, None, None),  # Timur, by the lecturer's decision
        (True, True, 0, None, None, None),  # the walk-in
        (False, True, 90, None, None, None),  # Dilnoza, by email
    ]
    assert db.session.execute(db.select(ZoomNameMatch)).first() is None
    personal = [
        a.changes.get(field)
        for a in db.session.execute(
            db.select(AuditEntry).where(AuditEntry.action.like("attendance_%"))
        ).scalars()
        for field in ("attendee", "reason", "zoom_name")
        if field in a.changes
    ]
    assert personal and all(value == [None, None] for value in personal)
    sheet = build_sheet(db.session.get(Session, ended.id))
    assert sorted((r.walk_in, r.attended, r.reason) for r in sheet.rows) == [
        (False, True, "frozen"),
        (False, True, "frozen"),
        (False, True, "frozen"),
        (True, True, "frozen"),
    ]
    assert sheet.counts.attended == 3
    assert attendance_counts([ended.id]) == {}  # never finalised: not in the frozen counts

    # Running again changes nothing.
    anonymise_after(session.ends_at + timedelta(days=DAYS + 2), DAYS)
    db.session.commit()
    assert build_sheet(db.session.get(Session, ended.id)).counts.attended == 3
