"""The worker's periodic jobs, run as the worker runs them (call_local)."""

from __future__ import annotations

from datetime import timedelta

from tests.registration.conftest import person
from webinars import registration_jobs
from webinars.domain.registration import confirm
from webinars.extensions import db
from webinars.models import MailStatus, OutboxMessage, Registration, RegistrationStatus, utcnow


def test_release_expired_holds_job_moves_the_seat_on(app, open_session, enrol, monkeypatch):
    session = open_session(capacity=1)
    past = utcnow() - timedelta(days=2)
    monkeypatch.setitem(app.config, "REGISTRATION_HOLD_HOURS", 1)
    held = enrol(session.id, person(1), past)  # held two days ago, never confirmed
    waiting = enrol(session.id, person(2))
    with app.app_context():
        confirm(db.session.get(Registration, waiting.id))
        db.session.commit()

    registration_jobs.release_expired_holds.call_local()

    with app.app_context():
        assert db.session.get(Registration, held.id).status is RegistrationStatus.EXPIRED
        assert db.session.get(Registration, waiting.id).status is RegistrationStatus.CONFIRMED


def test_deliver_job_sends_through_smtp_and_marks_sent(mail_app, mailbox, open_session, enrol):
    session = open_session()
    enrol(session.id, person(1))

    registration_jobs.deliver_mail_periodically.call_local()

    with mail_app.app_context():
        (row,) = db.session.execute(db.select(OutboxMessage)).scalars()
        assert row.status is MailStatus.SENT and row.subject.startswith("Confirm")
    assert len(mailbox.messages) == 1


def test_without_mail_server_mail_stays_in_the_outbox(app, open_session, enrol):
    session = open_session()
    enrol(session.id, person(1))

    registration_jobs.deliver_mail_periodically.call_local()

    with app.app_context():
        (row,) = db.session.execute(db.select(OutboxMessage)).scalars()
        assert row.status is MailStatus.PENDING
