"""Certificates are issued in the worker, once per holder, from stored data."""

from __future__ import annotations

from webinars.domain.attendance.changes import finalise, override
from webinars.domain.certificates.issue import issue_for_session
from webinars.extensions import db
from webinars.jobs.certificates import issue_and_render
from webinars.models import (
    Certificate,
    CertificateKind,
    OutboxMessage,
    Presence,
    Session,
    User,
    utcnow,
)


def _certificates(session_id: int) -> list[Certificate]:
    db.session.expire_all()
    return list(
        db.session.execute(
            db.select(Certificate)
            .where(Certificate.session_id == session_id)
            .order_by(Certificate.id)
        ).scalars()
    )


def test_finalising_issues_a_certificate_to_each_attendee_and_lecturer(ctx, certified):
    ended = certified()

    certificates = _certificates(ended.id)

    students = {c.holder_name: c for c in certificates if c.kind is CertificateKind.ATTENDANCE}
    assert sorted(students) == sorted(["Алексей Иванов", "Oʻgʻiloy Toʻxtayeva", "Emma Brown"])
    assert {c.holder_name: c.locale for c in students.values()} == {
        "Алексей Иванов": "ru",
        "Oʻgʻiloy Toʻxtayeva": "uz",
        "Emma Brown": "en",
    }
    teaching = [c for c in certificates if c.kind is CertificateKind.TEACHING]
    assert [(c.holder_name, c.data["students"]) for c in teaching] == [("Lecturer", 3)]
    assert all(c.pdf and c.pdf.startswith(b"%PDF") for c in certificates)
    assert len({c.number for c in certificates}) == len({c.code for c in certificates}) == 4
    assert all(len(c.code) >= 22 for c in certificates)
    mail = db.session.execute(
        db.select(OutboxMessage.to_address).where(OutboxMessage.kind == "certificate")
    ).scalars()
    assert sorted(mail) == sorted(
        ["alexey@example.org", "ogiloy@example.org", "emma@example.org", ended.lecturer.email]
    )


def test_finalising_twice_or_running_the_task_again_issues_nothing_new(ctx, certified):
    ended = certified()
    before = [(c.id, c.number) for c in _certificates(ended.id)]
    session = db.session.get(Session, ended.id)

    assert finalise(session, None, utcnow()) is False
    db.session.commit()
    assert issue_and_render(ended.id) == (0, 0)
    assert issue_for_session(ended.id, utcnow()) == []

    assert [(c.id, c.number) for c in _certificates(ended.id)] == before
    assert db.session.scalar(
        db.select(db.func.count(OutboxMessage.id)).where(OutboxMessage.kind == "certificate")
    ) == len(before)


def test_a_person_marked_present_after_finalising_gets_one_certificate(ctx, certified):
    ended = certified()
    session = db.session.get(Session, ended.id)
    lecturer = db.session.get(User, ended.lecturer.id)

    override(
        session, f"r{ended.people['absent']}", Presence.ATTENDED, "In the room", lecturer, utcnow()
    )
    db.session.commit()  # the queue runs the task at the commit
    override(session, f"r{ended.people['absent']}", Presence.ATTENDED, "Still", lecturer, utcnow())
    db.session.commit()

    names = [c.holder_name for c in _certificates(ended.id)]
    assert names.count("Absent Student") == 1


def test_no_certificates_before_the_attendance_is_final(ctx, ended_session):
    ended = ended_session({"x": ("Student X", "x@example.org")})

    assert issue_for_session(ended.id, utcnow()) == []
    assert _certificates(ended.id) == []


def test_a_later_change_to_the_session_does_not_change_an_issued_certificate(ctx, certified):
    ended = certified()
    emma = next(c for c in _certificates(ended.id) if c.holder_name == "Emma Brown")
    pdf, data = emma.pdf, dict(emma.data)

    db.session.get(Session, ended.id).title = "A new title"
    db.session.commit()
    issue_and_render(ended.id)

    emma = db.session.get(Certificate, emma.id)
    assert (emma.pdf, emma.data) == (pdf, data)
    assert data["title"] == "Pediatric cardiology update"


def test_two_workers_at_once_never_give_anyone_a_second_number(app, queue, ended_session):
    from tests.fixtures.attendance import stay
    from tests.fixtures.registration import all_at_once
    from webinars import create_app

    ended = ended_session({f"s{n}": (f"Student {n}", f"s{n}@example.org") for n in range(6)})
    with app.app_context():
        for n in range(6):
            db.session.add(stay(ended, f"k{n}", f"Student {n}", f"s{n}@example.org", 0, 90))
        db.session.commit()
        finalise(db.session.get(Session, ended.id), None, utcnow())
        db.session.commit()  # the task waits in the queue: the two "workers" below race
    other = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
            "HUEY_SQLITE_PATH": app.config["HUEY_SQLITE_PATH"] + "-other",
        }
    )

    results = all_at_once(other, [lambda: len(issue_for_session(ended.id, utcnow()))] * 2)

    issued = [r for r in results if isinstance(r, int)]
    assert sorted(issued)[-1] == 7  # six students and the lecturer, by one of them
    with app.app_context():
        keys = (
            db.session.execute(
                db.select(Certificate.issue_key).where(Certificate.session_id == ended.id)
            )
            .scalars()
            .all()
        )
    assert len(keys) == len(set(keys)) == 7
