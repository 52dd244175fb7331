"""Background work is triggered one way: the domain sends a signal, and the task that
answers it is queued once, after the commit, or not at all when the transaction ends
without one."""

from __future__ import annotations

from webinars.domain import signals
from webinars.domain.sessions.scheduling import reschedule_session
from webinars.extensions import db
from webinars.models import Role, Session

ANNOUNCE = "announce_session_change_task"  # webinars.jobs.registration
TELL = "tell_coordinators_task"  # webinars.jobs.partners: the academies' coordinators


def waiting(queue) -> list[tuple[str, tuple]]:
    """(task name, arguments) of what waits in the queue, by name (the receivers of one
    signal queue theirs in the order they were connected)."""
    return sorted((task.name, task.args) for task in queue.pending())


def test_signal_queues_nothing_before_the_commit(app, queue, make_session):
    session = make_session()
    queue.flush()  # what the session's creation queued
    with app.app_context():
        signals.session_changed.send(session.id)

        queued = queue.pending_count()
        db.session.commit()

    assert queued == 0


def test_signal_sent_twice_queues_one_task_after_the_commit(app, queue, make_session):
    session = make_session()
    queue.flush()
    with app.app_context():
        signals.session_changed.send(session.id)
        signals.session_changed.send(session.id)

        db.session.commit()

    assert waiting(queue) == [(ANNOUNCE, (session.id,)), (TELL, (session.id,))]


def test_rollback_forgets_what_the_transaction_signalled(app, queue, make_session):
    session = make_session()
    queue.flush()
    with app.app_context():
        signals.session_changed.send(session.id)
        db.session.rollback()

        db.session.commit()

    assert waiting(queue) == []


def test_domain_operation_queues_its_follow_up_without_being_asked(app, queue, make_session):
    session = make_session()
    queue.flush()
    with app.app_context():
        row = db.session.get(Session, session.id)
        reschedule_session(row, row.starts_at.replace(tzinfo=None), "Europe/Samara", 60, None)

        db.session.commit()

    assert waiting(queue) == [(ANNOUNCE, (session.id,)), (TELL, (session.id,))]


def test_view_that_saves_a_session_leaves_the_follow_up_to_the_commit(
    app, queue, make_session, make_user, login
):
    lecturer = make_user(Role.LECTURER)
    session = make_session(actor=lecturer)
    queue.flush()
    client = login(lecturer)

    response = client.post(
        f"/manage/sessions/{session.id}/cancel", data={"reason": "The lecturer is ill"}
    )

    assert response.status_code == 302
    assert waiting(queue) == [(ANNOUNCE, (session.id,)), (TELL, (session.id,))]
