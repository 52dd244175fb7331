"""Benchmark: calendar feeds over HTTP through gunicorn, against baselines in the same run.

    .venv/bin/python bench/feeds.py [--requests 300] [--cold 5]

One SQLite database with 2,000 public sessions; academy feeds cover the first 500 and
1,000 of them, so one server shows all three sizes. Measured over HTTP (a new connection
per request, as pollers do), on one gunicorn sync worker:
- cold render: the caches emptied first (a bench-only route), then the feed; also the
  render after one change (a session's updated_at moved from outside, not timed);
- warm request: a full 200 from the cache, against a static file of the same size
  served by the same server (Flask's send_from_directory);
- 304 request: If-None-Match with the current ETag, against /livez; once with the
  default fingerprint memo (5 s) and once with a fingerprint query on every poll.
Requests alternate with their baseline so that noise from the shared machine hits both;
cold renders are also timed in-process in CPU seconds, which other load barely moves.
Targets (issue 4): warm <= 1.5 x static, 304 <= 1.2 x trivial, cold render linear in N.
Also checks that gunicorn's access log never holds a private feed token in full.
"""

from __future__ import annotations

import argparse
import http.client
import os
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from config import Config  # noqa: E402 - after the path above

SIZES = (500, 1000, 2000)
FINGERPRINT_SECONDS = Config.FEED_FINGERPRINT_SECONDS


def bench_app_for(database_url: str):
    """The app as benchmarked, on `database_url`."""
    from webinars import create_app

    return create_app(
        {
            "SQLALCHEMY_DATABASE_URI": database_url,
            "BASE_URL": "https://webinars.example.uz",
            "HUEY_SQLITE_PATH": os.path.join(tempfile.gettempdir(), "bench-feeds-huey.sqlite3"),
        }
    )


def bench_app():
    """The app under test plus two bench routes; gunicorn calls this factory."""
    from flask import send_from_directory

    app = bench_app_for(os.environ["BENCH_DATABASE_URL"])

    @app.post("/bench/forget")
    def forget():
        """Empty the feed caches (renderings, events, fingerprint): the next render is cold."""
        from webinars.domain.calendars.cache import app_feed_cache

        app_feed_cache().clear()
        return {"status": "forgotten"}

    @app.get("/bench/static.ics")
    def static_feed():
        """The baseline: the same number of bytes from a file on disk."""
        return send_from_directory(os.environ["BENCH_DIR"], "static.ics")

    return app


def seed(database_url: str) -> str:
    """2,000 public sessions; academies a500 and a1000 hold the first 500 and 1,000.

    Returns the plaintext of a private academy token (for the access-log check)."""
    from webinars import create_app
    from webinars.domain.accounts.staff import create_user
    from webinars.domain.calendars.tokens import issue_token
    from webinars.extensions import db
    from webinars.models import (
        Conference,
        FeedScope,
        PartnerAcademy,
        Role,
        Session,
        SessionKind,
        SessionStatus,
        Visibility,
    )

    app = create_app({"SQLALCHEMY_DATABASE_URI": database_url})
    with app.app_context():
        db.create_all()
        lecturer = create_user(
            "l@example.org", "Aziza Karimova", "pw-123456789", Role.LECTURER, "Asia/Samarkand", None
        )
        academies = {
            name: PartnerAcademy(
                slug=name,
                name_en=f"Academy {name}",
                country="RU",
                city="Izhevsk",
                time_zone="Europe/Samara",
                language="ru",
            )
            for name in ("a500", "a1000", "rest")
        }
        db.session.add_all(academies.values())
        now = datetime.now(UTC).replace(microsecond=0)
        first = now - timedelta(days=80)
        zones = ("Asia/Samarkand", "Europe/Samara", "Asia/Almaty")
        for i in range(max(SIZES)):
            starts = first + timedelta(hours=5 * i)
            involved = [academies["a500"]] if i < 500 else []
            involved += [academies["a1000"]] if i < 1000 else [academies["rest"]]
            db.session.add(
                Session(
                    kind=(SessionKind.WEBINAR, SessionKind.GUEST_LECTURE)[i % 2],
                    title=f"Paediatric cardiology, part {i}",
                    description="",
                    language=("en", "ru")[i % 2],
                    starts_at=starts,
                    ends_at=starts + timedelta(minutes=90),
                    time_zone=zones[i % 3],
                    status=SessionStatus.SCHEDULED,
                    visibility=Visibility.PUBLIC,
                    conference=Conference.LINK,
                    join_url=f"https://meet.example.org/{i}",
                    sequence=0,
                    created_at=now - timedelta(days=100),
                    updated_at=now - timedelta(days=100),
                    lecturers=[lecturer],
                    academies=involved,
                )
            )
        db.session.flush()
        token = issue_token(FeedScope.ACADEMY, academies["a500"].id)
        db.session.commit()
    return token


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def get(
    port: int, path: str, headers: dict[str, str] | None = None
) -> tuple[float, int, bytes, dict]:
    """One request on a new connection: (seconds, status, body, headers)."""
    started = time.perf_counter()
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    connection.request("GET", path, headers=headers or {})
    response = connection.getresponse()
    body = response.read()
    elapsed = time.perf_counter() - started
    connection.close()
    return elapsed, response.status, body, dict(response.getheaders())


