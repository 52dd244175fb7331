"""The audit trail: who changed what on a session, and when."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from tests.fixtures.sessions import NOW, at
from webinars.domain.sessions.rules import GuestInput
from webinars.domain.sessions.scheduling import (
    cancel_session,
    input_from_session,
    reschedule_session,
    update_session,
)
from webinars.extensions import db
from webinars.models import AuditEntry, Session, User

LATER = NOW + timedelta(hours=1)


def _entries(session_id: int) -> list[AuditEntry]:
    """Stored entries, newest first, as the session page shows them."""
    db.session.expire_all()
    return db.session.get(Session, session_id).audit_entries


def _edit(session: Session, actor: User | None, now=LATER, **fields) -> dict:
    data = replace(input_from_session(session), **fields)
    changes = update_session(session, data, actor, now)
    db.session.commit()
    return changes


def test_audit_created_entry_records_who_when_and_values(store, make_user):
    admin = make_user(name="Dilnoza Karimova")

    session = store(actor=admin, title="Pediatric cardiology update")

    [entry] = _entries(session.id)
    assert (entry.action, entry.user_id, entry.at) == ("created", admin.id, NOW)
    assert entry.user.name == "Dilnoza Karimova"
    assert entry.changes["title"] == [None, "Pediatric cardiology update"]
    assert entry.changes["starts_at"] == [None, "2026-01-20T09:00:00+00:00"]
    assert entry.changes["lecturers"] == [None, ["Dilnoza Karimova"]]


def test_audit_edited_entry_holds_only_changed_fields(store, make_user):
    lecturer = make_user()
    session = store(actor=lecturer, title="Old title", description="")

    changes = _edit(session, lecturer, title="New title", description="Read chapter 3.")

    expected = {"title": ["Old title", "New title"], "description": ["", "Read chapter 3."]}
    assert changes == expected
    newest = _entries(session.id)[0]
    assert (newest.action, newest.user_id, newest.at) == ("edited", lecturer.id, LATER)
    assert newest.changes == expected


def test_audit_rescheduled_entry_holds_old_and_new_times(store, make_user):
    lecturer = make_user()
    session = store(actor=lecturer)

    reschedule_session(session, at(16), "Asia/Samarkand", 60, lecturer, LATER)
    db.session.commit()

    newest = _entries(session.id)[0]
    assert newest.action == "rescheduled"
    assert newest.changes == {
        "starts_at": ["2026-01-20T09:00:00+00:00", "2026-01-20T11:00:00+00:00"],
        "ends_at": ["2026-01-20T10:30:00+00:00", "2026-01-20T12:00:00+00:00"],
    }


def test_audit_edit_moving_start_is_recorded_as_rescheduled(store, make_user):
    lecturer = make_user()
    session = store(actor=lecturer)

    _edit(session, lecturer, starts_local=at(15), title="Moved and renamed")

    assert _entries(session.id)[0].action == "rescheduled"


def test_audit_edit_changing_only_duration_is_edited(store, make_user):
    lecturer = make_user()
    session = store(actor=lecturer)

    _edit(session, lecturer, duration_minutes=45)

    newest = _entries(session.id)[0]
    assert newest.action == "edited"
    assert list(newest.changes) == ["ends_at"]


def test_audit_cancelled_entry_holds_status_and_reason(store, make_user):
    lecturer = make_user()
    session = store(actor=lecturer)

    cancel_session(session, "  The lecturer is ill.  ", lecturer, LATER)
    db.session.commit()

    newest = _entries(session.id)[0]
    assert (newest.action, newest.user_id, newest.at) == ("cancelled", lecturer.id, LATER)
    assert newest.changes == {
        "status": ["scheduled", "cancelled"],
        "cancel_reason": [None, "The lecturer is ill."],
    }


def test_audit_no_entry_for_save_without_change(store, make_user):
    lecturer = make_user()
    session = store(actor=lecturer)

    changes = _edit(session, lecturer)

    assert changes == {}
    assert [e.action for e in _entries(session.id)] == ["created"]


def test_audit_no_entry_for_same_lecturers_in_other_order(store, make_user):
    first, second = make_user(name="Aziz Rakhimov"), make_user(name="Barno Yusupova")
    session = store(actor=first, lecturer_ids=[first.id, second.id])

    changes = _edit(session, first, lecturer_ids=[second.id, first.id])

    assert changes == {}
    assert [e.action for e in _entries(session.id)] == ["created"]


def test_audit_no_entry_for_same_academies_in_other_order(store, make_user, izhevsk, shymkent):
    lecturer = make_user()
    session = store(actor=lecturer, academy_ids=[izhevsk.id, shymkent.id])

    changes = _edit(session, lecturer, academy_ids=[shymkent.id, izhevsk.id])

    assert changes == {}
    assert [e.action for e in _entries(session.id)] == ["created"]


def test_audit_records_lecturer_added(store, make_user):
    first, second = make_user(name="Aziz Rakhimov"), make_user(name="Barno Yusupova")
    session = store(actor=first, lecturer_ids=[first.id])

    changes = _edit(session, first, lecturer_ids=[first.id, second.id])

    assert changes == {"lecturers": [["Aziz Rakhimov"], ["Aziz Rakhimov", "Barno Yusupova"]]}


def test_audit_records_guest_affiliation_change(store, make_user):
    lecturer = make_user()
    session = store(actor=lecturer, guests=[GuestInput("Dr Ivanova", "Izhevsk SMA")])

    changes = _edit(session, lecturer, guests=[GuestInput("Dr Ivanova", "Kazan SMU")])

    assert changes == {"guest_speakers": [["Dr Ivanova (Izhevsk SMA)"], ["Dr Ivanova (Kazan SMU)"]]}
    assert _entries(session.id)[0].action == "edited"


def test_audit_entries_newest_first_with_system_actor(store, make_user):
    lecturer = make_user()
    session = store(actor=lecturer)
    _edit(session, lecturer, title="Second")
    _edit(session, None, now=LATER + timedelta(minutes=5), title="Third")

    entries = _entries(session.id)

    assert [e.action for e in entries] == ["edited", "edited", "created"]
    assert [e.user_id for e in entries] == [None, lecturer.id, lecturer.id]
    assert [e.changes.get("title") for e in entries] == [
        ["Second", "Third"],
        ["Pediatric cardiology update", "Second"],
        [None, "Pediatric cardiology update"],
    ]


def test_audit_edit_sets_updated_at(store, make_user):
    lecturer = make_user()
    session = store(actor=lecturer)

    _edit(session, lecturer, title="Renamed")

    db.session.expire_all()
    assert db.session.get(Session, session.id).updated_at == LATER
