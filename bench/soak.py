"""Soak: a bounded mixed load on gunicorn; counts dropped connections and worker deaths.

    .venv/bin/python bench/soak.py                                   # scratch SQLite file
    .venv/bin/python bench/soak.py --database-url postgresql+psycopg://postgres@127.0.0.1/soak_me
    .venv/bin/python bench/soak.py --venv /path/to/other/venv        # another Python build
    .venv/bin/python bench/soak.py --database-url ... --debug-malloc   # make corruption loud

--debug-malloc runs the workers with CPython's debug allocator hooks (PYTHONMALLOC=debug,
a release build has them): every block is padded and checked when freed, freed memory is
filled with 0xDD and allocations without the GIL are caught. Memory corrupted by a C
extension or the interpreter then crashes at the first misuse, with the allocator's own
report in the log, instead of now and then somewhere else (issue 9 was found this way).
It is slower: give a longer --timeout under load. Run it from a shell with
`ulimit -c unlimited` to keep core files for gdb.

Seeds a scratch database in bulk (bench/pages.py's sessions, academies and staff, plus
registrants on one master class), serves it the production way (`gunicorn -c
gunicorn.conf.py wsgi:app`, production settings, PYTHONFAULTHANDLER=1) and sends a mix of
public pages, staff pages, the registrants page and its CSV, and the calendar feeds from
several client threads for `--duration` seconds. Then it reads gunicorn's log and prints:

- requests per page and the answers that were not 200;
- dropped connections: requests that got no answer at all (the connection closed);
- worker deaths: "Worker (pid:…) was sent SIG…" and "Worker (pid:…) exited with code …",
  with the request each died in (gunicorn.conf.py logs it) and the first lines of the
  Python fault handler's dump when there is one.

Exit status 0 whatever it finds: it is a measurement, not a test. The PostgreSQL database
given is wiped (every table of the app is dropped and created).
"""

from __future__ import annotations

import argparse
import collections
import os
import random
import re
import secrets
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path

import requests
import sqlalchemy as sa

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
import pages as seeding  # noqa: E402 - bench/pages.py: the same seeded data

DEATH_RE = re.compile(r"Worker \(pid:(\d+)\) (was sent (\w+)|exited with code (\d+))")
INFLIGHT_RE = re.compile(r"worker (\d+) died while serving (.*?) \(started")


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", help="PostgreSQL URL of a scratch database (wiped)")
    parser.add_argument("--sessions", type=int, default=5000)
    parser.add_argument("--registrants", type=int, default=2000)
    parser.add_argument("--duration", type=float, default=120, help="seconds of load")
    parser.add_argument("--clients", type=int, default=6, help="client threads")
    parser.add_argument("--workers", type=int, default=3, help="gunicorn workers")
    parser.add_argument("--venv", default=str(ROOT / ".venv"), help="venv whose gunicorn serves")
    parser.add_argument("--seed", type=int, default=2024)
    parser.add_argument("--keep-log", help="copy gunicorn's log here")
    parser.add_argument("--extra-env", action="append", default=[], help="NAME=VALUE for gunicorn")
    parser.add_argument(
        "--debug-malloc",
        action="store_true",
        help="workers run with CPython's debug allocator hooks (PYTHONMALLOC=debug)",
    )
    parser.add_argument(
        "--timeout", type=int, default=30, help="gunicorn's worker timeout, seconds"
    )
    parser.add_argument(
        "--gc-threshold",
        help="e.g. 50,1,1: collect garbage far more often in the workers, so that memory "
        "corrupted by a C extension is found sooner (gc.set_threshold)",
    )
    args = parser.parse_args()
    if args.database_url and sa.make_url(args.database_url).database in {"test", "postgres"}:
        parser.error("use a scratch database of your own: this one is shared and would be wiped")
    return args


