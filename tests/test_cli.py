"""flask commands: seed-demo and create-user."""

from __future__ import annotations

import re

import pytest

from webinars.demo import PAST_MASTER_CLASS, PEOPLE
from webinars.demo_history import HISTORY_DESCRIPTION
from webinars.domain.attendance.sheet import build_sheet
from webinars.extensions import db
from webinars.models import (
    SEAT_STATUSES,
    AttendanceEntry,
    AttendanceSheet,
    AuditEntry,
    Certificate,
    GuestSpeaker,
    PartnerAcademy,
    Registration,
    Role,
    Session,
    SessionKind,
    SessionStatus,
    User,
    utcnow,
)

# Reasons that say a person was present; the others say they were not, except a
# lecturer's decision and "frozen" (details forgotten), which say either.
ATTENDED_REASONS = {"checked_in", "zoom"}
EITHER_REASONS = {"override", "frozen"}
CYRILLIC = re.compile("[\u0400-\u04ff]")


def _counts(app) -> dict[str, int]:
    with app.app_context():
        return {
            model.__name__: db.session.execute(
                db.select(db.func.count()).select_from(model)
            ).scalar_one()
            for model in (User, PartnerAcademy, Session, AuditEntry, GuestSpeaker)
        }


def test_seed_demo_is_idempotent(app, runner):
    first = runner.invoke(args=["seed-demo"])
    after_first = _counts(app)
    second = runner.invoke(args=["seed-demo"])

    assert (first.exit_code, second.exit_code) == (0, 0), first.output + second.output
    assert _counts(app) == after_first
    assert after_first["Session"] > 0
    assert "(0 new sessions)" in second.output


def test_seed_demo_prints_the_sign_ins(runner):
    result = runner.invoke(args=["seed-demo"])

    assert "/login" in result.output
    for email, _name, role, _slug, password in PEOPLE:
        line = next(line for line in result.output.splitlines() if email in line)
        assert line.split() == [role.value, email, password]


def test_seed_demo_sign_ins_work(runner, client):
    runner.invoke(args=["seed-demo"])

    for email, _name, _role, _slug, password in PEOPLE:
        response = client.post("/login", data={"email": email, "password": password})
        assert response.status_code == 302, email
        client.post("/logout")


def test_seed_demo_has_past_and_future_sessions_of_every_kind(app, runner):
    runner.invoke(args=["seed-demo"])

    now = utcnow()
    with app.app_context():
        sessions = (
            db.session.execute(db.select(Session).where(Session.description != HISTORY_DESCRIPTION))
            .scalars()
            .all()
        )  # the history since 2023 has its own test (tests/reports)
        have = {(s.kind, s.starts_at < now) for s in sessions if not s.is_cancelled}
        cancelled = [s for s in sessions if s.status is SessionStatus.CANCELLED]
    assert have == {(kind, past) for kind in SessionKind for past in (True, False)}
    assert len(cancelled) == 1
    assert cancelled[0].cancel_reason


def test_seed_demo_speaks_three_languages(app, runner):
    runner.invoke(args=["seed-demo"])

    with app.app_context():
        academies = db.session.execute(db.select(PartnerAcademy)).scalars().all()
        sessions = db.session.execute(db.select(Session)).scalars().all()
        users = db.session.execute(db.select(User)).scalars().all()
    by_slug = {a.slug: a for a in academies}
    assert by_slug["izhevsk-state-medical-academy"].time_zone == "Europe/Samara"
    assert by_slug["south-kazakhstan-medical-academy"].time_zone == "Asia/Almaty"
    assert by_slug["south-kazakhstan-medical-academy"].city == "Shymkent"
    assert all(CYRILLIC.search(a.name_ru) for a in academies)
    assert all(a.name_uz and not CYRILLIC.search(a.name_uz) for a in academies)
    assert any(CYRILLIC.search(u.name) for u in users)
    assert {s.language for s in sessions} == {"en", "ru", "uz"}
    assert any(CYRILLIC.search(s.title) for s in sessions)


# create-user ---------------------------------------------------------------------------

GOOD = ["--email", "Nodira@Example.org", "--name", "Nodira Karimova", "--password", "long enough"]


def test_create_user_with_good_input(app, runner, client):
    result = runner.invoke(args=["create-user", *GOOD, "--time-zone", "Europe/Samara"])

    assert result.exit_code == 0, result.output
    assert result.output.strip() == "Created lecturer nodira@example.org."
    with app.app_context():
        user = db.session.execute(db.select(User)).scalar_one()
        assert (user.email, user.name, user.role, user.time_zone) == (
            "nodira@example.org",
            "Nodira Karimova",
            Role.LECTURER,
            "Europe/Samara",
        )
    signed_in = client.post(
        "/login", data={"email": "nodira@example.org", "password": "long enough"}
    )
    assert signed_in.status_code == 302


