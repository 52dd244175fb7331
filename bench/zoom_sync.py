"""Benchmark: keeping Zoom in step for 200 sessions, through the stand-in Zoom server.

    .venv/bin/python bench/zoom_sync.py [--sessions 200 --moves 50 --cancels 20]

Two scenarios, each on a fresh SQLite database and a fresh stand-in account:
- no faults: 200 sessions created, then 50 moved and 20 cancelled, each change handed
  to the background sync by its commit, as in the app (the domain signals the change,
  the sync is queued after the commit; huey runs tasks at once here);
- 30% faults: the same, while about 30% of Zoom's answers fail (5xx, 429 with and
  without Retry-After, replies lost after Zoom did the work, replies slower than the
  client waits); then the periodic sweep runs, its clock moved 15 minutes a round, until
  a round finds nothing to do. The end state is checked: one meeting per live session
  at its time, none for cancelled ones, nothing else.
For each: wall time, Zoom API calls (per phase, per change and per session), against a
baseline in the same run: a plain loop of the same number of HTTP requests to the
stand-in (GET /v2/users/{host} with a bearer token over one keep-alive connection).
Not a test: it prints figures and never fails on a number.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.fakes.zoom_server import ZoomServer  # noqa: E402

HOSTS = [f"host{n}@example.edu" for n in range(1, 7)]  # Zoom allows each 100 changes a day
SLOTS = (8, 10, 13, 15)  # hours in Samarkand: 90-minute sessions, never two on one host
CLIENT_TIMEOUT, SLOW_REPLY = 0.3, 0.5  # seconds, in the fault scenario


@dataclass
class Run:
    """Figures of one scenario."""

    name: str
    phases: dict[str, tuple[float, int]] = field(default_factory=dict)  # seconds, calls
    repair: tuple[float, int, int] = (0.0, 0, 0)  # seconds, calls, sweep rounds
    faults: Counter[str] = field(default_factory=Counter)
    tokens: int = 0
    baseline: float = 0.0
    correct: bool = False

    @property
    def calls(self) -> int:
        return sum(c for _, c in self.phases.values()) + self.repair[1]

    @property
    def seconds(self) -> float:
        return sum(s for s, _ in self.phases.values()) + self.repair[0]


def _app(tmp: Path, server: ZoomServer, timeout: float):
    from webinars import create_app
    from webinars.extensions import db

    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp / 'bench.sqlite3'}",
            "HUEY_SQLITE_PATH": str(tmp / "huey.sqlite3"),
            "ZOOM_ACCOUNT_ID": server.account_id,
            "ZOOM_CLIENT_ID": server.client_id,
            "ZOOM_CLIENT_SECRET": server.client_secret,
            "ZOOM_HOSTS": ",".join(HOSTS),
            "ZOOM_OAUTH_URL": server.oauth_url,
            "ZOOM_API_BASE_URL": server.api_base_url,
            "ZOOM_TIMEOUT_SECONDS": timeout,
            "ZOOM_TOKEN_FILE": str(tmp / "zoom-token.json"),
        }
    )
    with app.app_context():
        db.create_all()
    return app


def _api_calls(server: ZoomServer) -> int:
    return len(server.api_requests())


def _timed(server: ZoomServer, work) -> tuple[float, int]:
    before = _api_calls(server)
    started = time.perf_counter()
    work()
    return time.perf_counter() - started, _api_calls(server) - before


def _scenario(name: str, server: ZoomServer, args, fault_rate: float) -> Run:
    from tests.fixtures.app import session_input
    from webinars.domain.accounts.staff import create_user
    from webinars.domain.sessions.scheduling import (
        cancel_session,
        create_session,
        reschedule_session,
    )
    from webinars.extensions import db
    from webinars.jobs.zoom import sweep_once
    from webinars.models import Conference, PartnerAcademy, Role, Session

    server.reset()
    for n in range(4, len(HOSTS) + 1):
        server.account.add_user(f"host{n}@example.edu", "Host", str(n))
    server.slow_seconds = SLOW_REPLY
    run = Run(name)
    with tempfile.TemporaryDirectory(prefix="bench-zoom-") as tmp:
        timeout = CLIENT_TIMEOUT if fault_rate else 10.0
        app = _app(Path(tmp), server, timeout)
        with app.app_context():
            lecturer = create_user("l@bench.example", "Lecturer", "x" * 12, Role.LECTURER)
            academy = PartnerAcademy(
                slug="a",
                name_en="A",
                country="RU",
                city="Izhevsk",
                time_zone="Europe/Samara",
                language="ru",
            )
            db.session.add(academy)
            db.session.commit()
            server.set_fault_rate(fault_rate, seed=args.seed)
            today = datetime.now(UTC).date()
            ids: list[int] = []

            def start(i: int, minute: int = 0) -> datetime:
                day = today + timedelta(days=3 + i // len(SLOTS))
                return datetime(day.year, day.month, day.day, SLOTS[i % len(SLOTS)], minute)

            def create() -> None:
                for i in range(args.sessions):
                    data = session_input(
                        starts_local=start(i),
                        conference=Conference.ZOOM,
                        join_url=None,
                        lecturer_ids=[lecturer.id],
                        academy_ids=[academy.id],
                        title=f"Bench session {i}",
                    )
                    session = create_session(data, None)
                    db.session.commit()
                    ids.append(session.id)

            def move() -> None:
                for i, session_id in enumerate(ids[: args.moves]):
                    session = db.session.get(Session, session_id)
                    reschedule_session(session, start(i, 30), "Asia/Samarkand", 60, None)
                    db.session.commit()

            cancelled = ids_to_cancel = []

            def cancel() -> None:
                ids_to_cancel.extend(ids[-args.cancels :])
                for session_id in ids_to_cancel:
                    cancel_session(db.session.get(Session, session_id), "Bench", None)
                    db.session.commit()

            run.phases["create"] = _timed(server, create)
            run.phases["move"] = _timed(server, move)
            run.phases["cancel"] = _timed(server, cancel)
            if fault_rate:
                rounds, clock = 0, datetime.now(UTC)

                def repair() -> None:
                    nonlocal rounds, clock
                    while rounds < 200:
                        rounds += 1
                        clock += timedelta(minutes=15)
                        if sweep_once(clock).quiet:
                            return

                seconds, calls = _timed(server, repair)
                run.repair = (seconds, calls, rounds)
            run.faults = Counter(r.fault for r in server.requests if r.fault)
            server.set_fault_rate(0.0)
            run.tokens = server.token_requests
            run.correct = _check(server, ids, set(cancelled))
    run.baseline = _baseline(server, run.calls)
    return run


def _check(server: ZoomServer, ids: list[int], cancelled: set[int]) -> bool:
    from webinars.extensions import db
    from webinars.models import Session
    from webinars.zoom import marker_session_id

    meetings = server.meetings()
    owners = Counter(marker_session_id(m["agenda"]) for m in meetings)
    live = [i for i in ids if i not in cancelled]
    if owners != Counter(live):
        return False
    starts = {marker_session_id(m["agenda"]): m["start_time"] for m in meetings}
    return all(
        starts[i] == db.session.get(Session, i).starts_at.strftime("%Y-%m-%dT%H:%M:%SZ")
        for i in live
    )


def _baseline(server: ZoomServer, count: int) -> float:
    """The same number of plain requests to the stand-in, one connection, no faults."""
    http = requests.Session()
    token = http.post(
        server.oauth_url,
        auth=(server.client_id, server.client_secret),
        data={"grant_type": "account_credentials", "account_id": server.account_id},
        timeout=10,
    ).json()["access_token"]
    headers = {"Authorization": f"Bearer {token}"}
    started = time.perf_counter()
    for n in range(count):
        reply = http.get(f"{server.api_base_url}/users/{HOSTS[n % 3]}", headers=headers, timeout=10)
        reply.raise_for_status()
    return time.perf_counter() - started


def _report(run: Run, args) -> None:
    changes = args.sessions + args.moves + args.cancels
    print(f"\n== {run.name} ==")
    print(f"{'phase':<10}{'changes':>8}{'seconds':>10}{'calls':>8}{'calls/change':>14}")
    counts = {"create": args.sessions, "move": args.moves, "cancel": args.cancels}
    for phase, (seconds, calls) in run.phases.items():
        n = counts[phase]
        print(f"{phase:<10}{n:>8}{seconds:>10.2f}{calls:>8}{calls / n:>14.2f}")
    if run.repair[2]:
        seconds, calls, rounds = run.repair
        print(f"{'sweeps':<10}{rounds:>8}{seconds:>10.2f}{calls:>8}   (rounds until quiet)")
    print(
        f"total: {run.seconds:.2f} s, {run.calls} Zoom API calls "
        f"({run.calls / changes:.2f} per change, {run.calls / args.sessions:.2f} per session), "
        f"{run.tokens} token request(s)"
    )
    if run.faults:
        print(f"faults injected: {sum(run.faults.values())} {dict(sorted(run.faults.items()))}")
    print(
        f"baseline: {run.calls} plain requests in {run.baseline:.2f} s "
        f"-> sync takes {run.seconds / run.baseline:.1f}x the baseline"
    )
    print(f"end state correct: {run.correct}")


def main() -> None:
    """Run both scenarios and print their figures."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sessions", type=int, default=200)
    parser.add_argument("--moves", type=int, default=50)
    parser.add_argument("--cancels", type=int, default=20)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    server = ZoomServer().start()
    try:
        for name, rate in (("no faults", 0.0), ("30% faults", 0.3)):
            _report(_scenario(name, server, args, rate), args)
    finally:
        server.stop()


if __name__ == "__main__":
    main()
