"""duplicate_input: a copy to start from, a draft one week later at the same local time."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from tests.fixtures.sessions import NOW, at
from webinars.domain.sessions.rules import GuestInput
from webinars.domain.sessions.scheduling import cancel_session, create_session, duplicate_input
from webinars.extensions import db
from webinars.models import Session, SessionKind, SessionStatus, User, Visibility

WEEK = timedelta(days=7)


def test_duplicate_input_is_draft_a_week_later_with_same_content(store, make_user, izhevsk):
    lecturer = make_user()
    source = store(
        actor=lecturer,
        kind=SessionKind.MASTER_CLASS,
        title="Neonatal resuscitation",
        description="Hands-on.",
        language="ru",
        capacity=16,
        visibility=Visibility.PARTNERS,
        academy_ids=[izhevsk.id],
        guests=[GuestInput("Dr Ivanova", "Izhevsk SMA", izhevsk.id)],
    )

    data = duplicate_input(source)

    assert data.status is SessionStatus.DRAFT
    assert data.starts_local == at(14) + WEEK
    assert (data.time_zone, data.duration_minutes) == ("Asia/Samarkand", 90)
    assert (data.kind, data.title, data.description, data.language, data.capacity) == (
        SessionKind.MASTER_CLASS,
        "Neonatal resuscitation",
        "Hands-on.",
        "ru",
        16,
    )
    assert (data.lecturer_ids, data.academy_ids) == ([lecturer.id], [izhevsk.id])
    assert data.guests == [GuestInput("Dr Ivanova", "Izhevsk SMA", izhevsk.id)]
    assert data.visibility is Visibility.PARTNERS
    assert source.join_url and data.join_url is None  # the copy gets a meeting of its own


def test_duplicate_input_shifts_registration_window_by_a_week(store):
    source = store(registration_opens_local=at(9) - WEEK, registration_closes_local=at(12))

    data = duplicate_input(source)

    assert data.registration_opens_local == at(9)
    assert data.registration_closes_local == at(12) + WEEK


def test_duplicate_input_keeps_local_time_across_clock_change(store):
    # Berlin goes to summer time on 2026-03-29: the copy stays at 14:00 local, an hour
    # earlier in UTC.
    source = store(starts_local=datetime(2026, 3, 24, 14, 0), time_zone="Europe/Berlin")

    data = duplicate_input(source)

    assert data.starts_local == datetime(2026, 3, 31, 14, 0)
    data.join_url = "https://meet.example.org/the-copy"
    copy = create_session(data, None, now=NOW)
    assert copy.starts_at - source.starts_at == WEEK - timedelta(hours=1)


def test_duplicate_input_of_cancelled_session_is_draft(store):
    source = store()
    cancel_session(source, "The lecturer is ill.", None, NOW)
    db.session.commit()

    data = duplicate_input(source)

    assert data.status is SessionStatus.DRAFT


def test_duplicate_saved_is_new_session_and_source_untouched(store, make_user):
    lecturer = make_user()
    source = store(actor=lecturer)
    source_entries = len(source.audit_entries)

    data = duplicate_input(source)
    data.join_url = "https://meet.example.org/the-copy"
    copy = create_session(data, db.session.get(User, lecturer.id), now=NOW)
    db.session.commit()

    db.session.expire_all()
    copy, source = db.session.get(Session, copy.id), db.session.get(Session, source.id)
    assert copy.id != source.id
    assert (copy.status, copy.sequence) == (SessionStatus.DRAFT, 0)
    assert copy.starts_at == datetime(2026, 1, 27, 9, 0, tzinfo=UTC)
    assert [e.action for e in copy.audit_entries] == ["created"]
    assert len(source.audit_entries) == source_entries
    assert source.status is SessionStatus.SCHEDULED
