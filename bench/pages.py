"""Benchmark the staff pages on 5,000 sessions: SQL queries per page and p50/p95 latency.

    .venv/bin/python bench/pages.py                      # a scratch SQLite file
    .venv/bin/python bench/pages.py --database-url postgresql+psycopg://postgres@127.0.0.1/bench_me

Seeds a scratch database in bulk, serves it with gunicorn (production settings, a few
workers) on a free loopback port, signs in as a lecturer and times the schedule list
(first page and a filtered page), a session page and the find-a-time grid (a week, 5
academies and 5 lecturers) against GET /livez of the same
app, in the same run and interleaved: shared machines are noisy, so only the ratios
mean something. Queries per page are counted in-process (Flask test client and an
SQLAlchemy event listener), since gunicorn runs in other processes.

Not a test: it prints figures and never fails on them. The PostgreSQL database given is
wiped (every table of the app is dropped and created); never point it at a shared one.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import secrets
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import requests
import sqlalchemy as sa

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "bench password 123"
BENCH_EMAIL = "bench.lecturer@example.org"
CSRF_RE = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
SESSION_LINK_RE = re.compile(r'href="/manage/sessions/(\d+)"')

ACADEMIES = [
    ("Izhevsk", "Europe/Samara", "RU"),
    ("Shymkent", "Asia/Almaty", "KZ"),
    ("Tashkent", "Asia/Tashkent", "UZ"),
    ("Kazan", "Europe/Moscow", "RU"),
    ("Bishkek", "Asia/Bishkek", "KG"),
    ("Dushanbe", "Asia/Dushanbe", "TJ"),
    ("Novosibirsk", "Asia/Novosibirsk", "RU"),
    ("Berlin", "Europe/Berlin", "DE"),
    ("Istanbul", "Europe/Istanbul", "TR"),
    ("Baku", "Asia/Baku", "AZ"),
    ("Minsk", "Europe/Minsk", "BY"),
    ("Astana", "Asia/Almaty", "KZ"),
]
TITLES = [
    "Neonatal sepsis: early signs",
    "Врождённые пороки сердца у детей",
    "Bolalarda bronxial astma",
    "Rickets and vitamin D today",
    "Детская нефрология: случаи",
    "Pediatric cardiology update",
    "Kawasaki disease in practice",
    "Bolalar gastroenterologiyasi",
]


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", help="PostgreSQL URL of a scratch database (wiped)")
    parser.add_argument("--sessions", type=int, default=5000)
    parser.add_argument("--requests", type=int, default=100, help="timed requests per page")
    parser.add_argument("--workers", type=int, default=3, help="gunicorn workers")
    parser.add_argument("--seed", type=int, default=2024)
    args = parser.parse_args()
    if args.database_url and sa.make_url(args.database_url).database in {"test", "postgres"}:
        parser.error("use a scratch database of your own: this one is shared and would be wiped")
    return args


@dataclass
class Seeded:
    """What the measured pages need to know about the seeded data."""

    academy_id: int
    session_id: int
    session_title: str
    seconds: float


def seed(
    n_sessions: int, rng: random.Random, *, n_academies: int = 12, n_lecturers: int = 40
) -> Seeded:
    """Bulk-insert academies, staff and `n_sessions` sessions with people and history.

    `n_academies` beyond the twelve cities above are numbered copies of them
    (bench/scale.py seeds a university: 40 academies, 300 lecturers)."""
    from werkzeug.security import generate_password_hash

    from webinars.extensions import db
    from webinars.models import (
        AuditEntry,
        GuestSpeaker,
        PartnerAcademy,
        Role,
        Session,
        SessionKind,
        SessionStatus,
        User,
        Visibility,
        session_academies,
        session_lecturers,
    )

    started = time.perf_counter()
    now = datetime.now(UTC).replace(minute=0, second=0, microsecond=0)
    db.session.execute(
        sa.insert(PartnerAcademy),
        [
            dict(
                id=i,
                slug=f"academy-{i}",
                name_en=f"{city} Medical Academy" + (f" {i}" if i > len(ACADEMIES) else ""),
                city=city,
                time_zone=zone,
                country=country,
                language="ru",
            )
            for i, (city, zone, country) in (
                (i, ACADEMIES[(i - 1) % len(ACADEMIES)]) for i in range(1, n_academies + 1)
            )
        ],
    )
    password_hash = generate_password_hash(PASSWORD)
    users = [dict(id=1, email=BENCH_EMAIL, name="Bench Lecturer", role=Role.LECTURER)]
    users += [
        dict(id=i, email=f"lecturer{i}@example.org", name=f"Lecturer {i:02d}", role=Role.LECTURER)
        for i in range(2, n_lecturers + 1)
    ]
    admin_id = n_lecturers + 1
    users.append(dict(id=admin_id, email="admin@example.org", name="Admin", role=Role.ADMIN))
    for row in users:
        row.update(password_hash=password_hash, time_zone="Asia/Samarkand")
    db.session.execute(sa.insert(User), users)

    lecturer_ids, academy_ids = range(1, n_lecturers + 1), range(1, n_academies + 1)
    sessions, lecturers, academies, guests, audit = [], [], [], [], []
    for sid in range(1, n_sessions + 1):
        if sid == 1:  # the measured session page: soon, two of everything, a long history
            starts, taught, involved = now + timedelta(days=3, hours=4), [1, 2], [1, 2]
        else:
            starts = now + timedelta(days=rng.randint(-200, 400), hours=rng.randint(-8, 8))
            taught = rng.sample(lecturer_ids, rng.choice([1, 1, 2]))
            involved = rng.sample(academy_ids, rng.choice([1, 1, 2, 3]))
        kind = rng.choice(list(SessionKind)) if sid > 1 else SessionKind.WEBINAR
        status = (
            SessionStatus.SCHEDULED
            if sid == 1
            else rng.choices(list(SessionStatus), weights=[10, 85, 5])[0]
        )
        title = f"{rng.choice(TITLES)} #{sid}"
        sessions.append(
            dict(
                id=sid,
                kind=kind,
                title=title,
                description="Case-based discussion. " * 5,
                language=rng.choice(["en", "ru", "uz"]),
                starts_at=starts,
                ends_at=starts + timedelta(minutes=rng.choice([60, 90, 120])),
                time_zone="Asia/Samarkand",
                capacity=20 if kind is SessionKind.MASTER_CLASS else None,
                status=status,
                visibility=rng.choices(list(Visibility), weights=[8, 2])[0],
                join_url=f"https://meet.example.org/{secrets.token_hex(6)}",
                cancel_reason="Exams week." if status is SessionStatus.CANCELLED else None,
                sequence=0,
                created_by_id=taught[0],
                created_at=starts - timedelta(days=30),
                updated_at=starts - timedelta(days=30),
            )
        )
        lecturers += [dict(session_id=sid, user_id=u) for u in taught]
        academies += [dict(session_id=sid, academy_id=a) for a in involved]
        if sid == 1 or sid % 3 == 0:
            guests += [
                dict(
                    session_id=sid,
                    name=f"Dr Guest {sid}-{p}",
                    affiliation="Partner academy",
                    academy_id=involved[0],
                    position=p,
                )
                for p in range(2 if sid == 1 else 1)
            ]
        for n in range(30 if sid == 1 else 1):
            audit.append(
                dict(
                    session_id=sid,
                    user_id=taught[0],
                    at=starts - timedelta(days=30 - n),
                    action="created" if n == 0 else "edited",
                    changes={"title": [None, title]} if n == 0 else {"description": ["a", "b"]},
                )
            )
    db.session.execute(sa.insert(Session), sessions)
    db.session.execute(sa.insert(session_lecturers), lecturers)
    db.session.execute(sa.insert(session_academies), academies)
    db.session.execute(sa.insert(GuestSpeaker), guests)
    db.session.execute(sa.insert(AuditEntry), audit)
    if db.engine.dialect.name == "postgresql":  # explicit ids leave the sequences behind
        for table in ("partner_academies", "users", "sessions"):
            db.session.execute(
                sa.text(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                    f"(SELECT max(id) FROM {table}))"
                )
            )
    db.session.commit()
    return Seeded(1, 1, sessions[0]["title"], time.perf_counter() - started)


def pages(seeded: Seeded) -> dict[str, str]:
    """The measured pages, baseline first."""
    today = datetime.now(UTC).date()
    filtered = (
        f"/manage/schedule?kind=webinar&academy={seeded.academy_id}"
        f"&date_from={today}&date_to={today + timedelta(days=120)}"
    )
    # The find-a-time grid: next week, 5 academies and 5 lecturers, each hour judged for
    # 90 minutes in every place, plus the next good times of four weeks.
    monday = today + timedelta(days=7 - today.weekday())
    people = "&".join(
        [f"academy_ids={i}" for i in range(1, 6)] + [f"lecturer_ids={i}" for i in range(1, 6)]
    )
    grid = (
        f"/manage/find-a-time?{people}&time_zone=Asia/Samarkand&duration_minutes=90&week={monday}"
    )
    return {
        "GET /livez (baseline)": "/livez",
        "schedule, first page": "/manage/schedule",
        "schedule, filtered": filtered,
        "session page": f"/manage/sessions/{seeded.session_id}",
        "find-a-time grid, 5 × 5": grid,
    }


def _csrf(html: str) -> str:
    match = CSRF_RE.search(html)
    if not match:
        raise SystemExit("no CSRF token on the sign-in page")
    return match.group(1)


def count_queries(app, urls: dict[str, str], title: str) -> dict[str, tuple[int, int]]:
    """(SQL statements, session links) per page, in-process, signed in as the lecturer."""
    from webinars.extensions import db

    client = app.test_client()
    token = _csrf(client.get("/login").get_data(as_text=True))
    response = client.post(
        "/login", data={"email": BENCH_EMAIL, "password": PASSWORD, "csrf_token": token}
    )
    if response.status_code != 302:
        raise SystemExit(f"in-process sign-in failed: {response.status_code}")
    statements: list[str] = []

    def listen(conn, cursor, statement, parameters, context, executemany) -> None:
        statements.append(statement)

    with app.app_context():
        engine = db.engine
    result = {}
    for label, url in urls.items():
        client.get(url)  # warm caches that are filled once per process
        statements.clear()
        sa.event.listen(engine, "before_cursor_execute", listen)
        try:
            response = client.get(url)
        finally:
            sa.event.remove(engine, "before_cursor_execute", listen)
        if response.status_code != 200:
            raise SystemExit(f"{url} answered {response.status_code} in-process")
        html = response.get_data(as_text=True)
        if url.startswith("/manage/sessions/") and title not in html:
            raise SystemExit(f"{url} does not show the session's title")
        result[label] = (len(statements), len(set(SESSION_LINK_RE.findall(html))))
    return result


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def gunicorn(env: dict[str, str], workers: int, log: Path, root: Path = ROOT) -> Iterator[str]:
    """Serve wsgi:app of the checkout at `root` on a free loopback port; yields the base URL."""
    port = free_port()
    command = [
        str(ROOT / ".venv" / "bin" / "gunicorn"),
        "wsgi:app",
        "--workers",
        str(workers),
        "--bind",
        f"127.0.0.1:{port}",
        "--log-level",
        "warning",
    ]
    with log.open("w") as out:
        proc = subprocess.Popen(command, cwd=root, env=env, stdout=out, stderr=out)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if requests.get(base + "/livez", timeout=5).status_code == 200:
                    break
            except requests.RequestException:  # not listening yet, or still booting
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                raise SystemExit(f"gunicorn did not start:\n{log.read_text()[-3000:]}")
            time.sleep(0.2)
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()


def measure(base: str, urls: dict[str, str], n: int) -> dict[str, list[float]]:
    """Seconds per request, pages interleaved so that load drift hits all of them alike."""
    http = requests.Session()
    token = _csrf(http.get(base + "/login").text)
    signed_in = http.post(
        base + "/login", data={"email": BENCH_EMAIL, "password": PASSWORD, "csrf_token": token}
    )
    if not signed_in.url.endswith("/manage/"):
        raise SystemExit(f"sign-in over HTTP failed: ended at {signed_in.url}")
    timings: dict[str, list[float]] = {label: [] for label in urls}
    for round_ in range(n + 10):
        for label, url in urls.items():
            started = time.perf_counter()
            response = http.get(base + url, allow_redirects=False)
            elapsed = time.perf_counter() - started
            if response.status_code != 200:
                raise SystemExit(f"{url} answered {response.status_code}")
            if round_ >= 10:  # the first rounds warm every worker
                timings[label].append(elapsed)
    return timings


def percentile(values: list[float], pct: int) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[pct - 1]


def report(args, database: str, seeded: Seeded, queries, timings) -> None:
    base50 = percentile(timings["GET /livez (baseline)"], 50)
    base95 = percentile(timings["GET /livez (baseline)"], 95)
    print(
        f"\nwebinars bench/pages.py on {database}: {args.sessions} sessions seeded in "
        f"{seeded.seconds:.1f} s; gunicorn, {args.workers} workers; "
        f"{args.requests} requests per page, interleaved\n"
    )
    header = f"{'page':26} {'queries':>7} {'rows':>5} {'p50 ms':>8} {'p95 ms':>8}"
    print(header + f" {'p50 ×base':>10} {'p95 ×base':>10}")
    print("-" * (len(header) + 22))
    for label, values in timings.items():
        p50, p95 = percentile(values, 50), percentile(values, 95)
        count, rows = queries[label]
        print(
            f"{label:26} {count:>7} {rows:>5} {p50 * 1000:>8.1f} {p95 * 1000:>8.1f} "
            f"{p50 / base50:>10.1f} {p95 / base95:>10.1f}"
        )
    print("\nrows: links to sessions on the page (schedule rows; conflicts on a session page).")
    print("×base: the page's time divided by /livez's, both from this run.")


def main() -> None:
    args = parse_args()
    scratch = Path(tempfile.mkdtemp(prefix="webinars-bench-"))
    url = args.database_url or f"sqlite:///{scratch / 'bench.sqlite3'}"
    env = {k: v for k, v in os.environ.items() if k != "REDIS_URL"}
    env.update(
        WEBINARS_ENV="production",
        SELF_CHECK="warn",  # a scratch SQLite file or database, no Redis, plain http
        SECRET_KEY=secrets.token_hex(32),
        DATABASE_URL=url,
        SESSION_COOKIE_SECURE="0",
        FORCE_HTTPS="0",
        WEBINARS_INSTANCE_DIR=str(scratch),
    )
    os.environ.clear()
    os.environ.update(env)  # before importing the app: config.py reads the environment
    sys.path.insert(0, str(ROOT))
    from webinars import create_app
    from webinars.extensions import db

    app = create_app()
    try:
        with app.app_context():
            db.drop_all()
            db.session.execute(sa.text("DROP TABLE IF EXISTS alembic_version"))
            db.session.commit()
            db.create_all()
            seeded = seed(args.sessions, random.Random(args.seed))
        urls = pages(seeded)
        queries = count_queries(app, urls, seeded.session_title)
        with gunicorn(env, args.workers, scratch / "gunicorn.log") as base:
            timings = measure(base, urls, args.requests)
        database = sa.make_url(url).get_backend_name()
        report(
            args, "PostgreSQL" if database == "postgresql" else "SQLite", seeded, queries, timings
        )
    finally:
        with app.app_context():
            db.session.remove()
            if args.database_url:
                db.drop_all()
            db.engine.dispose()
        shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    main()
