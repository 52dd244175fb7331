"""Logs in production: one JSON object per line, with a request id, and nothing private."""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Iterator

import pytest
from flask import Flask

from tests.fixtures.registration import link_in, registration_form
from webinars.extensions import huey


@pytest.fixture
def json_log(app: Flask) -> Iterator[io.StringIO]:
    """The app logging JSON lines into a buffer (as production does to stderr)."""
    from webinars.observability import logs

    app.config["LOG_FORMAT"] = "json"
    logs._use_json(app)
    (handler,) = [h for h in logging.getLogger().handlers if getattr(h, "webinars_json", False)]
    buffer = io.StringIO()
    handler.setStream(buffer)
    yield buffer
    logging.getLogger().removeHandler(handler)


def lines(buffer: io.StringIO) -> list[dict]:
    return [json.loads(line) for line in buffer.getvalue().splitlines()]


def test_each_request_is_one_json_line_with_its_id(client, json_log):
    response = client.get("/healthz", headers={"X-Request-ID": "nginx-0123456789abcdef"})

    (line,) = [entry for entry in lines(json_log) if entry["logger"] == "webinars.requests"]
    assert response.headers["X-Request-ID"] == "nginx-0123456789abcdef"
    assert {k: line[k] for k in ("method", "route", "status", "request_id", "user_id")} == {
        "method": "GET",
        "route": "/healthz",
        "status": 200,
        "request_id": "nginx-0123456789abcdef",
        "user_id": None,
    }
    assert line["level"] == "INFO"
    assert isinstance(line["duration_ms"], float)


def test_an_insane_request_id_is_replaced(client, json_log):
    response = client.get("/healthz", headers={"X-Request-ID": "bad id; rm -rf /"})

    assert len(response.headers["X-Request-ID"]) == 32
    assert lines(json_log)[-1]["request_id"] == response.headers["X-Request-ID"]


def test_signed_in_requests_carry_the_user_id(client, json_log, login, make_user):
    lecturer = make_user()
    login(lecturer)

    client.get("/manage/")

    (line,) = [e for e in lines(json_log) if e.get("route") == "/manage/"]
    assert line["user_id"] == lecturer.id


def test_registration_journey_logs_no_token_email_or_name(
    app,
    client,
    json_log,
    make_academy,
    open_session,  # noqa: F811
    smtp_port,  # noqa: F811
    mailbox,  # noqa: F811
):
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=smtp_port, MAIL_USE_TLS=False)
    academy_id = make_academy().id
    session = open_session(academy_ids=[academy_id])
    form = registration_form(academy_id, email="zarina.private@example.org", full_name="Zarina Q")

    client.post(f"/catalog/{session.id}/register", data=form)
    (confirm,) = mailbox.to("zarina.private@example.org")
    link = link_in(confirm.get_body(preferencelist=("plain",)).get_content())
    path = link.split("://", 1)[1].split("/", 1)[1]
    token = path.split("/")[1]
    confirmed = client.post(f"/r/{token}/confirm")
    managed = client.get(f"/r/{token}")
    cancelled = client.post(f"/r/{token}/cancel", data={"confirm": "yes"})  # asked, answered

    # Everything but the test's own SMTP server (aiosmtpd logs on "mail.log").
    text = "\n".join(json.dumps(e) for e in lines(json_log) if e["logger"] != "mail.log")
    assert [confirmed.status_code, managed.status_code, cancelled.status_code] == [302, 200, 302]
    routes = [e["route"] for e in lines(json_log) if e["logger"] == "webinars.requests"]
    assert routes == [
        "/catalog/<int:session_id>/register",
        "/r/<token>/confirm",
        "/r/<token>",
        "/r/<token>/cancel",
    ]
    assert token not in text
    assert "zarina" not in text.lower()
    assert "@" not in text


def test_a_task_queued_by_a_request_logs_with_that_request_id(
    app,
    client,
    json_log,
    make_academy,
    open_session,  # noqa: F811
    smtp_port,  # noqa: F811
    mailbox,  # noqa: F811
):
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=smtp_port, MAIL_USE_TLS=False)
    academy_id = make_academy().id
    session = open_session(academy_ids=[academy_id])
    json_log.seek(0)
    json_log.truncate()  # what creating the session ran (its announcement task) is not this test's
    huey.immediate = False  # queue for real (memory), then run it as the worker would
    try:
        response = client.post(
            f"/catalog/{session.id}/register",
            data=registration_form(academy_id),
            headers={"X-Request-ID": "req-from-nginx-42"},
        )
        task = huey.dequeue()
        huey.execute(task)
    finally:
        huey.immediate = True

    assert response.headers["X-Request-ID"] == "req-from-nginx-42"
    (done,) = [e for e in lines(json_log) if e["logger"] == "webinars.tasks"]
    assert len(mailbox.messages) == 1
    assert (done["task"], done["failed"], done["request_id"]) == (
        "deliver_mail",
        False,
        "req-from-nginx-42",
    )
