"""A worker killed with SIGKILL in the middle of its work (issue 11, point 3): what it held
is taken over within a minute, and nothing is sent or created twice.

Real worker processes (`flask --app wsgi worker`), a real SMTP server on loopback and the
Zoom stand-in; the task queue is a SQLite file the test and the workers share. Each test
kills the first worker while it is caught mid-step (an SMTP conversation waiting for the
server; a Zoom create whose reply has not come, with the meeting made or not yet), starts
a second worker, and waits for it to finish the job: before, the claim waited 15 minutes
and the lease 5.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from flask import Flask
from huey.storage import SqliteStorage

from tests.fakes.zoom_server import ZoomServer
from tests.fixtures.app import session_input
from tests.fixtures.registration import free_port, person
from tests.fixtures.zoom import zoom_settings
from webinars.domain.mail import outbox
from webinars.domain.operations import workers
from webinars.domain.registration.register import register
from webinars.domain.sessions.scheduling import create_session
from webinars.domain.zoom.lease import sessions_held_by_dead_workers
from webinars.extensions import db, huey
from webinars.models import (
    Conference,
    MailStatus,
    MeetingState,
    OutboxMessage,
    SessionKind,
    WorkerHeartbeat,
    ZoomMeeting,
    utcnow,
)
from webinars.zoom import marker_session_id

ROOT = Path(__file__).resolve().parents[2]
TAKEOVER_WITHIN = 60.0  # seconds, from the kill to the work done by the next worker


class HangingMailbox:
    """An SMTP handler that keeps the first sender waiting at RCPT (caught mid-send: the
    server has accepted nothing) and accepts every later one."""

    def __init__(self) -> None:
        self.caught = threading.Event()
        self.release = threading.Event()
        self.delivered: list[bytes] = []
        self._first = True

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):  # noqa: N802
        if self._first:
            self._first = False
            self.caught.set()
            while not self.release.is_set():  # the worker dies here
                await _sleep(0.05)
            return "451 try again later"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):  # noqa: N802
        self.delivered.append(envelope.content)
        return "250 Message accepted for delivery"


async def _sleep(seconds: float) -> None:
    import asyncio

    await asyncio.sleep(seconds)


@pytest.fixture
def shared_queue(app: Flask, tmp_path, monkeypatch) -> str:
    """The test's commits queue their tasks in a SQLite file the workers read."""
    path = str(tmp_path / "queue.sqlite3")
    monkeypatch.setattr(huey, "_immediate", False)
    monkeypatch.setattr(huey, "storage", SqliteStorage("webinars", filename=path))
    return path