def test_create_user_coordinator_of_an_academy(app, runner, make_academy):
    academy = make_academy(slug="izhevsk")

    result = runner.invoke(
        args=["create-user", *GOOD, "--role", "coordinator", "--academy", "izhevsk"]
    )

    assert result.exit_code == 0, result.output
    with app.app_context():
        assert db.session.execute(db.select(User.academy_id)).scalar_one() == academy.id


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--time-zone", "Mars/Olympus_Mons"], "unknown time zone 'Mars/Olympus_Mons'"),
        (["--password", "short"], "use 8 characters or more"),
        (["--role", "coordinator"], "A coordinator belongs to a partner academy."),
        (["--role", "coordinator", "--academy", "nowhere"], "no academy 'nowhere'"),
        (["--role", "student"], "'student' is not one of 'admin', 'lecturer', 'coordinator'"),
        (["--email", "not an email"], "Enter a valid email address."),
        (["--name", "  "], "Enter a name."),
    ],
    ids=[
        "unknown-zone",
        "short-password",
        "coordinator-without-academy",
        "unknown-academy",
        "unknown-role",
        "bad-email",
        "blank-name",
    ],
)
def test_create_user_with_bad_input_says_why(app, runner, extra, message):
    args = list(GOOD)
    for option, value in zip(extra[::2], extra[1::2], strict=True):
        if option in args:
            args[args.index(option) + 1] = value
        else:
            args += [option, value]

    result = runner.invoke(args=["create-user", *args])

    assert result.exit_code != 0
    assert message in result.output
    assert "Traceback" not in result.output
    assert _counts(app)["User"] == 0


def test_create_user_refuses_a_taken_email_whatever_its_case(app, runner, make_user):
    make_user(email="nodira@example.org")

    result = runner.invoke(args=["create-user", *GOOD])

    assert result.exit_code == 1
    assert result.output.strip() == "Error: An account with this email already exists."
    assert _counts(app)["User"] == 1


def test_seed_demo_past_master_class_has_attendance_and_certificates(app, runner, client):
    first = runner.invoke(args=["seed-demo"])
    again = runner.invoke(args=["seed-demo"])

    assert "Attendance of the past master class: 0 certificates" not in first.output
    assert "Attendance of the past master class: 0 certificates issued." in again.output
    with app.app_context():
        session = db.session.execute(
            db.select(Session).filter_by(title=PAST_MASTER_CLASS)
        ).scalar_one()
        sheet = db.session.get(AttendanceSheet, session.id)
        attended = sorted(
            db.session.execute(
                db.select(AttendanceEntry.attended).where(AttendanceEntry.session_id == session.id)
            ).scalars()
        )
        certificates = (
            db.session.execute(db.select(Certificate).where(Certificate.session_id == session.id))
            .scalars()
            .all()
        )
        kinds = sorted(c.kind.value for c in certificates)
        assert sheet is not None and sheet.is_final
        assert attended == [False] + [True] * 6  # one absent; a decision and a walk-in count
        assert kinds == ["attendance"] * 6 + ["teaching"]
        assert all(c.pdf and not c.is_revoked for c in certificates)
        session_id = session.id
    lecturer = next(e for e, _n, role, _s, _p in PEOPLE if e.startswith("akmal"))
    password = next(p for e, _n, _r, _s, p in PEOPLE if e == lecturer)
    client.post("/login", data={"email": lecturer, "password": password})
    attendance = client.get(f"/manage/sessions/{session_id}/attendance")
    listed = client.get(f"/manage/sessions/{session_id}/certificates")
    assert (attendance.status_code, listed.status_code) == (200, 200)
    assert "Тимур Ахметов" in attendance.get_data(as_text=True)
    assert "Жанна Искакова" in listed.get_data(as_text=True)


def test_seed_demo_never_overbooks_a_session(app, runner):
    runner.invoke(args=["seed-demo"])

    with app.app_context():
        rows = db.session.execute(
            db.select(Session.id, Session.capacity, db.func.count(Registration.id))
            .join(Registration, Registration.session_id == Session.id)
            .where(Session.capacity.is_not(None), Registration.status.in_(SEAT_STATUSES))
            .group_by(Session.id, Session.capacity)
        ).all()
    assert rows  # the demo has sessions with a capacity and seats taken
    assert [(sid, cap, taken) for sid, cap, taken in rows if taken > cap] == []


def test_seed_demo_attendance_reasons_agree_with_the_outcomes(app, runner):
    runner.invoke(args=["seed-demo"])

    contradictions = []
    with app.app_context():
        final = db.session.execute(
            db.select(Session).join(AttendanceSheet, AttendanceSheet.session_id == Session.id)
        ).scalars()
        for session in final:
            for row in build_sheet(session).rows:
                if row.reason not in EITHER_REASONS and row.attended != (
                    row.reason in ATTENDED_REASONS
                ):
                    contradictions.append((session.id, row.name, row.attended, row.reason))
    assert contradictions == []
