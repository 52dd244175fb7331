"""The cooperation report on a year of 20,000 sessions and 100,000 registrations.

Seeds a scratch database in bulk (sessions held in the last calendar year, with
lecturers, academies, guest speakers, registrations and finalised attendance), then,
in-process with the Flask test client signed in as an admin, times interleaved:
the schedule page (first page, the baseline: a page every staff member opens), the report
page cold (its cache emptied before each request, so every figure is counted by the
database), and the report page cached. Prints p50/p95, the ratios against the schedule
page, and the SQL statements per page.

    .venv/bin/python bench/reports.py --database-url postgresql+psycopg://postgres@127.0.0.1:5432/bench_me

The database given is wiped (tables dropped and created): use one of your own.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import sqlalchemy as sa

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
PASSWORD = "bench password 1"


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--sessions", type=int, default=20_000)
    parser.add_argument("--registrations", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=15)
    parser.add_argument("--seed", type=int, default=17)
    return parser.parse_args()


def seed(args: argparse.Namespace, year: int) -> float:
    """Bulk-insert the year; returns the seconds it took."""
    from werkzeug.security import generate_password_hash

    from webinars.extensions import db
    from webinars.models import (
        AttendanceEntry,
        Direction,
        GuestSpeaker,
        PartnerAcademy,
        Registration,
        RegistrationStatus,
        Role,
        Session,
        SessionKind,
        SessionStatus,
        User,
        Visibility,
        session_academies,
        session_lecturers,
    )

    rng = random.Random(args.seed)
    started = time.perf_counter()
    places = [
        ("Izhevsk", "RU"),
        ("Kazan", "RU"),
        ("Shymkent", "KZ"),
        ("Almaty", "KZ"),
        ("Tashkent", "UZ"),
        ("Bishkek", "KG"),
        ("Minsk", "BY"),
        ("Baku", "AZ"),
    ]
    db.session.execute(
        sa.insert(PartnerAcademy),
        [
            dict(
                id=i,
                slug=f"a{i}",
                name_en=f"{city} Medical Academy",
                city=city,
                country=country,
                time_zone="Asia/Almaty",
                language="ru",
            )
            for i, (city, country) in enumerate(places, start=1)
        ],
    )
    hashed = generate_password_hash(PASSWORD, method="pbkdf2:sha256:1000")
    db.session.execute(
        sa.insert(User),
        [
            dict(
                id=1,
                email="admin@example.org",
                name="Admin",
                role=Role.ADMIN,
                password_hash=hashed,
                time_zone="Asia/Samarkand",
            )
        ]
        + [
            dict(
                id=i,
                email=f"l{i}@example.org",
                name=f"Lecturer {i}",
                role=Role.LECTURER,
                password_hash=hashed,
                time_zone="Asia/Samarkand",
            )
            for i in range(2, 62)
        ],
    )
    start = datetime(year, 1, 1, tzinfo=UTC)
    sessions, lecturers, academies, guests = [], [], [], []
    for sid in range(1, args.sessions + 1):
        starts = start + timedelta(minutes=rng.randrange(0, 364 * 24 * 60))
        involved = rng.sample(range(1, len(places) + 1), rng.choice((1, 1, 2)))
        sessions.append(
            dict(
                id=sid,
                kind=rng.choice(list(SessionKind)),
                title=f"Session {sid}",
                description="",
                language="en",
                starts_at=starts,
                ends_at=starts + timedelta(minutes=rng.choice((60, 90))),
                time_zone="Asia/Samarkand",
                status=rng.choices(
                    [SessionStatus.SCHEDULED, SessionStatus.CANCELLED], weights=[95, 5]
                )[0],
                visibility=Visibility.PUBLIC,
                direction=rng.choice(list(Direction)),
                sequence=0,
                created_at=starts,
                updated_at=starts,
            )
        )
        lecturers += [
            dict(session_id=sid, user_id=u) for u in rng.sample(range(2, 62), rng.choice((1, 2)))
        ]
        academies += [dict(session_id=sid, academy_id=a) for a in involved]
        if sid % 3 == 0:
            guests.append(
                dict(session_id=sid, name=f"Guest {sid % 400}", academy_id=involved[0], position=0)
            )
    for rows, table in (
        (sessions, Session),
        (lecturers, session_lecturers),
        (academies, session_academies),
        (guests, GuestSpeaker),
    ):
        db.session.execute(sa.insert(table), rows)
    registrations, entries = [], []
    for rid in range(1, args.registrations + 1):
        sid = rng.randrange(1, args.sessions + 1)
        status = (
            RegistrationStatus.CONFIRMED if rng.random() < 0.9 else RegistrationStatus.CANCELLED
        )
        registrations.append(
            dict(
                id=rid,
                session_id=sid,
                email=f"s{rid}@example.org",
                status=status,
                locale="en",
                created_at=start,
            )
        )
        if status is RegistrationStatus.CONFIRMED:
            entries.append(
                dict(
                    session_id=sid,
                    registration_id=rid,
                    attended=rng.random() < 0.75,
                    walk_in=False,
                    created_at=start,
                )
            )
    for i in range(0, len(registrations), 20_000):
        db.session.execute(sa.insert(Registration), registrations[i : i + 20_000])
    for i in range(0, len(entries), 20_000):
        db.session.execute(sa.insert(AttendanceEntry), entries[i : i + 20_000])
    if db.engine.dialect.name == "postgresql":
        for table in ("partner_academies", "users", "sessions", "registrations"):
            db.session.execute(
                sa.text(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                    f"(SELECT max(id) FROM {table}))"
                )
            )
        db.session.commit()
        db.session.execute(sa.text("ANALYZE"))
    db.session.commit()
    return time.perf_counter() - started


def main() -> None:
    args = parse_args()
    os.environ.setdefault("WEBINARS_INSTANCE_DIR", "/tmp/webinars-bench-reports")
    from webinars import create_app
    from webinars.extensions import db
    from webinars.models import ReportCache

    app = create_app({"SQLALCHEMY_DATABASE_URI": args.database_url, "PROPAGATE_UNEXPECTED": True})
    year = datetime.now(UTC).year - 1
    with app.app_context():
        db.drop_all()
        with db.engine.begin() as conn:
            conn.execute(sa.text("DROP TABLE IF EXISTS alembic_version"))
        db.create_all()
        seconds = seed(args, year)
        engine = db.engine
    client = app.test_client()
    assert (
        client.post("/login", data={"email": "admin@example.org", "password": PASSWORD}).status_code
        == 302
    )
    pages = {
        "schedule page (baseline)": "/manage/schedule",
        "report, cold": f"/reports/?period=calendar&year={year}",
        "report, cached": f"/reports/?period=calendar&year={year}",
    }

    def forget() -> None:
        with app.app_context():
            db.session.execute(sa.delete(ReportCache))
            db.session.commit()

    statements: dict[str, int] = {}
    for name, url in pages.items():
        if name.endswith("cold"):
            forget()
        count = [0]

        def counter(*_args, count=count) -> None:
            count[0] += 1

        sa.event.listen(engine, "before_cursor_execute", counter)
        response = client.get(url)
        sa.event.remove(engine, "before_cursor_execute", counter)
        assert response.status_code == 200, (name, response.status_code)
        statements[name] = count[0]
    timings: dict[str, list[float]] = {name: [] for name in pages}
    for _ in range(args.requests):
        for name, url in pages.items():
            if name.endswith("cold"):
                forget()
            began = time.perf_counter()
            client.get(url)
            timings[name].append(time.perf_counter() - began)
    base = statistics.median(timings["schedule page (baseline)"])
    print(
        f"bench/reports.py: {args.sessions:,} sessions, {args.registrations:,} registrations "
        f"in {year}, {engine.dialect.name}; seeded in {seconds:.1f} s; "
        f"{args.requests} requests each"
    )
    print(f"{'page':<26}{'statements':>11}{'p50 ms':>10}{'p95 ms':>10}{'p50 ×base':>11}")
    for name, values in timings.items():
        values.sort()
        p50, p95 = statistics.median(values), values[min(len(values) - 1, int(len(values) * 0.95))]
        print(
            f"{name:<26}{statements[name]:>11}{p50 * 1000:>10.1f}{p95 * 1000:>10.1f}"
            f"{p50 / base:>11.2f}"
        )
    print("×base: the page's median time divided by the schedule page's, both from this run.")


if __name__ == "__main__":
    main()
