"""University scale: the pages at 5,000 and 20,000 sessions, as ratios to a trivial request.

    psql -h 127.0.0.1 -U postgres -c 'CREATE DATABASE bench_yourname'
    .venv/bin/python bench/scale.py --database-url postgresql+psycopg://postgres@127.0.0.1/bench_yourname
    .venv/bin/python bench/scale.py --database-url ... --app-dir /path/to/another/checkout

For each size (`--sizes`, default 5000 20000) it wipes the database, bulk-inserts a
university's data with bench/pages.py's seeding (40 academies, 300 lecturers, sessions
over about two years) and registrations (`--registrations` at the largest size, in
proportion below it; 2,000 of them on the session whose registrants page is measured),
runs ANALYZE, and then:

- counts the SQL statements of each page in-process (Flask test client), and times each
  page's CPU in-process (median of 30; the app's own work, which a busy machine barely
  moves, where the HTTP timings below are noisy);
- renders /calendars/all.ics cold in-process (caches emptied; least of 5) and reports
  its time as a multiple of /livez in-process, its CPU time (load-insensitive), its
  event count and the Python memory the render allocated at its peak (tracemalloc);
- serves the app with gunicorn (`--workers`, 3) and times each page, interleaved with
  GET /livez, over HTTP: the anonymous pages (/, /catalog/, a public session), the
  staff pages signed in as the session's lecturer (schedule first and last page, the
  registrants page, its CSV);
- runs a registration storm: `--storm` (500) clients POST at once for a master class of
  100 seats; it checks exactly 100 holds and the rest waiting, and no error answer.

It prints, per page, queries and p50 as a multiple of /livez at each size, and the
growth from the smallest to the largest size (targets of issue 14: growth at most 1.2;
anonymous pages at most 3 x /livez, staff pages at most 10 x). `--app-dir` serves and
imports another checkout of the project (e.g. an older commit, for a before/after table)
with this script's seeding and measuring. The machine is shared: only ratios from the
same run mean something. Not a test: it never fails on a number. The database given is
wiped; never point it at a shared one.
"""

from __future__ import annotations

import argparse
import gc
import os
import random
import re
import secrets
import shutil
import statistics
import sys
import tempfile
import time
import tracemalloc
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import urlencode, urlsplit

import requests
import sqlalchemy as sa

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
import pages as seeding  # noqa: E402 - bench/pages.py: sessions, academies, staff, gunicorn
import registration_storm as storm_tools  # noqa: E402 - bursts, forms, one-shot requests
import soak  # noqa: E402 - registrants on one session

ACADEMIES = 40
LECTURERS = 300
REGISTRANTS_SESSION = 1  # taught by the bench lecturer; 2,000 registrants
STORM_SEATS = 100
# The trivial request every ratio divides by. The tables divided by /healthz when it
# only answered "ok"; since 1ee5e38 /healthz is the readiness check (a SELECT 1 and a
# Redis PING on a pool of its own) and /livez is the trivial answer, so /livez is the
# baseline and /healthz is measured as one more page.
BASE = "GET /livez"
LAST_PAGE_RE = re.compile(r'<a[^>]*rel="last"[^>]*href="([^"]+)"|href="([^"]+)"[^>]*rel="last"')
PAGE_NUMBER_RE = re.compile(r'href="(/manage/schedule\?[^"]*page=(\d+)[^"]*)"')


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", required=True, help="PostgreSQL scratch database")
    parser.add_argument("--app-dir", default=str(ROOT), help="the checkout to serve")
    parser.add_argument("--sizes", type=int, nargs="+", default=[5000, 20000])
    parser.add_argument("--registrations", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=60, help="timed requests per page")
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--storm", type=int, default=500, help="clients in the storm (0: none)")
    parser.add_argument("--seed", type=int, default=2024)
    args = parser.parse_args()
    url = sa.make_url(args.database_url)
    if url.get_backend_name() != "postgresql" or url.database in {"test", "postgres"}:
        parser.error("give a PostgreSQL scratch database of your own: it is wiped")
    return args