def touch(db_path: str) -> None:
    """A change the feeds must notice (not timed): one session's updated_at moves."""
    with sqlite3.connect(db_path) as conn:
        conn.execute(
            "UPDATE sessions SET updated_at = ? WHERE id = 1",
            (datetime.now(UTC).replace(tzinfo=None).isoformat(sep=" "),),
        )


def wait_for(port: int, deadline: float = 30.0) -> None:
    start = time.monotonic()
    while time.monotonic() - start < deadline:
        try:
            if get(port, "/livez")[1] == 200:
                return
        except OSError:
            time.sleep(0.1)
    raise SystemExit("gunicorn did not start")


def alternate(port: int, a: tuple, b: tuple, n: int) -> tuple[list[float], list[float]]:
    """n requests of a and of b, interleaved; returns both timing lists."""
    times_a, times_b = [], []
    for _ in range(n):
        elapsed, status, _body, _h = get(port, *a)
        assert status in (200, 304), (a, status)
        times_a.append(elapsed)
        elapsed, status, _body, _h = get(port, *b)
        assert status == 200, (b, status)
        times_b.append(elapsed)
    return times_a, times_b


def ms(values: list[float]) -> str:
    return f"{statistics.median(values) * 1000:7.2f} ms"


def ratio(values: list[float], baseline: list[float]) -> float:
    return statistics.median(values) / statistics.median(baseline)


