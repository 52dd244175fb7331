"""Benchmark: certificates for a session of 300 attendees, issued in the worker.

    .venv/bin/python bench/certificates.py [--attendees 300] [--database-url URL]

On a scratch SQLite file (or the PostgreSQL database given, whose tables are dropped and
created: use one of your own), it makes a 90-minute master class with two lecturers, a
guest speaker, two partner academies and N registrants (names in Russian, Uzbek Latin and
English, each in their own language) who were in its Zoom meeting, finalises the
attendance, and runs the worker's task (jobs.certificates.issue_and_render: issue once,
write every PDF, queue every email). It prints the CPU and wall time per certificate and
the PDFs' sizes, against a baseline in the same run: rendering the same certificates as
an HTML page (templates/certificates/print.html, the lecturers' view of one certificate).
Not a test: it prints figures and never fails on a number.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

NAMES = (
    "Алексей Иванов",
    "Oʻgʻiloy Toʻxtayeva",
    "Emma Brown",
    "Гульнара Ахмедова",
    "Gʻayrat Qodirov",
)
LOCALES = ("ru", "uz", "en", "ru", "uz")


def _seed(attendees: int) -> int:
    """The session, its people and their Zoom stays; returns the session's id."""
    from webinars.domain.accounts.staff import create_user
    from webinars.domain.registration.manage_links import new_link_values
    from webinars.extensions import db
    from webinars.models import (
        Conference,
        GuestSpeaker,
        PartnerAcademy,
        Registration,
        RegistrationStatus,
        Role,
        Session,
        SessionKind,
        SessionStatus,
        Visibility,
        ZoomAttendance,
        utcnow,
    )

    izhevsk = PartnerAcademy(
        slug="izhevsk",
        name_en="Izhevsk State Medical Academy",
        name_ru="Ижевская государственная медицинская академия",
        country="RU",
        city="Izhevsk",
        time_zone="Europe/Samara",
        language="ru",
    )
    shymkent = PartnerAcademy(
        slug="shymkent",
        name_en="South Kazakhstan Medical Academy",
        name_ru="Южно-Казахстанская медицинская академия",
        country="KZ",
        city="Shymkent",
        time_zone="Asia/Almaty",
        language="ru",
    )
    db.session.add_all([izhevsk, shymkent])
    lecturers = [
        create_user(f"lecturer{n}@example.org", name, "bench password 1", Role.LECTURER)
        for n, name in enumerate(("Dilnoza Rashidova", "Иван Петров"))
    ]
    ends = utcnow() - timedelta(hours=2)
    session = Session(
        kind=SessionKind.MASTER_CLASS,
        title="Neonatal resuscitation: the first ten minutes",
        language="en",
        starts_at=ends - timedelta(minutes=90),
        ends_at=ends,
        time_zone="Asia/Samarkand",
        capacity=None,
        status=SessionStatus.SCHEDULED,
        visibility=Visibility.PUBLIC,
        conference=Conference.ZOOM,
        lecturers=lecturers,
        academies=[izhevsk, shymkent],
    )
    session.guest_speakers.append(GuestSpeaker(name="Dr Olga Smirnova", affiliation="Izhevsk"))
    db.session.add(session)
    db.session.flush()
    for n in range(attendees):
        email = f"student{n}@example.org"
        db.session.add(
            Registration(
                session_id=session.id,
                email=email,
                full_name=f"{NAMES[n % 5]} {n}",
                academy_id=(izhevsk if n % 2 else shymkent).id,
                locale=LOCALES[n % 5],
                status=RegistrationStatus.CONFIRMED,
                confirmed_at=ends - timedelta(days=3),
                **new_link_values(),
            )
        )
        db.session.add(
            ZoomAttendance(
                session_id=session.id,
                meeting_id=81234567890,
                participant_key=f"p{n}",
                name=NAMES[n % 5],
                email=email,
                joined_at=session.starts_at,
                left_at=session.starts_at + timedelta(minutes=85),
                minutes=85,
            )
        )
    db.session.commit()
    return session.id


def _baseline(certificates) -> float:
    """CPU seconds to render every certificate's HTML page."""
    from webinars.web.certificates import render_view

    start = time.process_time()
    for certificate in certificates:
        render_view(certificate)
    return time.process_time() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--attendees", type=int, default=300)
    parser.add_argument("--database-url")
    args = parser.parse_args()
    os.environ.setdefault("SELF_CHECK", "warn")
    with tempfile.TemporaryDirectory() as tmp:
        from webinars import create_app
        from webinars.extensions import db

        url = args.database_url or f"sqlite:///{Path(tmp) / 'bench.sqlite3'}"
        app = create_app({"SQLALCHEMY_DATABASE_URI": url, "HUEY_SQLITE_PATH": f"{tmp}/huey.db"})
        with app.app_context():
            db.drop_all()
            db.create_all()
            _run(app, args.attendees)
            db.session.remove()
            db.drop_all()


def _run(app, attendees: int) -> None:
    from webinars.domain.attendance.changes import finalise
    from webinars.extensions import db, huey
    from webinars.jobs.certificates import issue_and_render
    from webinars.models import Certificate, OutboxMessage, Session, utcnow

    session_id = _seed(attendees)
    huey.immediate = False  # finalising queues the task; the benchmark runs it as the worker
    finalise(db.session.get(Session, session_id), None, utcnow())
    db.session.commit()

    wall, cpu = time.perf_counter(), time.process_time()
    with app.test_request_context():
        issued, rendered = issue_and_render(session_id)
    cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    again = issue_and_render(session_id)

    certificates = (
        db.session.execute(db.select(Certificate).order_by(Certificate.id)).scalars().all()
    )
    sizes = [len(c.pdf) for c in certificates]
    mails = db.session.scalar(db.select(db.func.count(OutboxMessage.id)))
    with app.test_request_context():
        _baseline(certificates[:10])  # warm the templates
        html_cpu = _baseline(certificates)
    per_pdf, per_html = cpu / rendered, html_cpu / len(certificates)
    print(
        f"certificates issued: {issued} ({attendees} attendees + teaching), "
        f"PDFs rendered: {rendered}, emails queued: {mails}"
    )
    print(f"running the task again: {again[0]} issued, {again[1]} rendered (idempotent)")
    print(f"worker task: {wall:.2f} s wall, {cpu:.2f} s CPU")
    print(f"per certificate: {per_pdf * 1000:.1f} ms CPU, {wall / rendered * 1000:.1f} ms wall")
    print(
        f"PDF size: mean {statistics.mean(sizes) / 1024:.1f} KiB, "
        f"min {min(sizes) / 1024:.1f} KiB, max {max(sizes) / 1024:.1f} KiB, "
        f"all {sum(sizes) / 1024 / 1024:.1f} MiB"
    )
    print(f"baseline, the same certificate as an HTML page: {per_html * 1000:.2f} ms CPU")
    print(f"ratio PDF / HTML (CPU per certificate): {per_pdf / per_html:.1f}x")


if __name__ == "__main__":
    main()
