"""Session moved or cancelled, reminders, and forgetting personal data."""

from __future__ import annotations

from datetime import timedelta

from icalendar import Calendar

from tests.fixtures.registration import outbox, person
from webinars.domain.mail.outbox import deliver_due
from webinars.domain.registration.notices import prepare
from webinars.domain.registration.register import cancel
from webinars.domain.registration.reminders import queue_due_reminders
from webinars.domain.registration.retention import anonymise_after
from webinars.domain.sessions.scheduling import cancel_session, reschedule_session
from webinars.extensions import db
from webinars.jobs import registration as registration_jobs
from webinars.models import MailStatus, OutboxMessage, Registration, Role, Session, utcnow


def _announce_again(session_id: int) -> None:
    """The announcement task once more (a retry, or a second worker), as the queue runs it."""
    registration_jobs.announce_session_change_task(session_id)


def _event(message: OutboxMessage):
    calendar = Calendar.from_ical(message.attachment)
    (event,) = calendar.walk("VEVENT")
    return calendar, event


def test_moving_a_session_sends_an_updated_invitation_with_higher_sequence(
    app, open_session, make_user, enrol
):
    lecturer = make_user(Role.LECTURER)
    session = open_session(actor=lecturer)
    enrol(session.id, person(1), added_by=lecturer)  # confirmed seat
    enrol(session.id, person(2))  # held, unconfirmed
    first = outbox(app, kind="confirmed")[0]
    _, before = _event(first)

    with app.app_context():
        row = db.session.get(Session, session.id)
        new_start = row.starts_at + timedelta(days=1)
        reschedule_session(
            row, new_start.replace(tzinfo=None) + timedelta(hours=5), "Asia/Samarkand", 90, None
        )
        db.session.commit()  # queues the announcement (run at once: tests' queue is immediate)

    moved = outbox(app, kind="session_moved")
    assert sorted(m.to_address for m in moved) == ["student1@example.org", "student2@example.org"]
    invited = [m for m in moved if m.attachment]
    assert [m.to_address for m in invited] == ["student1@example.org"]
    calendar, after = _event(invited[0])
    assert calendar["METHOD"] == "REQUEST"
    assert after["UID"] == before["UID"]
    assert int(after["SEQUENCE"]) > int(before["SEQUENCE"])
    assert after["DTSTART"].dt == new_start
    _announce_again(session.id)  # told once per version
    assert len(outbox(app, kind="session_moved")) == 2


def test_cancelling_a_session_sends_method_cancel_and_stops_reminders(
    app, open_session, make_user, enrol
):
    lecturer = make_user(Role.LECTURER)
    session = open_session(actor=lecturer)
    seated = enrol(session.id, person(1), added_by=lecturer)

    with app.app_context():
        cancel_session(db.session.get(Session, session.id), "The lecturer is ill", None)
        db.session.commit()

    (message,) = outbox(app, kind="session_cancelled")
    assert message.attachment_type.startswith("text/calendar; method=CANCEL")
    calendar, event = _event(message)
    assert calendar["METHOD"] == "CANCEL"
    assert "The lecturer is ill" in message.text_body
    with app.app_context():
        row = db.session.get(Session, session.id)
        assert queue_due_reminders(row.starts_at - timedelta(minutes=30)) == 0
        assert db.session.get(Registration, seated.id).status.value == "confirmed"


def test_reminders_come_once_each_in_their_window(app, open_session, make_user, enrol):
    lecturer = make_user(Role.LECTURER)
    session = open_session(actor=lecturer)
    enrol(session.id, person(1), added_by=lecturer)
    start = session.starts_at

    with app.app_context():
        counts = [
            queue_due_reminders(start - timedelta(hours=25)),  # too early
            queue_due_reminders(start - timedelta(hours=23)),  # the 24-hour one
            queue_due_reminders(start - timedelta(hours=22)),  # already queued
            queue_due_reminders(start - timedelta(minutes=59)),  # the 1-hour one
            queue_due_reminders(start + timedelta(minutes=1)),  # started: nothing
        ]
        db.session.commit()

    assert counts == [0, 1, 0, 1, 0]
    assert [m.kind for m in outbox(app) if m.kind.startswith("reminder")] == [
        "reminder_24h",
        "reminder_1h",
    ]