@contextmanager
def gunicorn(workdir: Path, database_url: str, **settings: str) -> Iterator[tuple[int, Path]]:
    """A gunicorn (one sync worker) on a free loopback port: yields (port, access log)."""
    port = free_port()
    access_log = workdir / f"access-{port}.log"
    env = {
        **os.environ,
        "BENCH_DATABASE_URL": database_url,
        "BENCH_DIR": str(workdir),
        "PYTHONPATH": str(ROOT),
        **{f"WEBINARS_{key}": value for key, value in settings.items()},
    }
    command = [
        str(ROOT / ".venv/bin/gunicorn"),
        "--workers",
        "1",
        "--bind",
        f"127.0.0.1:{port}",
        "--access-logfile",
        str(access_log),
        "bench.feeds:bench_app()",
    ]
    server = subprocess.Popen(
        command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        wait_for(port)
        yield port, access_log
    finally:
        server.terminate()
        server.wait(timeout=30)


FEEDS = {
    500: "/calendars/academies/a500.ics",
    1000: "/calendars/academies/a1000.ics",
    2000: "/calendars/all.ics",
}


def post(port: int, path: str) -> int:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    connection.request("POST", path)
    status = connection.getresponse().status
    connection.close()
    return status


def cold_renders(port: int, db_path: str, repeats: int) -> None:
    """A render from nothing (caches emptied), and the render after one change, per size.

    Sizes are interleaved and the minimum is shown beside the median: on a shared
    machine the minimum is the least disturbed measurement of CPU-bound work.
    """
    print(f"\ncold render over HTTP (caches emptied first), {repeats} rounds, sizes interleaved")
    cold: dict[int, list[float]] = {size: [] for size in FEEDS}
    after_change: dict[int, list[float]] = {size: [] for size in FEEDS}
    shapes: dict[int, str] = {}
    for _ in range(repeats):
        for size, path in FEEDS.items():
            assert post(port, "/bench/forget") == 200
            elapsed, status, body, _h = get(port, path)
            assert status == 200
            cold[size].append(elapsed)
            shapes[size] = f"{body.count(b'BEGIN:VEVENT')} events, {len(body):,} bytes"
    for _ in range(repeats):
        touch(db_path)
        time.sleep(FINGERPRINT_SECONDS + 0.2)  # the worker re-reads the fingerprint
        for size, path in FEEDS.items():
            after_change[size].append(get(port, path)[0])
    for size in FEEDS:
        low, mid = min(cold[size]), statistics.median(cold[size])
        print(
            f"  {size:5d} sessions: cold min {low * 1000:7.1f} ms, median {mid * 1000:7.1f} ms "
            f"({low / size * 1e6:5.0f} us per session); after one change "
            f"{statistics.median(after_change[size]) * 1000:6.1f} ms  [{shapes[size]}]"
        )
    growth = min(cold[2000]) / min(cold[500])
    print(f"  cold, 500 -> 2000 sessions (min): time x{growth:.2f} for x4 sessions")


def cpu_renders(database_url: str, repeats: int) -> None:
    """The same cold renders in this process, in CPU seconds (insensitive to other load)."""
    from webinars.domain.calendars.cache import app_feed_cache

    app = bench_app_for(database_url)
    client = app.test_client()
    print(f"\ncold render in-process, CPU time (min of {repeats}):")
    times: dict[int, float] = {}
    for size, path in FEEDS.items():
        samples = []
        for _ in range(repeats):
            with app.app_context():
                app_feed_cache().clear()
            started = time.process_time()
            assert client.get(path).status_code == 200
            samples.append(time.process_time() - started)
        times[size] = min(samples)
        print(
            f"  {size:5d} sessions: {times[size] * 1000:7.1f} ms "
            f"({times[size] / size * 1e6:5.0f} us per session)"
        )
    per_session = (times[2000] / 2000) / (times[500] / 500)
    print(
        f"  500 -> 2000: x{times[2000] / times[500]:.2f} for x4 sessions "
        f"(time per session x{per_session:.2f}; 1.00 = linear)"
    )


def warm_and_304(port: int, workdir: Path, requests: int, label: str) -> None:
    """Warm 200 against a static file; 304 against /livez; interleaved."""
    _t, status, body, headers = get(port, FEEDS[2000])
    assert status == 200 and body.count(b"BEGIN:VEVENT") == 2000, "all 2,000 in the feed"
    (workdir / "static.ics").write_bytes(body)
    get(port, "/bench/static.ics")
    warm, static = alternate(port, (FEEDS[2000],), ("/bench/static.ics",), requests)
    print(f"\n[{label}] warm 200, {len(body):,} bytes, {requests} each, interleaved:")
    print(f"  feed (cached)  {ms(warm)}\n  static file    {ms(static)}")
    print(f"  ratio          x{ratio(warm, static):.2f}   (target <= 1.5)")
    not_modified, trivial = alternate(
        port, (FEEDS[2000], {"If-None-Match": headers["ETag"]}), ("/livez",), requests
    )
    print(f"[{label}] 304 (If-None-Match), {requests} each, interleaved:")
    print(f"  feed 304       {ms(not_modified)}\n  /livez         {ms(trivial)}")
    print(f"  ratio          x{ratio(not_modified, trivial):.2f}   (target <= 1.2)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--requests", type=int, default=300, help="timed requests per case")
    parser.add_argument("--cold", type=int, default=5, help="cold renders per size")
    args = parser.parse_args()

    workdir = Path(tempfile.mkdtemp(prefix="bench-feeds-"))
    db_path = str(workdir / "bench.sqlite3")
    database_url = f"sqlite:///{db_path}"
    print(f"seeding {max(SIZES)} sessions in {db_path} ...", flush=True)
    token = seed(database_url)
    print(f"fingerprint read at most every {FINGERPRINT_SECONDS:g} s per worker (default)")

    with gunicorn(workdir, database_url) as (port, access_log):
        cold_renders(port, db_path, args.cold)
        warm_and_304(port, workdir, args.requests, "default")
        private = f"/calendars/academies/a500/{token}.ics"
        assert get(port, private)[1] == 200
    with gunicorn(workdir, database_url, FEED_FINGERPRINT_SECONDS="0") as (port, _log):
        warm_and_304(port, workdir, args.requests, "fingerprint query on every poll")
    cpu_renders(database_url, args.cold)

    log = access_log.read_text()
    masked = token not in log and f"/a500/{token[:6]}…" in log
    print(f"\naccess log holds the private token only masked: {'yes' if masked else 'NO'}")
    if not masked:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
