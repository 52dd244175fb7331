"""Zoom attendance is personal data: its names and emails go with registrants' personal
data, REGISTRATION_RETENTION_DAYS after the session; head counts and minutes stay."""

from __future__ import annotations

from datetime import timedelta

from webinars.domain.registration.retention import anonymise_after
from webinars.domain.zoom.reports import attendance_summary, forget_attendance
from webinars.extensions import db
from webinars.jobs.registration import forget_personal_data
from webinars.models import ZoomAttendance, utcnow

DAYS = 180


def stay(session, key, name="", email=None, start=0, minutes=30) -> ZoomAttendance:
    """One stay in the session's meeting, ``start`` minutes after the session began."""
    joined = session.starts_at + timedelta(minutes=start)
    return ZoomAttendance(
        session_id=session.id,
        meeting_id=81234567890,
        participant_key=key,
        name=name,
        email=email,
        joined_at=joined,
        left_at=joined + timedelta(minutes=minutes),
        minutes=minutes,
    )


def attended(session) -> None:
    """Dilnoza twice (she dropped out and rejoined), Timur by name only, a phone caller."""
    db.session.add_all(
        [
            stay(session, "participant_uuid:a1", "Dilnoza K.", "Dilnoza@example.org", 0, 40),
            stay(session, "participant_uuid:b2", "Timur", None, 5, 60),
            stay(session, "participant_uuid:a3", "Dilnoza K.", "dilnoza@example.org", 45, 30),
            stay(session, "participant_uuid:c4", "", None, 10, 15),
        ]
    )
    db.session.commit()


def stays_of(session_id: int) -> list[tuple[str, str, str | None, int | None]]:
    db.session.expire_all()
    rows = db.session.execute(
        db.select(ZoomAttendance)
        .where(ZoomAttendance.session_id == session_id)
        .order_by(ZoomAttendance.id)
    ).scalars()
    return [(r.participant_key, r.name, r.email, r.minutes) for r in rows]


def test_retention_forgets_attendance_names_and_keeps_people_and_minutes(zctx, zoom_session):
    session = zoom_session()
    attended(session)
    before = [(a.minutes, a.still_in) for a in attendance_summary(session.id)]

    anonymise_after(session.ends_at + timedelta(days=DAYS + 1), DAYS)
    db.session.commit()

    assert stays_of(session.id) == [
        ("anonymous-1", "", None, 40),
        ("anonymous-2", "", None, 60),
        ("anonymous-1", "", None, 30),
        ("anonymous-3", "", None, 15),
    ]
    after = attendance_summary(session.id)
    assert (
        [(a.minutes, a.still_in) for a in after]
        == before
        == [(70, False), (60, False), (15, False)]
    )
    assert {(a.name, a.email) for a in after} == {("", None)}


def test_retention_leaves_attendance_of_recent_sessions(zctx, zoom_session):
    session = zoom_session()
    attended(session)
    kept = stays_of(session.id)

    anonymise_after(session.ends_at + timedelta(days=DAYS - 1), DAYS)
    db.session.commit()

    assert stays_of(session.id) == kept
    assert "Dilnoza K." in {a.name for a in attendance_summary(session.id)}


def test_retention_of_attendance_twice_changes_nothing_and_numbers_late_stays_after(
    zctx, zoom_session
):
    session = zoom_session()
    attended(session)
    later = session.ends_at + timedelta(days=DAYS + 1)
    forget_attendance(later - timedelta(days=DAYS))
    db.session.commit()
    forgotten = stays_of(session.id)

    again = forget_attendance(later - timedelta(days=DAYS))
    db.session.add(stay(session, "participant_uuid:d5", "Late Event", "late@example.org"))
    late = forget_attendance(later - timedelta(days=DAYS))
    db.session.commit()

    assert (again, late) == (0, 1)
    assert stays_of(session.id) == [*forgotten, ("anonymous-4", "", None, 30)]


def test_attendance_summary_tells_apart_people_zoom_gave_no_name(zctx, zoom_session):
    session = zoom_session()
    db.session.add_all([stay(session, "participant_uuid:x"), stay(session, "participant_uuid:y")])
    db.session.commit()

    people = attendance_summary(session.id)

    assert [a.minutes for a in people] == [30, 30]


def test_the_nightly_retention_job_forgets_attendance(zoom_app, zctx, zoom_session):
    session = zoom_session()
    attended(session)
    # The session ends in a week: a retention of -30 days makes it old enough now.
    zoom_app.config["REGISTRATION_RETENTION_DAYS"] = -30
    assert session.ends_at < utcnow() + timedelta(days=30)

    forget_personal_data()

    assert {(name, email) for _key, name, email, _m in stays_of(session.id)} == {("", None)}
