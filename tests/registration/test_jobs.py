"""The worker's periodic jobs, run as the worker runs them (call_local)."""

from __future__ import annotations

from datetime import timedelta

from tests.fixtures.registration import person
from webinars.domain.registration.confirmation import confirm
from webinars.extensions import db
from webinars.jobs import mail as mail_jobs
from webinars.jobs import registration as registration_jobs
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

    mail_jobs.deliver_mail_periodically.call_local()

    with mail_app.app_context():
        (row,) = db.session.execute(db.select(OutboxMessage)).scalars()
        assert row.status is MailStatus.SENT and row.subject.startswith("Confirm")
    assert len(mailbox.messages) == 1


def test_without_mail_server_mail_stays_in_the_outbox(app, open_session, enrol):
    session = open_session()
    enrol(session.id, person(1))

    mail_jobs.deliver_mail_periodically.call_local()

    with app.app_context():
        (row,) = db.session.execute(db.select(OutboxMessage)).scalars()
        assert row.status is MailStatus.PENDING


def test_a_storm_of_new_mail_queues_one_delivery_at_a_time(
    mail_app, mailbox, queue, open_session, enrol
):
    """Each delivery sends all that is due, so one waiting task is enough; once it has
    started, new mail queues the next one (nothing waits for the periodic pass). Each
    sign-up's commit queues the delivery: nobody calls it by hand."""
    session = open_session()
    queue.flush()  # the new session's own announcement task; deliveries are counted here
    for n in range(5):
        enrol(session.id, person(n))
    assert queue.pending_count() == 1

    queue.execute(queue.dequeue())

    assert len(mailbox.messages) == 5
    enrol(session.id, person(6))
    assert queue.pending_count() == 1
    queue.execute(queue.dequeue())
    assert len(mailbox.messages) == 6


def test_an_unreachable_queue_does_not_fail_the_request(mail_app, queue, monkeypatch, caplog):
    def down(key):
        raise ConnectionError("queue storage unreachable")

    monkeypatch.setattr(queue.storage, "has_data_for_key", down)
    with mail_app.app_context():
        mail_jobs.queue_delivery()  # no exception: the mail is already committed

    assert queue.pending_count() == 0
    assert "could not queue a delivery" in caplog.text
