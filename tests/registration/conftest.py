"""Fixtures for registration: a real SMTP server on loopback, sessions open for registration,
and a helper that registers a student through the domain."""

from __future__ import annotations

import socket
import threading
from collections.abc import Callable, Iterator
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from flask import Flask
from sqlalchemy.pool import NullPool

from webinars import create_app
from webinars.domain.registration import notices
from webinars.domain.registration.register import RegistrationInput, register
from webinars.extensions import db
from webinars.models import MailStatus, OutboxMessage, Registration, SessionKind


class Mailbox:
    """An aiosmtpd handler that keeps every message it is given, parsed."""

    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []
        self.envelopes: list[Any] = []
        self.refuse_with: str | None = None  # e.g. "550 no such user"
        self._lock = threading.Lock()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):  # noqa: N802
        if self.refuse_with:
            return self.refuse_with
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):  # noqa: N802
        message = BytesParser(policy=policy.default).parsebytes(envelope.content)
        with self._lock:
            self.envelopes.append(envelope)
            self.messages.append(message)
        return "250 Message accepted for delivery"

    def to(self, address: str) -> list[EmailMessage]:
        """Messages whose To header is `address`."""
        return [m for m in self.messages if m["To"] == address]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def smtp_port() -> int:
    return free_port()


@pytest.fixture
def mailbox(smtp_port: int) -> Iterator[Mailbox]:
    """A real SMTP server on 127.0.0.1 that keeps what it receives."""
    box = Mailbox()
    controller = Controller(box, hostname="127.0.0.1", port=smtp_port)
    controller.start()
    yield box
    controller.stop()


@pytest.fixture
def mail_app(app: Flask, smtp_port: int) -> Flask:
    """The app sending through the loopback SMTP server (start `mailbox` to receive)."""
    app.config.update(
        MAIL_SERVER="127.0.0.1",
        MAIL_PORT=smtp_port,
        MAIL_USE_TLS=False,
        MAIL_DEFAULT_SENDER="Webinars <webinars@example.org>",
    )
    return app


@pytest.fixture
def open_session(make_session) -> Callable[..., Any]:
    """Factory: a public master class open for registration (default: 5 seats)."""

    def make(capacity: int | None = 5, **fields: Any):
        fields.setdefault("kind", SessionKind.MASTER_CLASS)
        fields.setdefault("title", "Neonatal resuscitation master class")
        return make_session(capacity=capacity, **fields)

    return make


def person(n: int | str = 1, **fields: Any) -> RegistrationInput:
    """A student's typed details."""
    values: dict[str, Any] = dict(
        full_name=f"Student {n}", email=f"student{n}@example.org", locale="en"
    )
    values.update(fields)
    return RegistrationInput(**values)


@pytest.fixture
def enrol(app: Flask) -> Callable[..., Registration]:
    """Register someone through the domain and commit; returns the (detached) row."""

    def do(session_id: int, who: RegistrationInput, now=None, **kwargs: Any) -> Registration:
        with app.app_context():
            outcome = register(session_id, who, now, **kwargs)
            db.session.commit()
            registration = db.session.get(Registration, outcome.registration.id)
            db.session.expunge(registration)
            return registration

    return do


def outbox(app: Flask, **filters: Any) -> list[OutboxMessage]:
    """Outbox rows (detached), oldest first; unsent ones the worker would still send are
    rendered as it would (not saved), so their subject, text and invitation can be read."""
    with app.app_context(), db.session.no_autoflush:
        rows = list(
            db.session.execute(
                db.select(OutboxMessage).filter_by(**filters).order_by(OutboxMessage.id)
            ).scalars()
        )
        for row in rows:
            pending = row.rendered_at is None and row.status is MailStatus.PENDING
            if pending and notices.still_wanted(row) is None:
                notices.render(row)
        db.session.expunge_all()
        return rows


def link_in(text: str, marker: str = "/r/") -> str:
    """The first URL in `text` that contains `marker`."""
    for word in text.split():
        if marker in word and word.startswith("http"):
            return word.strip("<>\"'")
    raise AssertionError(f"no link with {marker!r} in:\n{text}")


@pytest.fixture
def threaded_app(app: Flask, tmp_path) -> Iterator[Flask]:
    """The same database as `app`, without a connection pool: a connection per context."""
    other = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
            "SQLALCHEMY_ENGINE_OPTIONS": {"poolclass": NullPool},
            "HUEY_SQLITE_PATH": str(tmp_path / "huey-threads.sqlite3"),
        }
    )
    yield other
    with other.app_context():
        db.engine.dispose()


def all_at_once(app: Flask, jobs: list[Callable[[], Any]]) -> list[Any]:
    """Run each job in its own thread and app context, released together; collect results."""
    barrier = threading.Barrier(len(jobs))
    results: list[Any] = [None] * len(jobs)

    def run(i: int, job: Callable[[], Any]) -> None:
        with app.app_context():
            barrier.wait()
            try:
                results[i] = job()
                db.session.commit()
            except Exception as exc:  # recorded and asserted on below
                db.session.rollback()
                results[i] = exc
            finally:
                db.session.remove()

    threads = [threading.Thread(target=run, args=(i, job)) for i, job in enumerate(jobs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return results


def detached(app: Flask, registration_id: int) -> Registration:
    """A registration as it is in the database now, readable outside the app context."""
    with app.app_context():
        row = db.session.get(Registration, registration_id)
        db.session.expunge(row)
        return row
