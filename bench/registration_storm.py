"""Registration storm: 1,000 sign-ups at once for 100 seats, against gunicorn on PostgreSQL.

    .venv/bin/python bench/registration_storm.py [--url postgresql+psycopg://...] [--workers 4]
        [--history 30] [--quotas]

What it does, all on loopback:
1. creates the schema in a benchmark database of its own (dropped and made afresh), 30
   earlier sessions with 100 registrations each and ANALYZE (a database in use; --history
   0 for fresh tables), and two public master classes of 100 seats;
2. starts gunicorn (several sync workers) on the app with that database, CSRF on, rate
   limits off (every client here shares one address), mail configured but no worker, so
   every email stays queued;
3. 1,000 clients each load the form (own connection) to get a CSRF token and cookie;
4. baseline: 1,000 GET /livez released at once, each on its own connection;
5. storm: the 1,000 registrations POSTed at once, each on its own connection;
6. one at a time: 100 /livez and 100 registrations (the other session), alternating,
   for the latency of a single request without queueing; then 100 of each back to back
   for its CPU;
7. checks the database: exactly 100 holds, 900 on the waiting list, 1,000 emails queued,
   no error answers; prints throughput and p50/p99 of both bursts, the ratios, and the
   CPU per request of the app's workers and of the database;
8. times the locked snapshot query on the storm's session, with the quota counts and
   without them (as a session without an open quota reads it), in alternating blocks:
   the database CPU that the skip saves each sign-up, measured in the same run.

--quotas: after the storm above, a second storm of the same size on a third master class
of 100 seats with two academies' quotas (20 seats each until the day before) and the public
pool: a third of the clients from each academy, a third from elsewhere. It checks 20 + 20
quota seats, 60 general ones and 900 waiting, and prints its figures against the plain
storm's of the same run (quotas are counted in the same locked snapshot query).
The machine is shared and noisy: only ratios within one run mean much.
"""

from __future__ import annotations

import argparse
import http.client
import os
import re
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

import sqlalchemy as sa

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

CLIENTS = 1000
SEATS = 100
DEFAULT_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/bench_registration"
SECRET = "bench-secret-key-not-for-production"  # noqa: S105 - a throwaway benchmark key


@dataclass
class Run:
    """Latencies (seconds) and answers of one burst."""

    name: str
    latencies: list[float] = field(default_factory=list)
    statuses: list[int] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    wall: float = 0.0

    def line(self) -> str:
        lat = sorted(self.latencies)
        p50 = statistics.median(lat) * 1000
        p99 = lat[int(len(lat) * 0.99) - 1] * 1000
        return (
            f"{self.name:<13} {len(lat):>5} requests in {self.wall:6.2f} s = "
            f"{len(lat) / self.wall:7.1f} req/s   p50 {p50:7.1f} ms   p99 {p99:7.1f} ms   "
            f"errors {len(self.errors)}"
        )


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def fresh_database(url: str) -> None:
    """Drop and create the benchmark database (never the shared `test` one)."""
    target = sa.make_url(url)
    if target.database in {"test", "postgres", "root"}:
        raise SystemExit(f"refusing to use the shared database {target.database!r}")
    admin = sa.create_engine(target.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{target.database}" WITH (FORCE)'))
        conn.execute(sa.text(f'CREATE DATABASE "{target.database}"'))
    admin.dispose()


QUOTA_SEATS = 20  # per academy, in the --quotas storm


def seed_quotas(url: str, like_id: int, academy_id: int) -> tuple[int, int]:
    """A third master class with a second academy and 20 seats reserved for each academy
    until the day before; returns (its session id, the second academy's id)."""
    from datetime import timedelta

    from webinars import create_app
    from webinars.domain.partners.quotas import set_quota
    from webinars.domain.sessions.scheduling import create_session, input_from_session
    from webinars.extensions import db
    from webinars.models import PartnerAcademy, Session

    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "TESTING": False, "SELF_CHECK": "warn"})
    with app.app_context():
        shymkent = PartnerAcademy(
            slug="shymkent",
            name_en="South Kazakhstan Medical Academy",
            country="KZ",
            city="Shymkent",
            time_zone="Asia/Almaty",
            language="ru",
        )
        db.session.add(shymkent)
        db.session.flush()
        data = input_from_session(db.session.get(Session, like_id))
        data.title, data.academy_ids = "Quota master class", [academy_id, shymkent.id]
        session = create_session(data, None)
        db.session.commit()
        deadline = session.starts_at - timedelta(days=1)
        for academy in (academy_id, shymkent.id):
            set_quota(session.id, academy, QUOTA_SEATS, deadline, None)
        db.session.commit()
        ids = session.id, shymkent.id
        db.engine.dispose()
    return ids


