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