def test_no_reminder_for_a_registration_made_after_its_moment(app, open_session, make_user, enrol):
    lecturer = make_user(Role.LECTURER)
    session = open_session(actor=lecturer)
    start = session.starts_at
    enrol(session.id, person(1), start - timedelta(hours=3), added_by=lecturer)

    with app.app_context():
        late_24h = queue_due_reminders(start - timedelta(hours=2))
        one_hour = queue_due_reminders(start - timedelta(minutes=30))
        db.session.commit()

    assert (late_24h, one_hour) == (0, 1)


def test_reminder_is_replanned_when_the_session_moves(app, open_session, make_user, enrol):
    lecturer = make_user(Role.LECTURER)
    session = open_session(actor=lecturer)
    enrol(session.id, person(1), utcnow(), added_by=lecturer)
    start = session.starts_at
    with app.app_context():
        queue_due_reminders(start - timedelta(hours=23))
        db.session.commit()
        row = db.session.get(Session, session.id)
        later = row.starts_at + timedelta(days=2)
        reschedule_session(
            row, later.replace(tzinfo=None) + timedelta(hours=5), "Asia/Samarkand", 90, None
        )
        db.session.commit()

    (old,) = outbox(app, kind="reminder_24h")
    assert old.status is MailStatus.DROPPED
    with app.app_context():
        assert queue_due_reminders(later - timedelta(hours=23)) == 1
        db.session.commit()
    assert [m.status for m in outbox(app, kind="reminder_24h")] == [
        MailStatus.DROPPED,
        MailStatus.PENDING,
    ]


def test_reminder_of_a_cancelled_registration_is_never_sent(app, open_session, make_user, enrol):
    lecturer = make_user(Role.LECTURER)
    session = open_session(actor=lecturer)
    seated = enrol(session.id, person(1), added_by=lecturer)
    with app.app_context():
        queue_due_reminders(session.starts_at - timedelta(hours=23))
        db.session.commit()
        (reminder,) = outbox(app, kind="reminder_24h")
        cancel(db.session.get(Registration, seated.id))
        db.session.commit()
        sent: list[int] = []
        deliver_due(lambda m: sent.append(m.id), prepare=prepare)

    assert reminder.id not in sent
    assert outbox(app, kind="reminder_24h")[0].status is MailStatus.DROPPED


def test_personal_data_is_forgotten_after_the_retention_period(app, open_session, enrol):
    session = open_session()
    held = enrol(session.id, person(1))
    ends = session.ends_at

    with app.app_context():
        early = anonymise_after(ends + timedelta(days=179), 180)
        late = anonymise_after(ends + timedelta(days=181), 180)
        db.session.commit()
        row = db.session.get(Registration, held.id)
        left = db.session.query(OutboxMessage).count()
        counted = db.session.query(Registration).filter_by(session_id=session.id).count()

    assert (early, late) == (0, 1)
    assert (row.email, row.full_name, row.token_hash) == (None, None, None)
    assert row.status.value == "held" and row.anonymised_at is not None
    assert (left, counted) == (0, 1)


def test_retention_removes_personal_feed_addresses_nobody_else_names(
    app, open_session, make_user, enrol
):
    from webinars.domain.calendars import tokens as feed_tokens
    from webinars.models import FeedScope, FeedToken

    lecturer = make_user(Role.LECTURER)
    old = open_session(actor=lecturer)
    enrol(old.id, person(1), added_by=lecturer)
    enrol(old.id, person(2), added_by=lecturer)
    with app.app_context():
        feed_tokens.issue_token(FeedScope.PERSONAL, subject="student1@example.org")
        feed_tokens.issue_token(FeedScope.PERSONAL, subject="student2@example.org")
        db.session.commit()
    newer = open_session(actor=lecturer, title="A later class")
    enrol(newer.id, person(2), added_by=lecturer)  # student 2 is still known afterwards
    with app.app_context():
        db.session.execute(
            db.update(Session)
            .where(Session.id == newer.id)
            .values(
                starts_at=old.starts_at + timedelta(days=400),
                ends_at=old.ends_at + timedelta(days=400),
            )
        )
        db.session.commit()

        anonymise_after(old.ends_at + timedelta(days=181), 180)
        db.session.commit()
        left = sorted(db.session.execute(db.select(FeedToken.subject)).scalars())

    assert left == ["student2@example.org"]
