"""Registration rate limits are shared between processes through Redis (REDIS_URL)."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest
import redis

from tests.environment import REDIS_URL, redis_missing, require
from tests.fixtures.registration import first_academy, registration_form
from webinars import create_app


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


def _third_try_in_a_new_process(app, tmp_path, open_session, storage: str, prefix: str) -> int:
    """Two registrations in one app, then the status of a third in another app."""
    session = open_session()
    # A fresh address per run: Redis outlives the test, and limits are counted per email.
    data = registration_form(first_academy(app, session), email=f"{prefix}@example.org")
    first_worker = _limited_app(app, tmp_path, "one", storage, prefix).test_client()
    codes = [
        first_worker.post(f"/catalog/{session.id}/register", data=data).status_code
        for _ in range(2)
    ]
    assert codes == [302, 302]
    second_worker = _limited_app(app, tmp_path, "two", storage, prefix).test_client()
    return second_worker.post(f"/catalog/{session.id}/register", data=data).status_code


@pytest.fixture
def redis_prefix() -> Iterator[str]:
    """A key prefix of this test's own in Redis (skips, or under CI fails, without Redis)."""
    require(redis_missing())
    prefix = f"test-{uuid.uuid4().hex}"
    yield prefix
    client = redis.Redis.from_url(REDIS_URL)
    for key in client.scan_iter(f"*{prefix}*"):
        client.delete(key)


def test_email_rate_limit_survives_a_new_process_with_redis(
    app, tmp_path, open_session, redis_prefix
):
    """A second app (a new worker process) sees the count the first one kept in Redis."""
    third = _third_try_in_a_new_process(app, tmp_path, open_session, REDIS_URL, redis_prefix)

    assert third == 429


def test_email_rate_limit_starts_afresh_in_a_new_process_in_memory(app, tmp_path, open_session):
    """Without Redis (memory://) each process counts alone: no Redis needed to show it."""
    prefix = f"test-{uuid.uuid4().hex}"

    third = _third_try_in_a_new_process(app, tmp_path, open_session, "memory://", prefix)

    assert third == 302
