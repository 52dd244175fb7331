"""A session's attendance: Zoom minutes matched by email, names only as suggestions a
lecturer confirms, check-ins, overrides in the audit trail, walk-ins, finalising."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests.fixtures.attendance import stay
from webinars.domain import signals
from webinars.domain.attendance.changes import (
    AttendanceError,
    add_walk_in,
    check_in,
    confirm_zoom_name,
    finalise,
    override,
    sessions_due_for_finalising,
    set_share,
)
from webinars.domain.attendance.sheet import attendance_counts, build_sheet
from webinars.extensions import db
from webinars.jobs.attendance import finalise_due
from webinars.models import AttendanceEntry, AuditEntry, Presence, Session, User, utcnow

PEOPLE = {
    "dilnoza": ("Dilnoza Karimova", "dilnoza@example.org"),
    "timur": ("Timur Rashidov", "timur@example.org"),
    "olga": ("Olga Smirnova", "olga@example.org"),
}


def _load(ended):
    return db.session.get(Session, ended.id), db.session.get(User, ended.lecturer.id)


def _row(ended, short):
    return build_sheet(db.session.get(Session, ended.id)).row(f"r{ended.people[short]}")


@pytest.fixture
def zoomed(app, ended_session):
    """Dilnoza 70 of 100 minutes by email (two stays), Timur 69 by email, and a guest
    "Olga Smirnova" with no email in Zoom for 95 minutes."""
    ended = ended_session(PEOPLE)
    with app.app_context():
        db.session.add_all(
            [
                stay(ended, "a1", "Dilnoza K.", "Dilnoza@Example.org", 0, 40),
                stay(ended, "a2", "Dilnoza K.", "dilnoza@example.org", 60, 30),
                stay(ended, "b1", "Timur", "timur@example.org", 0, 69),
                stay(ended, "c1", "Olga  Smirnova", None, 2, 95),
            ]
        )
        db.session.commit()
    return ended


def test_zoom_minutes_by_email_decide_at_the_share(ctx, zoomed):
    dilnoza, timur = _row(zoomed, "dilnoza"), _row(zoomed, "timur")

    assert (dilnoza.minutes, dilnoza.attended, dilnoza.reason) == (70, True, "zoom")
    assert (timur.minutes, timur.attended, timur.reason) == (69, False, "too_short")


def test_share_is_per_session_and_audited(ctx, zoomed):
    session, lecturer = _load(zoomed)

    set_share(session, 69, lecturer, utcnow())
    db.session.commit()

    assert _row(zoomed, "timur").attended is True
    entry = db.session.execute(
        db.select(AuditEntry).where(AuditEntry.action == "attendance_rule")
    ).scalar_one()
    assert entry.changes == {"share_percent": [70, 69]}
    with pytest.raises(AttendanceError):
        set_share(session, 0, lecturer, utcnow())


def test_a_name_only_match_is_a_suggestion_until_a_lecturer_confirms_it(ctx, zoomed):
    olga = _row(zoomed, "olga")
    assert (olga.minutes, olga.attended, olga.reason) == (0, False, "suggestion")
    assert olga.suggestions == ["Olga  Smirnova"]
    session, lecturer = _load(zoomed)
    assert [p.name for p in build_sheet(session).unclaimed] == ["Olga  Smirnova"]

    confirm_zoom_name(session, olga.ref, "Olga  Smirnova", lecturer, utcnow())
    db.session.commit()

    olga = _row(zoomed, "olga")
    assert (olga.minutes, olga.attended, olga.zoom_names, olga.suggestions) == (
        95,
        True,
        ["Olga  Smirnova"],
        [],
    )
    assert build_sheet(session).unclaimed == []
    audit = db.session.execute(
        db.select(AuditEntry).where(AuditEntry.action == "attendance_name_confirmed")
    ).scalar_one()
    assert audit.changes == {
        "attendee": [None, "Olga Smirnova"],
        "zoom_name": [None, "Olga  Smirnova"],
    }


def test_a_zoom_name_cannot_be_confirmed_twice_or_made_up(ctx, zoomed):
    session, lecturer = _load(zoomed)
    confirm_zoom_name(session, f"r{zoomed.people['olga']}", "Olga  Smirnova", lecturer, utcnow())

    with pytest.raises(AttendanceError):
        confirm_zoom_name(
            session, f"r{zoomed.people['timur']}", "Olga  Smirnova", lecturer, utcnow()
        )
    with pytest.raises(AttendanceError):
        confirm_zoom_name(session, f"r{zoomed.people['timur']}", "Nobody", lecturer, utcnow())


def test_override_needs_a_reason_and_is_kept_in_the_audit_trail(ctx, zoomed):
    session, lecturer = _load(zoomed)
    ref = f"r{zoomed.people['timur']}"
    with pytest.raises(AttendanceError):
        override(session, ref, Presence.ATTENDED, "  ", lecturer, utcnow())

    override(
        session, ref, Presence.ATTENDED, "Connection dropped; he was there", lecturer, utcnow()
    )
    db.session.commit()

    timur = _row(zoomed, "timur")
    assert (timur.attended, timur.reason, timur.override_reason) == (
        True,
        "override",
        "Connection dropped; he was there",
    )
    audit = db.session.execute(
        db.select(AuditEntry).where(AuditEntry.action == "attendance_overridden")
    ).scalar_one()
    assert (audit.user_id, audit.changes) == (
        lecturer.id,
        {
            "attendee": [None, "Timur Rashidov"],
            "attendance": [None, "attended"],
            "reason": [None, "Connection dropped; he was there"],
        },
    )

    override(session, ref, None, "Back to the rule", lecturer, utcnow())
    db.session.commit()
    assert _row(zoomed, "timur").attended is False


def test_check_in_counts_as_present_and_a_second_tap_changes_nothing(ctx, zoomed):
    session, lecturer = _load(zoomed)
    ref = f"r{zoomed.people['olga']}"

    first = check_in(session, ref, lecturer, utcnow())
    stamp = first.checked_in_at
    check_in(session, ref, lecturer, utcnow() + timedelta(minutes=5))
    db.session.commit()

    olga = _row(zoomed, "olga")
    assert (olga.attended, olga.reason, olga.checked_in_at) == (True, "checked_in", stamp)
    assert db.session.scalar(db.select(db.func.count(AttendanceEntry.id))) == 1


def test_people_not_on_the_list_are_refused(ctx, zoomed, ended_session):
    other = ended_session({"x": ("Someone Else", "else@example.org")})
    session, lecturer = _load(zoomed)

    for ref in (f"r{other.people['x']}", "r999999", "x1", "e1", "r", ""):
        with pytest.raises(AttendanceError):
            check_in(session, ref, lecturer, utcnow())


def test_walk_ins_are_present_and_counted_apart(ctx, zoomed):
    session, lecturer = _load(zoomed)

    add_walk_in(session, "Aziz Walk-In", "Aziz@Example.org", "uz", lecturer, utcnow())
    db.session.commit()

    sheet = build_sheet(session)
    walk_in = [r for r in sheet.rows if r.walk_in]
    assert [(r.name, r.email, r.attended) for r in walk_in] == [
        ("Aziz Walk-In", "aziz@example.org", True)
    ]
    counts = sheet.counts
    assert (counts.registered, counts.attended, counts.absent, counts.walk_ins, counts.rate) == (
        3,
        1,
        2,
        1,
        33,
    )
    with pytest.raises(AttendanceError):  # a registered address is checked in instead
        add_walk_in(session, "Dilnoza", "dilnoza@example.org", "uz", lecturer, utcnow())


def test_finalising_freezes_outcomes_once(ctx, zoomed):
    session, lecturer = _load(zoomed)
    sent: list[int] = []

    def note(session_id: int) -> None:
        sent.append(session_id)

    signals.attendance_finalised.connect(note)
    try:
        assert finalise(session, lecturer, utcnow()) is True
        db.session.commit()
        assert finalise(session, lecturer, utcnow()) is False
        db.session.commit()
    finally:
        signals.attendance_finalised.disconnect(note)

    assert sent == [session.id]
    frozen = {
        e.registration_id: (e.attended, e.minutes)
        for e in db.session.execute(db.select(AttendanceEntry)).scalars()
    }
    assert frozen == {
        zoomed.people["dilnoza"]: (True, 70),
        zoomed.people["timur"]: (False, 69),
        zoomed.people["olga"]: (False, 0),
    }
    assert attendance_counts([session.id])[session.id].attended == 1
    # A stay reported late does not change a finalised outcome by itself.
    db.session.add(stay(zoomed, "b2", "Timur", "timur@example.org", 70, 20))
    db.session.commit()
    assert _row(zoomed, "timur").attended is False


def test_a_change_after_finalising_freezes_again_and_says_so(ctx, zoomed):
    session, lecturer = _load(zoomed)
    finalise(session, lecturer, utcnow())
    db.session.commit()
    sent: list[int] = []

    def note(session_id: int) -> None:
        sent.append(session_id)

    signals.attendance_finalised.connect(note)
    try:
        override(
            session,
            f"r{zoomed.people['olga']}",
            Presence.ATTENDED,
            "Was in the room",
            lecturer,
            utcnow(),
        )
        db.session.commit()
    finally:
        signals.attendance_finalised.disconnect(note)

    assert sent == [session.id]
    assert _row(zoomed, "olga").attended is True
    assert attendance_counts([session.id])[session.id].attended == 2


def test_a_session_not_over_cannot_be_finalised(ctx, open_session):
    session = db.session.get(Session, open_session().id)

    with pytest.raises(AttendanceError):
        finalise(session, None, utcnow())


def test_lists_nobody_finalised_are_finalised_after_the_set_hours(ctx, zoomed):
    session = db.session.get(Session, zoomed.id)
    assert sessions_due_for_finalising(utcnow(), 48) == []
    assert sessions_due_for_finalising(session.ends_at + timedelta(hours=48), 48) == [session.id]
    # Long past (before the catch-up window): left alone.
    assert sessions_due_for_finalising(session.ends_at + timedelta(days=30), 48) == []

    assert finalise_due(0) == 1
    assert finalise_due(0) == 0
    sheet = build_sheet(db.session.get(Session, zoomed.id))
    assert sheet.finalised_at is not None