def seed_registrants(session_id: int, count: int, academy_ids: list[int]) -> None:
    """`count` registrations on one session, in every state, as a popular master class has."""
    from webinars.extensions import db
    from webinars.models import Registration, RegistrationStatus, Session, SessionKind

    now = datetime.now(UTC)
    db.session.execute(
        sa.update(Session)
        .where(Session.id == session_id)
        .values(kind=SessionKind.MASTER_CLASS, capacity=count // 2)
    )
    statuses = [RegistrationStatus.CONFIRMED] * 6 + [
        RegistrationStatus.WAITING,
        RegistrationStatus.HELD,
        RegistrationStatus.CANCELLED,
    ]
    rows = [
        dict(
            session_id=session_id,
            email=f"student{i}@example.org",
            full_name=f"Student {i:05d}",
            academy_id=academy_ids[i % len(academy_ids)],
            locale=("ru", "uz", "en")[i % 3],
            status=statuses[i % len(statuses)],
            created_at=now - timedelta(hours=i % 500),
            confirmed_at=now - timedelta(hours=i % 400),
            token_hash=secrets.token_hex(32),
            token_nonce=secrets.token_hex(16),
        )
        for i in range(count)
    ]
    db.session.execute(sa.insert(Registration), rows)
    db.session.commit()


def page_mix(session_ids: list[int], academy_slugs: list[str]) -> list[tuple[str, str, int]]:
    """(label, URL template, weight): '{s}' is a random session, '{a}' a random academy."""
    return [
        ("home", "/", 6),
        ("catalogue", "/catalog/", 6),
        ("public session", "/sessions/{s}", 6),
        ("session download", "/sessions/{s}/calendar.ics", 3),
        ("all.ics", "/calendars/all.ics", 3),
        ("academy feed", "/calendars/academies/{a}.ics", 3),
        ("subscribe page", "/calendars/", 2),
        ("dashboard", "/manage/", 4),
        ("schedule", "/manage/schedule", 5),
        ("schedule, deep page", "/manage/schedule?page={p}", 3),
        ("session page", "/manage/sessions/{s}", 5),
        ("new-session form", "/manage/sessions/new", 4),
        ("registrants", "/manage/sessions/1/registrants", 4),
        ("registrants.csv", "/manage/sessions/1/registrants.csv", 2),
    ]


class Load:
    """Client threads sending the mix until a deadline; counts answers and dropped ones."""

    def __init__(self, base: str, mix, session_ids, academy_slugs, seed: int) -> None:
        self.base, self.mix = base, mix
        self.session_ids, self.academy_slugs = session_ids, academy_slugs
        self.rng = random.Random(seed)
        self.lock = threading.Lock()
        self.answers: collections.Counter[tuple[str, int]] = collections.Counter()
        self.dropped: list[tuple[float, str, str]] = []
        self.timeouts: list[tuple[float, str]] = []

    def client(self, deadline: float, seed: int) -> None:
        rng = random.Random(seed)
        http = requests.Session()
        signed_in = self._sign_in(http)
        labels = [m for m in self.mix if signed_in or not m[1].startswith("/manage/")]
        weights = [m[2] for m in labels]
        while time.monotonic() < deadline:
            label, template, _ = rng.choices(labels, weights)[0]
            url = template.format(
                s=rng.choice(self.session_ids),
                a=rng.choice(self.academy_slugs),
                p=rng.randint(1, 400),
            )
            try:
                response = http.get(self.base + url, timeout=60, allow_redirects=False)
            except requests.Timeout:
                with self.lock:
                    self.timeouts.append((time.time(), url))
                continue
            except requests.ConnectionError as error:
                with self.lock:
                    self.dropped.append((time.time(), url, type(error).__name__))
                continue
            with self.lock:
                self.answers[(label, response.status_code)] += 1

    def _sign_in(self, http: requests.Session) -> bool:
        token = seeding._csrf(http.get(self.base + "/login").text)
        response = http.post(
            self.base + "/login",
            data={
                "email": seeding.BENCH_EMAIL,
                "password": seeding.PASSWORD,
                "csrf_token": token,
            },
        )
        return response.url.endswith("/manage/")

    def run(self, clients: int, duration: float) -> None:
        deadline = time.monotonic() + duration
        threads = [
            threading.Thread(target=self.client, args=(deadline, self.rng.random()))
            for _ in range(clients)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()


@contextmanager
def gunicorn(
    venv: Path,
    env: dict[str, str],
    workers: int,
    log: Path,
    gc_threshold: str | None,
    debug_malloc: bool = False,
):
    """`gunicorn -c gunicorn.conf.py wsgi:app` on a free loopback port; yields the base URL."""
    config = ROOT / "gunicorn.conf.py"
    if gc_threshold:  # the project's settings, plus a GC threshold set in each worker
        config = log.with_name("gunicorn-soak.conf.py")
        config.write_text(GC_CONFIG.format(project=str(ROOT / "gunicorn.conf.py"), gc=gc_threshold))
    port = seeding.free_port()
    env = dict(
        env,
        GUNICORN_BIND=f"127.0.0.1:{port}",
        GUNICORN_WORKERS=str(workers),
        GUNICORN_ACCESSLOG="",
        PYTHONFAULTHANDLER="1",
    )
    if debug_malloc:  # only the server: seeding stays at full speed
        env["PYTHONMALLOC"] = "debug"
    command = [str(venv / "bin" / "gunicorn"), "-c", str(config), "wsgi:app"]
    with log.open("w") as out:
        proc = subprocess.Popen(command, cwd=ROOT, env=env, stdout=out, stderr=out)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if requests.get(base + "/healthz", timeout=5).status_code == 200:
                    break
            except requests.RequestException:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                raise SystemExit(f"gunicorn did not start:\n{log.read_text()[-3000:]}")
            time.sleep(0.2)
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()


GC_CONFIG = """
import gc
exec(open({project!r}).read())
_project_post_fork = post_fork


def post_fork(server, worker):
    _project_post_fork(server, worker)
    gc.set_threshold({gc})
"""


def deaths(log_text: str) -> tuple[list[str], list[str], list[str]]:
    """Worker deaths, the requests they died in, and the fault handler's first lines."""
    died = [m.group(0) for m in DEATH_RE.finditer(log_text)]
    inflight = [m.group(2) for m in INFLIGHT_RE.finditer(log_text)]
    faults = []
    lines = log_text.splitlines()
    for i, line in enumerate(lines):
        if line.startswith("Fatal Python error") or line.startswith("Debug memory block"):
            faults.append("\n".join(lines[i : i + 14]))
    return died, inflight, faults


def python_version(venv: Path) -> str:
    out = subprocess.run(
        [str(venv / "bin" / "python"), "-c", "import platform; print(platform.python_version())"],
        capture_output=True,
        text=True,
        check=True,
    )
    return out.stdout.strip()


def report(args, database: str, venv: Path, load: Load, log_text: str, requests_total: int):
    died, inflight, faults = deaths(log_text)
    print(
        f"\nwebinars bench/soak.py on {database}: {args.sessions} sessions, "
        f"{args.registrants} registrants; gunicorn -c gunicorn.conf.py, {args.workers} workers, "
        f"Python {python_version(venv)}; {args.clients} clients for {args.duration:.0f} s"
        f"{'; gc threshold ' + args.gc_threshold if args.gc_threshold else ''}"
        f"{'; PYTHONMALLOC=debug' if args.debug_malloc else ''}\n"
    )
    by_label: dict[str, collections.Counter[int]] = collections.defaultdict(collections.Counter)
    for (label, status), count in load.answers.items():
        by_label[label][status] += count
    print(f"{'page':22} {'requests':>8}  answers other than 200")
    for label, statuses in sorted(by_label.items()):
        others = ", ".join(f"{s}: {n}" for s, n in sorted(statuses.items()) if s != 200)
        print(f"{label:22} {sum(statuses.values()):>8}  {others or '-'}")
    print(f"\nrequests answered: {requests_total}")
    print(f"dropped connections (no answer): {len(load.dropped)}")
    for at, url, kind in load.dropped[:20]:
        print(f"  {datetime.fromtimestamp(at, UTC):%H:%M:%S} {url} ({kind})")
    print(f"client timeouts (60 s): {len(load.timeouts)}")
    print(f"worker deaths: {len(died)}")
    for line in died:
        print(f"  {line}")
    for line in inflight:
        print(f"  in flight: {line}")
    for fault in faults[:3]:
        print("  " + fault.replace("\n", "\n  "))


def main() -> None:
    args = parse_args()
    venv = Path(args.venv)
    scratch = Path(tempfile.mkdtemp(prefix="webinars-soak-"))
    url = args.database_url or f"sqlite:///{scratch / 'soak.sqlite3'}"
    env = {k: v for k, v in os.environ.items() if k != "REDIS_URL"}
    env.update(
        WEBINARS_ENV="production",
        SELF_CHECK="warn",  # a scratch SQLite file or database, no Redis, plain http
        SECRET_KEY=secrets.token_hex(32),
        DATABASE_URL=url,
        SESSION_COOKIE_SECURE="0",
        FORCE_HTTPS="0",
        WEBINARS_INSTANCE_DIR=str(scratch),
        LOGIN_RATE_LIMIT="1000 per minute",
    )
    env["GUNICORN_TIMEOUT"] = str(args.timeout)
    env.update(dict(item.split("=", 1) for item in args.extra_env))
    os.environ.clear()
    os.environ.update(env)
    sys.path.insert(0, str(ROOT))
    from webinars import create_app
    from webinars.extensions import db
    from webinars.models import PartnerAcademy, Session, SessionStatus, Visibility

    app = create_app()
    try:
        with app.app_context():
            db.drop_all()
            db.session.execute(sa.text("DROP TABLE IF EXISTS alembic_version"))
            db.session.commit()
            db.create_all()
            seeding.seed(args.sessions, random.Random(args.seed))
            academies = db.session.execute(sa.select(PartnerAcademy.id, PartnerAcademy.slug)).all()
            seed_registrants(1, args.registrants, [a.id for a in academies])
            public = db.session.scalars(
                sa.select(Session.id).where(
                    Session.status == SessionStatus.SCHEDULED,
                    Session.visibility == Visibility.PUBLIC,
                )
            ).all()
        load = Load("", [], list(public), [a.slug for a in academies], args.seed)
        load.mix = page_mix(load.session_ids, load.academy_slugs)
        log = scratch / "gunicorn.log"
        with gunicorn(venv, env, args.workers, log, args.gc_threshold, args.debug_malloc) as base:
            load.base = base
            load.run(args.clients, args.duration)
            time.sleep(2)  # let the arbiter log the last deaths
        log_text = log.read_text(errors="replace")
        if args.keep_log:
            shutil.copy(log, args.keep_log)
        database = "PostgreSQL" if sa.make_url(url).get_backend_name() == "postgresql" else "SQLite"
        report(args, database, venv, load, log_text, sum(load.answers.values()))
    finally:
        with app.app_context():
            db.session.remove()
            if args.database_url:
                db.drop_all()
            db.engine.dispose()
        shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    main()
