"""Registration rate limits are shared between processes through Redis (REDIS_URL)."""

from __future__ import annotations

import uuid

import pytest
import redis

from tests.fixtures.registration import first_academy, registration_form
from webinars import create_app

REDIS_URL = "redis://127.0.0.1:6379/15"


def _redis_or_skip() -> redis.Redis:
    client = redis.Redis.from_url(REDIS_URL)
    try:
        client.ping()
    except redis.exceptions.ConnectionError:
        pytest.skip("Redis is not reachable on 127.0.0.1:6379")
    return client


def _limited_app(app, tmp_path, name: str, storage: str, prefix: str):
    return create_app(
        {
            "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
            "HUEY_SQLITE_PATH": str(tmp_path / f"huey-{name}.sqlite3"),
            "RATELIMIT_ENABLED": True,
            "RATELIMIT_STORAGE_URI": storage,
            "RATELIMIT_KEY_PREFIX": prefix,
            "REGISTRATION_EMAIL_RATE_LIMIT": "2 per hour",
        }
    )


@pytest.mark.parametrize(("storage", "third"), [(REDIS_URL, 429), ("memory://", 302)])
def test_email_rate_limit_survives_a_new_process_only_with_redis(
    app, tmp_path, open_session, storage, third
):
    """A second app (a new worker process) starts with empty memory; Redis keeps the count."""
    redis_client = _redis_or_skip()
    prefix = f"test-{uuid.uuid4().hex}"
    session = open_session()
    # A fresh address per run: Redis outlives the test, and limits are counted per email.
    data = registration_form(first_academy(app, session), email=f"{prefix}@example.org")
    first_worker = _limited_app(app, tmp_path, "one", storage, prefix).test_client()
    codes = [
        first_worker.post(f"/catalog/{session.id}/register", data=data).status_code
        for _ in range(2)
    ]

    second_worker = _limited_app(app, tmp_path, "two", storage, prefix).test_client()
    answer = second_worker.post(f"/catalog/{session.id}/register", data=data)

    assert codes == [302, 302]
    assert answer.status_code == third
    for key in redis_client.scan_iter(f"*{prefix}*"):
        redis_client.delete(key)