def seed(url: str, history: int) -> tuple[int, int, int]:
    """Schema and two public master classes of SEATS seats (the storm's, and one for the
    one-at-a-time comparison), after `history` other sessions with 100 registrations each
    and ANALYZE, like a database in use whose statistics autovacuum keeps; returns (storm
    session id, quiet session id, academy id)."""
    from datetime import datetime, timedelta
    from datetime import time as dtime

    from webinars import create_app
    from webinars.domain.accounts.staff import create_user
    from webinars.domain.sessions.rules import SessionInput
    from webinars.domain.sessions.scheduling import create_session
    from webinars.extensions import db
    from webinars.models import PartnerAcademy, Role, SessionKind, utcnow

    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "TESTING": False, "SELF_CHECK": "warn"})
    with app.app_context():
        db.create_all()
        academy = PartnerAcademy(
            slug="izhevsk",
            name_en="Izhevsk State Medical Academy",
            country="RU",
            city="Izhevsk",
            time_zone="Europe/Samara",
            language="ru",
        )
        db.session.add(academy)
        lecturer = create_user(
            "lecturer@bench.example.org",
            "Bench Lecturer",
            "correct horse battery",
            Role.LECTURER,
            "Asia/Samarkand",
            None,
        )
        db.session.flush()
        day = (utcnow() + timedelta(days=7)).date()
        sessions = [
            create_session(
                SessionInput(
                    kind=SessionKind.MASTER_CLASS,
                    title=title,
                    language="en",
                    starts_local=datetime.combine(day, dtime(14)),
                    time_zone="Asia/Samarkand",
                    duration_minutes=90,
                    lecturer_ids=[lecturer.id],
                    academy_ids=[academy.id],
                    capacity=SEATS,
                    join_url="https://meet.example.org/storm",
                ),
                lecturer,
            )
            for title in ("Storm master class", "Quiet master class")
        ]
        db.session.commit()
        if history:
            _history(history, sessions[0], lecturer, academy.id)
        ids = sessions[0].id, sessions[1].id, academy.id
        db.engine.dispose()
    return ids


def _history(count: int, like, lecturer, academy_id: int) -> None:
    """`count` earlier master classes with 100 registrations each (confirmed, cancelled,
    expired), then ANALYZE: the planner then has the statistics a database in use has."""
    from datetime import timedelta

    from webinars.domain.sessions.rules import SessionInput
    from webinars.domain.sessions.scheduling import create_session
    from webinars.extensions import db
    from webinars.models import Registration, RegistrationStatus, SessionKind, utcnow

    now = utcnow()
    statuses = [RegistrationStatus.CONFIRMED] * 6 + [
        RegistrationStatus.CANCELLED,
        RegistrationStatus.CANCELLED,
        RegistrationStatus.EXPIRED,
        RegistrationStatus.EXPIRED,
    ]
    for n in range(count):
        starts = like.starts_at + timedelta(days=1 + n, hours=5)  # Samarkand is UTC+5
        session = create_session(
            SessionInput(
                kind=SessionKind.MASTER_CLASS,
                title=f"Earlier master class {n}",
                language="en",
                starts_local=starts.replace(tzinfo=None),
                time_zone="Asia/Samarkand",
                duration_minutes=90,
                lecturer_ids=[lecturer.id],
                academy_ids=[academy_id],
                capacity=SEATS,
                join_url="https://meet.example.org/history",
            ),
            lecturer,
        )
        db.session.flush()
        db.session.execute(
            sa.insert(Registration),
            [
                {
                    "session_id": session.id,
                    "email": f"past{n}-{i}@bench.example.org",
                    "full_name": f"Past Student {i}",
                    "academy_id": academy_id,
                    "locale": "en",
                    "status": statuses[i % len(statuses)],
                    "created_at": now,
                    "consent_at": now,
                    "hold_expires_at": now - timedelta(hours=1)
                    if statuses[i % len(statuses)] is RegistrationStatus.EXPIRED
                    else None,
                }
                for i in range(100)
            ],
        )
    db.session.commit()
    with db.engine.connect() as conn:
        conn.execution_options(isolation_level="AUTOCOMMIT").exec_driver_sql("ANALYZE")