@dataclass
class Result:
    """One size's figures."""

    sessions: int
    registrations: int
    seconds_seeding: float
    queries: dict[str, int] = field(default_factory=dict)
    cpu: dict[str, float] = field(default_factory=dict)
    p50: dict[str, float] = field(default_factory=dict)
    feed: dict[str, float] = field(default_factory=dict)
    storm: str = ""


def seed_registrations(total: int, n_sessions: int, academies: int, rng: random.Random) -> int:
    """2,000 registrants on the measured session, the rest spread over other sessions
    (about 20 each, every state); returns how many rows were inserted."""
    from webinars.extensions import db
    from webinars.models import Registration, RegistrationStatus

    soak.seed_registrants(REGISTRANTS_SESSION, 2000, list(range(1, academies + 1)))
    now = datetime.now(UTC)
    statuses = list(RegistrationStatus)
    rows, inserted = [], 2000
    per_session = 20
    session_ids = rng.sample(range(2, n_sessions + 1), min(n_sessions - 1, total // per_session))
    for sid in session_ids:
        for k in range(per_session):
            if inserted + len(rows) >= total:
                break
            rows.append(
                dict(
                    session_id=sid,
                    email=f"s{sid}-{k}@example.org",
                    full_name=f"Student {sid}-{k}",
                    academy_id=1 + (sid + k) % academies,
                    locale=("ru", "uz", "en")[k % 3],
                    status=statuses[k % len(statuses)],
                    created_at=now - timedelta(hours=k),
                    confirmed_at=now - timedelta(hours=k),
                    token_hash=secrets.token_hex(32),
                    token_nonce=secrets.token_hex(16),
                )
            )
        if len(rows) >= 10_000:
            db.session.execute(sa.insert(Registration), rows)
            inserted += len(rows)
            rows = []
    if rows:
        db.session.execute(sa.insert(Registration), rows)
        inserted += len(rows)
    db.session.commit()
    return inserted


def storm_session(start_in_days: int = 10) -> int:
    """A public master class of STORM_SEATS seats, open for registration: the storm's."""
    from webinars.extensions import db
    from webinars.models import Session, SessionKind, SessionStatus, Visibility

    now = datetime.now(UTC).replace(minute=0, second=0, microsecond=0)
    sid = db.session.execute(
        sa.select(Session.id).where(Session.id > REGISTRANTS_SESSION).order_by(Session.id).limit(1)
    ).scalar_one()
    db.session.execute(
        sa.update(Session)
        .where(Session.id == sid)
        .values(
            kind=SessionKind.MASTER_CLASS,
            capacity=STORM_SEATS,
            status=SessionStatus.SCHEDULED,
            visibility=Visibility.PUBLIC,
            starts_at=now + timedelta(days=start_in_days),
            ends_at=now + timedelta(days=start_in_days, hours=2),
            registration_opens_at=None,
            registration_closes_at=None,
        )
    )
    db.session.execute(sa.text("DELETE FROM registrations WHERE session_id = :s"), {"s": sid})
    db.session.commit()
    return sid


def build(size: int, registrations: int, academies: int, seed: int) -> tuple[float, int, int]:
    """Wipe, seed, ANALYZE; returns (seconds, registrations inserted, storm session id)."""
    from webinars.extensions import db

    started = time.perf_counter()
    db.drop_all()
    db.session.execute(sa.text("DROP TABLE IF EXISTS alembic_version"))
    db.session.commit()
    db.create_all()
    rng = random.Random(seed)
    seeding.seed(size, rng, n_academies=academies, n_lecturers=LECTURERS)
    inserted = seed_registrations(registrations, size, academies, rng)
    storm_id = storm_session()
    with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(sa.text("ANALYZE"))
    return time.perf_counter() - started, inserted, storm_id


def page_urls() -> dict[str, tuple[str, bool]]:
    """label -> (URL, signed in); the schedule's last page is found on its first page."""
    return {
        BASE: ("/livez", False),
        "/healthz (readiness)": ("/healthz", False),
        "/": ("/", False),
        "/catalog/": ("/catalog/", False),
        "/sessions/<id>": (f"/sessions/{REGISTRANTS_SESSION}", False),
        "/manage/schedule": ("/manage/schedule", True),
        "schedule, last page": ("", True),
        "registrants (2,000)": (f"/manage/sessions/{REGISTRANTS_SESSION}/registrants", True),
        "registrants.csv": (f"/manage/sessions/{REGISTRANTS_SESSION}/registrants.csv", True),
    }


def last_page_url(html: str) -> str:
    """The schedule's last page: a rel="last" link (keyset pages), else the highest page
    number the pager offers (numbered pages)."""
    match = LAST_PAGE_RE.search(html)
    if match:
        return (match.group(1) or match.group(2)).replace("&amp;", "&")
    numbered = [(int(n), href) for href, n in PAGE_NUMBER_RE.findall(html)]
    if not numbered:
        raise SystemExit("the schedule offers no last page")
    return max(numbered)[1].replace("&amp;", "&")


def sign_in(client) -> None:
    """Sign the test client in as the bench lecturer."""
    token = seeding._csrf(client.get("/login").get_data(as_text=True))
    response = client.post(
        "/login",
        data={"email": seeding.BENCH_EMAIL, "password": seeding.PASSWORD, "csrf_token": token},
    )
    if response.status_code != 302:
        raise SystemExit(f"in-process sign-in failed: {response.status_code}")


def count_queries(app, urls: dict[str, tuple[str, bool]]) -> dict[str, int]:
    """SQL statements per page (after one warm-up request), in-process."""
    from webinars.extensions import db

    staff, anonymous = app.test_client(), app.test_client()
    sign_in(staff)
    statements: list[str] = []

    def listen(conn, cursor, statement, parameters, context, executemany) -> None:
        statements.append(statement)

    with app.app_context():
        engine = db.engine
    counts = {}
    for label, (url, signed_in) in urls.items():
        client = staff if signed_in else anonymous
        client.get(url)
        statements.clear()
        sa.event.listen(engine, "before_cursor_execute", listen)
        try:
            response = client.get(url)
            response.get_data()
        finally:
            sa.event.remove(engine, "before_cursor_execute", listen)
        if response.status_code != 200:
            raise SystemExit(f"{url} answered {response.status_code} in-process")
        counts[label] = len(statements)
    return counts


def cpu_per_page(app, urls: dict[str, tuple[str, bool]], n: int = 30) -> dict[str, float]:
    """In-process CPU seconds per request of each page (median of `n`, after a warm-up),
    Flask test client: the app's own work without the network, the database's share or
    the other processes on the machine, so a busy machine barely moves it."""
    staff, anonymous = app.test_client(), app.test_client()
    sign_in(staff)
    medians = {}
    for label, (url, signed_in) in urls.items():
        client = staff if signed_in else anonymous
        client.get(url).get_data()
        times = []
        for _ in range(n):
            started = time.process_time()
            client.get(url).get_data()
            times.append(time.process_time() - started)
        medians[label] = statistics.median(times)
    return medians


def cold_feed(app, repeats: int = 5) -> dict[str, float]:
    """all.ics rendered with every cache emptied, in-process: least time of `repeats`
    against the least /livez, the least CPU time of this process (the render without
    the database's share; a busy machine barely moves it), events sent, Python memory at
    the render's peak."""
    from webinars.domain.calendars.cache import app_feed_cache

    client = app.test_client()
    renders, trivial, cpu = [], [], []
    body = b""
    for _ in range(repeats):
        for _ in range(20):
            started = time.perf_counter()
            client.get("/livez")
            trivial.append(time.perf_counter() - started)
        with app.app_context():
            app_feed_cache().clear()
        gc.collect()
        started, cpu_started = time.perf_counter(), time.process_time()
        response = client.get("/calendars/all.ics")
        body = response.get_data()
        renders.append(time.perf_counter() - started)
        cpu.append(time.process_time() - cpu_started)
    with app.app_context():
        app_feed_cache().clear()
    gc.collect()
    tracemalloc.start()
    client.get("/calendars/all.ics").get_data()
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return {
        "ms": min(renders) * 1000,
        "cpu ms": min(cpu) * 1000,
        "x healthz": min(renders) / min(trivial),
        "events": body.count(b"BEGIN:VEVENT"),
        "bytes": len(body),
        "peak MB": peak / 1e6,
    }


def measure(base: str, urls: dict[str, tuple[str, bool]], n: int) -> dict[str, float]:
    """p50 seconds per page over HTTP, pages interleaved, after 5 warm-up rounds."""
    staff, anonymous = requests.Session(), requests.Session()
    token = seeding._csrf(staff.get(base + "/login").text)
    staff.post(
        base + "/login",
        data={"email": seeding.BENCH_EMAIL, "password": seeding.PASSWORD, "csrf_token": token},
    )
    timings: dict[str, list[float]] = {label: [] for label in urls}
    for round_ in range(n + 5):
        for label, (url, signed_in) in urls.items():
            http = staff if signed_in else anonymous
            started = time.perf_counter()
            response = http.get(base + url, allow_redirects=False)
            _ = response.content
            elapsed = time.perf_counter() - started
            if response.status_code != 200:
                raise SystemExit(f"{url} answered {response.status_code} over HTTP")
            if round_ >= 5:
                timings[label].append(elapsed)
    return {label: statistics.median(values) for label, values in timings.items()}


def run_storm(base: str, session_id: int, clients: int, database_url: str) -> str:
    """`clients` registrations at once for STORM_SEATS seats; the database must hold
    exactly STORM_SEATS holds and the rest waiting, with no error answers."""
    from concurrent.futures import ThreadPoolExecutor

    port = urlsplit(base).port
    path = f"/catalog/{session_id}/register"
    with ThreadPoolExecutor(max_workers=8) as pool:
        credentials = list(
            pool.map(lambda _: storm_tools.form_credentials(port, path), range(clients))
        )

    def registration(n: int):
        token, cookie = credentials[n]
        body = urlencode(
            {
                "csrf_token": token,
                "full_name": f"Storm Student {n}",
                "email": f"storm{n}@bench.example.org",
                "academy_id": 1,
                "locale": ("en", "ru", "uz")[n % 3],
                "consent": "y",
            }
        )
        headers = {"Content-Type": "application/x-www-form-urlencoded", "Cookie": cookie}
        return lambda: storm_tools.request(port, "POST", path, body, headers)[0]

    baseline = storm_tools.burst(
        "GET /livez", [lambda: storm_tools.request(port, "GET", "/livez")[0]] * clients, 200
    )
    storm = storm_tools.burst("POST register", [registration(n) for n in range(clients)], 302)
    engine = sa.create_engine(database_url)
    with engine.connect() as conn:
        counts = dict(
            conn.execute(
                sa.text(
                    "SELECT status, count(*) FROM registrations WHERE session_id = :s GROUP BY 1"
                ),
                {"s": session_id},
            ).all()
        )
    engine.dispose()
    ok = (
        counts.get("held", 0) == min(clients, STORM_SEATS)
        and counts.get("waiting", 0) == max(0, clients - STORM_SEATS)
        and not storm.errors
    )
    ratio = statistics.median(storm.latencies) / statistics.median(baseline.latencies)
    return (
        f"{clients} at once for {STORM_SEATS} seats: {counts.get('held', 0)} held, "
        f"{counts.get('waiting', 0)} waiting, {len(storm.errors)} errors, "
        f"p50 {statistics.median(storm.latencies) * 1000:.0f} ms "
        f"({ratio:.1f} x a /livez burst of the same size): {'OK' if ok else 'FAILED'}"
    )


def measure_size(args, app, env, scratch: Path, size: int, registrations: int) -> Result:
    """Build one size and take all of its figures."""
    with app.app_context():
        seconds, inserted, storm_id = build(size, registrations, ACADEMIES, args.seed)
    result = Result(size, inserted, seconds)
    urls = page_urls()
    staff = app.test_client()
    sign_in(staff)
    first = staff.get("/manage/schedule").get_data(as_text=True)
    urls["schedule, last page"] = (last_page_url(first), True)
    result.queries = count_queries(app, urls)
    result.cpu = cpu_per_page(app, urls)
    result.feed = cold_feed(app)
    root = Path(args.app_dir)
    with seeding.gunicorn(env, args.workers, scratch / f"gunicorn-{size}.log", root) as base:
        result.p50 = measure(base, urls, args.requests)
        if args.storm:
            result.storm = run_storm(base, storm_id, args.storm, args.database_url)
    return result


def report(args, results: list[Result]) -> None:
    """The table: per page, queries and p50 x /livez at each size, and the growth."""
    small, large = results[0], results[-1]
    print(
        f"\nwebinars bench/scale.py, app {args.app_dir}, PostgreSQL, gunicorn "
        f"{args.workers} workers, {args.requests} requests per page interleaved; "
        f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f} at the end"
    )
    for r in results:
        print(
            f"  {r.sessions} sessions, {r.registrations} registrations, "
            f"seeded and analyzed in {r.seconds_seeding:.0f} s"
        )
    sizes = "".join(
        f" {'q ' + str(r.sessions):>8} {'x hz ' + str(r.sessions):>11}" for r in results
    )
    header = f"{'page':22}{sizes} {'growth':>7}"
    print("\n" + header)
    print("-" * len(header))
    base = BASE
    for label in results[0].p50:
        cells = "".join(
            f" {r.queries[label]:>8} {r.p50[label] / r.p50[base]:>11.1f}" for r in results
        )
        growth = (large.p50[label] / large.p50[base]) / (small.p50[label] / small.p50[base])
        print(f"{label:22}{cells} {growth:>7.2f}")
    print("\n/livez p50: " + ", ".join(f"{r.p50[base] * 1000:.2f} ms" for r in results))
    print("\nin-process CPU per request, median of 30 (ms, and x /livez's):")
    for label in results[0].cpu:
        cells = "".join(
            f" {r.cpu[label] * 1000:>8.2f} {r.cpu[label] / r.cpu[base]:>11.1f}" for r in results
        )
        print(f"{label:22}{cells}")
    print("\ncold all.ics render, in-process (least of 5):")
    for r in results:
        f = r.feed
        print(
            f"  {r.sessions:>6} sessions: {f['ms']:.0f} ms = {f['x healthz']:.0f} x /livez "
            f"(CPU {f['cpu ms']:.0f} ms), {f['events']} events, {f['bytes'] / 1e6:.2f} MB, "
            f"Python peak {f['peak MB']:.1f} MB"
        )
    feed_growth = (
        large.feed["ms"] / small.feed["ms"],
        large.feed["x healthz"] / small.feed["x healthz"],
        large.feed["cpu ms"] / small.feed["cpu ms"],
    )
    print(
        f"  growth: x{feed_growth[0]:.2f} in time, x{feed_growth[1]:.2f} as a ratio, "
        f"x{feed_growth[2]:.2f} in CPU time"
    )
    if args.storm:
        print("\nregistration storm:")
        for r in results:
            print(f"  {r.sessions:>6} sessions: {r.storm}")
    print("\nq: SQL statements per page; x hz: p50 divided by /livez's p50 in the same run;")
    print("growth: the ratio at the largest size divided by the ratio at the smallest.")


def main() -> None:
    args = parse_args()
    scratch = Path(tempfile.mkdtemp(prefix="webinars-scale-"))
    env = {k: v for k, v in os.environ.items() if k != "REDIS_URL"}
    env.update(
        WEBINARS_ENV="production",
        SELF_CHECK="warn",
        SECRET_KEY=secrets.token_hex(32),
        DATABASE_URL=args.database_url,
        SESSION_COOKIE_SECURE="0",
        FORCE_HTTPS="0",
        WEBINARS_RATELIMIT_ENABLED="false",  # one address signs in and registers 500 times
        LOG_LEVEL="WARNING",  # one line per request would drown the table
        # A slow page on a loaded machine (the old 1.7 MB registrants page) must be
        # measured, not killed by gunicorn's default 30 s timeout.
        GUNICORN_CMD_ARGS="--timeout 600",
        WEBINARS_INSTANCE_DIR=str(scratch),
    )
    os.environ.clear()
    os.environ.update(env)
    sys.path.insert(0, args.app_dir)  # the served checkout's package and config
    from webinars import create_app
    from webinars.extensions import db

    app = create_app()
    results = []
    try:
        largest = max(args.sizes)
        for size in args.sizes:
            registrations = args.registrations * size // largest
            results.append(measure_size(args, app, env, scratch, size, registrations))
        report(args, results)
    finally:
        with app.app_context():
            db.session.remove()
            db.engine.dispose()
        shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    main()