@pytest.fixture
def start_worker(app: Flask, shared_queue: str, tmp_path) -> Iterator[Callable[..., Any]]:
    """Start a real worker process with the test's database, queue and settings."""
    started: list[subprocess.Popen] = []

    def start(**settings: Any) -> subprocess.Popen:
        env = {
            **os.environ,
            "WEBINARS_ENV": "production",
            "SELF_CHECK": "warn",
            "SECRET_KEY": app.config["SECRET_KEY"] * 3,
            "DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"],
            "WEBINARS_HUEY_SQLITE_PATH": shared_queue,
            "WEBINARS_INSTANCE_DIR": str(tmp_path),
            "LOG_FORMAT": "text",
        }
        env.pop("REDIS_URL", None)
        for name, value in settings.items():
            env[f"WEBINARS_{name}"] = json.dumps(value)
        log = tmp_path / f"worker-{len(started)}.log"
        process = subprocess.Popen(
            [sys.executable, "-m", "flask", "--app", "wsgi", "worker", "--workers", "1"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=open(log, "wb"),  # noqa: SIM115 - the process owns it
        )
        process.log = log  # type: ignore[attr-defined]
        started.append(process)
        return process

    yield start
    for process in started:
        if process.poll() is None:
            process.kill()
            process.wait(timeout=10)


def _tail(process: subprocess.Popen) -> str:
    """The end of a worker's log, to say why it did not get there."""
    return process.log.read_text(errors="replace")[-3000:]  # type: ignore[attr-defined]


def _kill(process: subprocess.Popen) -> None:
    os.kill(process.pid, signal.SIGKILL)
    process.wait(timeout=10)


def _wait_for(condition: Callable[[], bool], seconds: float, what: str) -> float:
    started = time.monotonic()
    while not condition():
        if time.monotonic() - started > seconds:
            raise AssertionError(f"not within {seconds:.0f} s: {what}")
        time.sleep(0.2)
    return time.monotonic() - started


def test_mail_caught_mid_send_is_sent_once_by_the_next_worker(
    app, start_worker, make_session, tmp_path
):
    handler = HangingMailbox()
    port = free_port()
    smtp = Controller(handler, hostname="127.0.0.1", port=port)
    smtp.start()
    try:
        session = make_session(kind=SessionKind.MASTER_CLASS, capacity=5)
        mail = {"MAIL_SERVER": "127.0.0.1", "MAIL_PORT": port, "MAIL_USE_TLS": False}
        first = start_worker(**mail)
        with app.app_context():
            register(session.id, person("killed-mid-send"), None, public=True)
            db.session.commit()  # queues the delivery in the shared queue

        assert handler.caught.wait(90), _tail(first)
        _kill(first)
        handler.release.set()
        with app.app_context():
            (message,) = db.session.execute(db.select(OutboxMessage)).scalars()
            assert message.status is MailStatus.SENDING  # claimed by the dead worker
        start_worker(**mail)

        took = _wait_for(lambda: len(handler.delivered) == 1, TAKEOVER_WITHIN, "delivery")
        time.sleep(3)  # a second sending would come now

        assert len(handler.delivered) == 1, took
        with app.app_context():
            (message,) = db.session.execute(db.select(OutboxMessage)).scalars()
            assert message.status is MailStatus.SENT
    finally:
        handler.release.set()
        smtp.stop()


@pytest.mark.parametrize(
    "fault",
    [
        "slow",  # Zoom made the meeting; its reply never came: the next worker adopts it
        "stall",  # Zoom made nothing yet: the next worker creates it, once
    ],
)
def test_a_zoom_create_caught_mid_call_ends_with_one_meeting(
    app, start_worker, make_user, make_academy, tmp_path, fault
):
    server = ZoomServer(seed=11).start()
    try:
        settings = zoom_settings(server, str(tmp_path / "zoom-token.json"))
        settings["ZOOM_TIMEOUT_SECONDS"] = 60
        server.slow_seconds = 90  # the first worker waits for this reply when it is killed
        server.fail_next(1, fault=fault)
        lecturer, academy = make_user(), make_academy()
        first = start_worker(**settings)
        app.config.update(settings)
        with app.app_context():
            data = session_input(
                conference=Conference.ZOOM,
                join_url=None,
                lecturer_ids=[lecturer.id],
                academy_ids=[academy.id],
            )
            session_id = create_session(data, None).id
            db.session.commit()  # queues the sync in the shared queue

        def create_sent() -> bool:
            return any(r.method == "POST" and r.fault == fault for r in server.requests)

        _wait_for(create_sent, 90, "the first worker's create")
        assert len(server.meetings()) == (1 if fault == "slow" else 0)
        _kill(first)
        start_worker(**settings)

        def adopted() -> bool:
            with app.app_context():
                record = db.session.execute(
                    db.select(ZoomMeeting).filter_by(session_id=session_id)
                ).scalar_one()
                # READY is committed inside the sync; the lease goes right after it.
                return record.state is MeetingState.READY and record.leased_by is None

        _wait_for(adopted, TAKEOVER_WITHIN, "the next worker's sync and its lease's end")

        meetings = server.meetings()
        assert [marker_session_id(m["agenda"]) for m in meetings] == [session_id]
        with app.app_context():
            record = db.session.execute(
                db.select(ZoomMeeting).filter_by(session_id=session_id)
            ).scalar_one()
            assert record.meeting_id == meetings[0]["id"]
            assert record.leased_by is None
    finally:
        server.stop()


def test_a_silent_worker_elsewhere_loses_its_claims_within_a_minute(app, make_session):
    """A worker on another host cannot be asked whether its process lives: its silence
    alone frees what it held, 30 s after its last heartbeat."""
    session = make_session(kind=SessionKind.MASTER_CLASS, capacity=5)
    with app.app_context():
        register(session.id, person("elsewhere"), None, public=True)
        db.session.commit()
        now = utcnow()
        (message,) = db.session.execute(db.select(OutboxMessage)).scalars()
        message.status, message.claimed_at = MailStatus.SENDING, now
        message.claimed_by = "other-host/4242"
        db.session.add(WorkerHeartbeat(name="other-host/4242", seen_at=now))
        db.session.commit()

        alive = outbox.due_message_ids(now + timedelta(seconds=25))
        silent = outbox.due_message_ids(now + workers.WORKER_SILENT_AFTER + timedelta(seconds=1))

        assert (alive, silent) == ([], [message.id])
        assert sessions_held_by_dead_workers(now) == []