def start_gunicorn(url: str, port: int, workers: int, instance: Path) -> subprocess.Popen:
    env = {
        **os.environ,
        "WEBINARS_ENV": "production",
        "SELF_CHECK": "warn",  # plain http on loopback, no Redis
        "DATABASE_URL": url,
        "SECRET_KEY": SECRET,
        "FORCE_HTTPS": "0",
        "SESSION_COOKIE_SECURE": "0",
        "WEBINARS_RATELIMIT_ENABLED": "false",
        "WEBINARS_INSTANCE_DIR": str(instance),
        "BASE_URL": f"http://127.0.0.1:{port}",
    }
    # Mail configured as in production, so each sign-up also queues a delivery for the
    # worker (huey on SQLite in the instance directory). No worker runs here: the mail
    # waits in the outbox, and nothing ever connects to this port.
    env.update({"MAIL_SERVER": "127.0.0.1", "MAIL_PORT": str(free_port())})
    env.pop("REDIS_URL", None)
    process = subprocess.Popen(
        [
            str(ROOT / ".venv" / "bin" / "gunicorn"),
            "--workers",
            str(workers),
            "--bind",
            f"127.0.0.1:{port}",
            "--backlog",
            "2048",
            "--log-level",
            "warning",
            "wsgi:app",
        ],
        cwd=ROOT,
        env=env,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            status, _, _ = request(port, "GET", "/livez")
            if status == 200:
                return process
        except OSError:
            time.sleep(0.2)
    process.terminate()
    raise SystemExit("gunicorn did not answer /livez within 60 s")


def request(
    port: int, method: str, path: str, body: str | None = None, headers: dict | None = None
) -> tuple[int, dict[str, str], str]:
    """One request on a new connection of its own."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    try:
        conn.request(method, path, body=body, headers=headers or {})
        response = conn.getresponse()
        text = response.read().decode("utf-8", "replace")
        return response.status, {k.lower(): v for k, v in response.getheaders()}, text
    finally:
        conn.close()


def form_credentials(port: int, path: str) -> tuple[str, str]:
    """Load the form like a browser: the CSRF token and the session cookie."""
    status, headers, text = request(port, "GET", path)
    if status != 200:
        raise RuntimeError(f"form answered {status}")
    match = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', text) or re.search(
        r'value="([^"]+)"[^>]*name="csrf_token"', text
    )
    if not match:
        raise RuntimeError("no CSRF token in the form")
    cookie = headers["set-cookie"].split(";", 1)[0]
    return match.group(1), cookie


def burst(name: str, jobs: list[Callable[[], int]], expected: int) -> Run:
    """Release all jobs at once, one thread each; collect latency and status."""
    run = Run(name)
    barrier = threading.Barrier(len(jobs) + 1)
    lock = threading.Lock()

    def worker(job: Callable[[], int]) -> None:
        barrier.wait()
        started = time.perf_counter()
        try:
            status = job()
            error = None if status == expected else f"status {status}"
        except Exception as exc:  # counted as an error of the run
            status, error = 0, f"{type(exc).__name__}: {exc}"
        elapsed = time.perf_counter() - started
        with lock:
            run.latencies.append(elapsed)
            run.statuses.append(status)
            if error:
                run.errors.append(error)

    threads = [threading.Thread(target=worker, args=(job,), daemon=True) for job in jobs]
    for thread in threads:
        thread.start()
    barrier.wait()
    began = time.perf_counter()
    for thread in threads:
        thread.join()
    run.wall = time.perf_counter() - began
    return run


def _cpu_ticks(pid: int) -> int:
    """User + system CPU of one process, in clock ticks (Linux /proc)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:  # the process is gone
        return 0
    return int(fields[11]) + int(fields[12])


class CpuMeter:
    """CPU used by the gunicorn workers and by the benchmark database's backends.

    On a shared two-core machine, where 1,000 client threads compete with the server,
    latency says more about the scheduler than about the app; CPU seconds per request,
    split into app and database, are the steadier measure of what one request costs.
    """

    def __init__(self, server: subprocess.Popen, url: str) -> None:
        self.server = server
        self.engine = sa.create_engine(url, poolclass=sa.pool.NullPool)
        self.tick = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100

    def _pids(self) -> tuple[list[int], list[int]]:
        children = Path(f"/proc/{self.server.pid}/task/{self.server.pid}/children")
        workers = [int(pid) for pid in children.read_text().split()]
        with self.engine.connect() as conn:
            backends = conn.execute(
                sa.text(
                    "SELECT pid FROM pg_stat_activity "
                    "WHERE datname = current_database() AND pid <> pg_backend_pid()"
                )
            ).scalars()
            return workers, list(backends)

    def read(self) -> dict[str, dict[int, int]]:
        workers, backends = self._pids()
        return {
            "app": {pid: _cpu_ticks(pid) for pid in workers},
            "database": {pid: _cpu_ticks(pid) for pid in backends},
        }

    def per_request_ms(self, before: dict, after: dict, requests: int) -> dict[str, float]:
        """CPU milliseconds per request of each side between two readings."""
        used = {}
        for side in ("app", "database"):
            ticks = sum(t - before[side].get(pid, 0) for pid, t in after[side].items())
            used[side] = ticks / self.tick * 1000 / requests
        return used


SNAPSHOT_BLOCKS, SNAPSHOT_RUNS = 5, 1000  # alternating blocks of executions, each way


def snapshot_cost(url: str, session_id: int) -> tuple[float, float]:
    """Database CPU milliseconds of one locked snapshot (the sign-up's narrow door) on the
    storm's session after the storm, with the quota counts and without them, as a session
    without an open quota now reads it: alternating blocks on one connection, the CPU of its
    backend read from /proc (the database runs on this machine)."""
    from webinars import create_app
    from webinars.domain.registration.seats import _SNAPSHOT_QUERIES
    from webinars.extensions import db
    from webinars.models import utcnow

    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "TESTING": False, "SELF_CHECK": "warn"})
    tick = os.sysconf("SC_CLK_TCK")
    used = {True: 0, False: 0}
    with app.app_context():
        conn = db.session.connection()
        backend = conn.exec_driver_sql("SELECT pg_backend_pid()").scalar_one()
        params = {"session_id": session_id, "email": "x@bench.example.org", "now": utcnow()}
        params["academy_id"] = None
        for _block in range(SNAPSHOT_BLOCKS):
            for with_quotas in (True, False):
                before = _cpu_ticks(backend)
                for _ in range(SNAPSHOT_RUNS):
                    conn.execute(_SNAPSHOT_QUERIES[with_quotas], params).one()
                used[with_quotas] += _cpu_ticks(backend) - before
        db.session.rollback()
        db.engine.dispose()
    runs = SNAPSHOT_BLOCKS * SNAPSHOT_RUNS
    return used[True] / tick * 1000 / runs, used[False] / tick * 1000 / runs


