"""/metrics: refuses strangers, and its figures move with what the service does."""

from __future__ import annotations

from prometheus_client.parser import text_string_to_metric_families

from tests.fixtures.registration import registration_form
from webinars.extensions import db
from webinars.jobs.mail import deliver_mail
from webinars.models import WorkerHeartbeat, ZoomHostUsage, utcnow


def figures(client, **kwargs) -> dict[tuple[str, tuple], float]:
    """Every sample on /metrics as {(name, sorted labels): value}."""
    response = client.get("/metrics", **kwargs)
    assert response.status_code == 200
    assert response.content_type.startswith("text/plain; version=")
    return {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(response.get_data(as_text=True))
        for sample in family.samples
    }


def test_metrics_answer_loopback_without_token(client):
    assert client.get("/metrics").status_code == 200


def test_metrics_refuse_other_addresses(client):
    response = client.get("/metrics", environ_base={"REMOTE_ADDR": "203.0.113.7"})

    assert response.status_code == 403


def test_metrics_refuse_requests_forwarded_by_a_proxy(client):
    response = client.get("/metrics", headers={"X-Forwarded-For": "203.0.113.7"})

    assert response.status_code == 403


def test_metrics_token_is_required_once_set(app, client):
    app.config["METRICS_TOKEN"] = "s3cret-metrics-token"
    stranger = {"REMOTE_ADDR": "203.0.113.7"}

    answers = [
        client.get("/metrics").status_code,
        client.get("/metrics", headers={"Authorization": "Bearer wrong"}).status_code,
        client.get(
            "/metrics",
            headers={"Authorization": "Bearer s3cret-metrics-token"},
            environ_base=stranger,
        ).status_code,
    ]

    assert answers == [403, 403, 200]


def test_request_counter_and_latency_move_per_route(client, make_session):
    session_id = make_session().id
    key = (
        "webinars_http_requests_total",
        (("method", "GET"), ("route", "/sessions/<int:session_id>"), ("status", "200")),
    )
    latency = (
        "webinars_http_request_duration_seconds_count",
        (("method", "GET"), ("route", "/sessions/<int:session_id>")),
    )
    before = figures(client)

    for _ in range(3):
        client.get(f"/sessions/{session_id}")

    after = figures(client)
    assert after[key] - before.get(key, 0) == 3
    assert after[latency] - before.get(latency, 0) == 3


def test_outbox_backlog_and_mail_sent_move(
    app,
    client,
    make_academy,
    open_session,  # noqa: F811
    smtp_port,  # noqa: F811
    mailbox,  # noqa: F811
):
    academy_id = make_academy().id
    session = open_session(academy_ids=[academy_id])
    sent = ("webinars_mail_sent_total", (("result", "sent"),))
    pending = ("webinars_outbox_messages", (("status", "pending"),))
    before = figures(client)
    client.post(f"/catalog/{session.id}/register", data=registration_form(academy_id))
    waiting = figures(client)
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=smtp_port, MAIL_USE_TLS=False)

    deliver_mail.call_local()

    after = figures(client)
    assert waiting[pending] - before.get(pending, 0) == 1
    assert waiting[("webinars_outbox_oldest_pending_seconds", ())] >= 0
    assert after.get(pending, 0) == 0
    assert after[("webinars_outbox_messages", (("status", "sent"),))] == 1
    assert after[sent] - before.get(sent, 0) == 1
    assert len(mailbox.messages) == 1
    assert waiting[("webinars_registrations", (("status", "held"),))] == 1


def test_heartbeat_age_and_zoom_budget_are_read_from_the_database(app, client):
    now = utcnow()
    app.config["ZOOM_HOSTS"] = "host1@example.org, host2@example.org"
    with app.app_context():
        db.session.add(WorkerHeartbeat(name="worker-a", seen_at=now))
        db.session.add(ZoomHostUsage(host_email="host1@example.org", day=now.date(), calls=30))
        db.session.commit()

    seen = figures(client)

    assert seen[("webinars_database_up", ())] == 1
    assert seen[("webinars_worker_heartbeat_age_seconds", (("worker", "worker-a"),))] < 60
    assert seen[("webinars_zoom_daily_budget_remaining", (("host", "host1@example.org"),))] == 70
    assert seen[("webinars_zoom_daily_budget_remaining", (("host", "host2@example.org"),))] == 100