def one_at_a_time(
    healthz: list[Callable[[], int]], registrations: list[Callable[[], int]]
) -> tuple[float, float]:
    """Median latency of each kind of request sent alone, alternating: the cost of one."""
    times: tuple[list[float], list[float]] = ([], [])
    for pair in zip(healthz, registrations, strict=True):
        for kind, job in enumerate(pair):
            started = time.perf_counter()
            job()
            times[kind].append(time.perf_counter() - started)
    return statistics.median(times[0]), statistics.median(times[1])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--url", default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL))
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--clients", type=int, default=CLIENTS)
    parser.add_argument(
        "--quotas",
        action="store_true",
        help="also a storm on a session with two academies' quotas, compared with the plain one",
    )
    parser.add_argument(
        "--history",
        type=int,
        default=30,
        help="earlier sessions of 100 registrations each, then ANALYZE (0: fresh tables, "
        "never analyzed, as on the first day of a new installation)",
    )
    args = parser.parse_args()
    threading.stack_size(256 * 1024)

    fresh_database(args.url)
    session_id, quiet_id, academy_id = seed(args.url, args.history)
    quota_ids = seed_quotas(args.url, session_id, academy_id) if args.quotas else None
    port = free_port()
    instance = Path(os.environ.get("TMPDIR", "/tmp")) / f"registration-storm-{port}"
    instance.mkdir(parents=True, exist_ok=True)
    server = start_gunicorn(args.url, port, args.workers, instance)
    try:
        path = f"/catalog/{session_id}/register"
        print(f"gunicorn: {args.workers} sync workers on 127.0.0.1:{port}, PostgreSQL")
        started = time.perf_counter()
        with ThreadPoolExecutor(max_workers=8) as pool:
            credentials = list(
                pool.map(lambda _: form_credentials(port, path), range(args.clients))
            )
        print(f"forms loaded by {args.clients} clients in {time.perf_counter() - started:.1f} s")

        def healthz() -> int:
            return request(port, "GET", "/livez")[0]

        def registration(
            n: int, where: str = path, prefix: str = "storm", academy: int = academy_id
        ) -> Callable[[], int]:
            token, cookie = credentials[n]
            fields = {
                "csrf_token": token,
                "full_name": f"Storm Student {n}",
                "email": f"{prefix}{n}@bench.example.org",
                "academy_id": academy,
                "locale": ("en", "ru", "uz")[n % 3],
                "consent": "y",
            }
            if academy == -1:  # from elsewhere: the public pool only
                fields["academy_other"] = "Another university"
            body = urlencode(fields)
            headers = {"Content-Type": "application/x-www-form-urlencoded", "Cookie": cookie}
            return lambda: request(port, "POST", where, body, headers)[0]

        meter = CpuMeter(server, args.url) if Path("/proc/self/stat").exists() else None
        cpu_start = meter.read() if meter else None
        baseline = burst("GET /livez", [healthz] * args.clients, 200)
        cpu_middle = meter.read() if meter else None
        storm = burst("POST register", [registration(n) for n in range(args.clients)], 302)
        cpu_end = meter.read() if meter else None
        quota_storm = None
        if quota_ids:
            quota_path = f"/catalog/{quota_ids[0]}/register"
            thirds = (academy_id, quota_ids[1], -1)
            quota_storm = burst(
                "POST quotas",
                [registration(n, quota_path, "quota", thirds[n % 3]) for n in range(args.clients)],
                302,
            )
        quiet = f"/catalog/{quiet_id}/register"
        alone = one_at_a_time(
            [healthz] * SEATS,
            [registration(n, quiet, "quiet") for n in range(SEATS)],
        )
        solo_cpu = None
        if meter:  # CPU of one request without queueing: each kind back to back
            readings = [meter.read()]
            for job in [healthz] * SEATS:
                job()
            readings.append(meter.read())
            for job in [registration(n, quiet, "solo") for n in range(SEATS)]:
                job()
            readings.append(meter.read())
            solo_cpu = (
                meter.per_request_ms(readings[0], readings[1], SEATS),
                meter.per_request_ms(readings[1], readings[2], SEATS),
            )
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)

    engine = sa.create_engine(args.url)
    with engine.connect() as conn:
        rows = conn.execute(
            sa.text(
                "SELECT status, count(*) FROM registrations WHERE session_id = :id GROUP BY status"
            ),
            {"id": session_id},
        )
        counts = {status: count for status, count in rows}
        mails = conn.execute(
            sa.text("SELECT count(*) FROM outbox_messages WHERE session_id = :id"),
            {"id": session_id},
        ).scalar_one()
    engine.dispose()

    print(baseline.line())
    print(storm.line())
    ratio50 = statistics.median(storm.latencies) / statistics.median(baseline.latencies)
    print(
        f"registration / healthz: throughput {len(storm.latencies) / storm.wall:.1f} vs "
        f"{len(baseline.latencies) / baseline.wall:.1f} req/s "
        f"({(baseline.wall / storm.wall):.2f}x), p50 latency ratio {ratio50:.2f}"
    )
    print(
        f"one at a time ({SEATS} each, alternating): healthz p50 {alone[0] * 1000:.1f} ms, "
        f"registration p50 {alone[1] * 1000:.1f} ms, ratio {alone[1] / alone[0]:.1f}"
    )
    if meter:
        bursts = (
            meter.per_request_ms(cpu_start, cpu_middle, args.clients),
            meter.per_request_ms(cpu_middle, cpu_end, args.clients),
        )
        for label, (trivial, signup) in (("bursts", bursts), ("one at a time", solo_cpu)):
            print(
                f"CPU per request, {label}: healthz app {trivial['app']:.2f} ms + database "
                f"{trivial['database']:.2f} ms; registration app {signup['app']:.2f} ms + "
                f"database {signup['database']:.2f} ms; ratio (app + database) "
                f"{sum(signup.values()) / max(sum(trivial.values()), 1e-9):.1f}"
            )
    if meter:
        with_quotas, without = snapshot_cost(args.url, session_id)
        print(
            f"locked snapshot, database CPU per execution: {with_quotas:.3f} ms with the quota "
            f"counts, {without:.3f} ms without (a session without an open quota skips them), "
            f"ratio {with_quotas / max(without, 1e-9):.2f}"
        )
    print(f"database: {counts}, outbox messages: {mails}")
    quotas_ok = True
    if quota_storm is not None and quota_ids is not None:
        quotas_ok = report_quotas(args.url, quota_ids[0], storm, quota_storm, args.clients)
    for error in sorted(set(storm.errors + baseline.errors))[:10]:
        print("error:", error)
    held = counts.get("held", 0)
    waiting = counts.get("waiting", 0)
    ok = (
        held == SEATS
        and waiting == args.clients - SEATS
        and not storm.errors
        and not baseline.errors
        and mails == args.clients
        and quotas_ok
    )
    print(
        "RESULT:",
        "OK" if ok else "FAILED",
        f"({held} holds, {waiting} waiting, {len(storm.errors)} errors)",
    )
    return 0 if ok else 1


def report_quotas(url: str, session_id: int, plain: Run, quotas: Run, clients: int) -> bool:
    """Print the quota storm's figures against the plain storm's; check its seats."""
    engine = sa.create_engine(url)
    with engine.connect() as conn:
        rows = conn.execute(
            sa.text(
                "SELECT status, quota_id IS NOT NULL, count(*) FROM registrations "
                "WHERE session_id = :id GROUP BY status, quota_id IS NOT NULL"
            ),
            {"id": session_id},
        )
        counts = {(status, in_quota): count for status, in_quota, count in rows}
        per_quota = conn.execute(
            sa.text(
                "SELECT quota_id, count(*) FROM registrations WHERE session_id = :id "
                "AND status = 'held' AND quota_id IS NOT NULL GROUP BY quota_id"
            ),
            {"id": session_id},
        ).all()
    engine.dispose()
    print(quotas.line())
    plain_rate, quota_rate = len(plain.latencies) / plain.wall, len(quotas.latencies) / quotas.wall
    ratio50 = statistics.median(quotas.latencies) / statistics.median(plain.latencies)
    print(
        f"quotas / plain storm: throughput {quota_rate:.1f} vs {plain_rate:.1f} req/s "
        f"({quota_rate / plain_rate:.2f}x), p50 latency ratio {ratio50:.2f}"
    )
    in_quota = counts.get(("held", True), 0)
    general = counts.get(("held", False), 0)
    waiting = counts.get(("waiting", False), 0)
    print(
        f"quotas: {in_quota} quota seats {sorted(n for _q, n in per_quota)}, {general} general, "
        f"{waiting} waiting"
    )
    return (
        sorted(n for _q, n in per_quota) == [QUOTA_SEATS, QUOTA_SEATS]
        and general == SEATS - 2 * QUOTA_SEATS
        and waiting == clients - SEATS
        and not quotas.errors
    )


if __name__ == "__main__":
    raise SystemExit(main())
