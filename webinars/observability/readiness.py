"""Readiness: does what this instance needs answer, quickly? (The database; Redis when
configured.) Liveness needs nothing: the process answering is the whole answer.

Each check has its own short timeout and its own small connection pool, so a database
that hangs (a dropped route, a full server) is reported within seconds instead of holding
the probe, and a storm of probes opens at most one connection per process.
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from flask import Flask

_ENGINE_KEY = "webinars.readiness_engine"


@dataclass(frozen=True)
class Check:
    """One part's answer: `ok`, `failed` or `not configured`, and why it failed."""

    state: str
    reason: str = ""

    @property
    def failed(self) -> bool:
        return self.state == "failed"

    def as_dict(self) -> dict[str, str]:
        return {"state": self.state, **({"reason": self.reason} if self.reason else {})}


def _probe_engine(app: Flask) -> sa.Engine:
    engine = app.extensions.get(_ENGINE_KEY)
    if engine is None:
        url = sa.make_url(app.config["SQLALCHEMY_DATABASE_URI"])
        timeout = app.config["READINESS_TIMEOUT_SECONDS"]
        if url.get_backend_name() == "postgresql":
            millis = int(timeout * 1000)
            connect_args = {
                "connect_timeout": max(1, int(timeout)),
                "options": f"-c statement_timeout={millis}",
            }
        else:
            connect_args = {"timeout": timeout}
        engine = sa.create_engine(
            url,
            connect_args=connect_args,
            pool_size=1,
            max_overflow=0,
            pool_timeout=timeout,
            pool_pre_ping=True,
        )
        app.extensions[_ENGINE_KEY] = engine
    return engine


def database_check(app: Flask) -> Check:
    """The database answers `SELECT 1` within the probe's timeout."""
    try:
        with _probe_engine(app).connect() as conn:
            conn.execute(sa.text("SELECT 1"))
    except sa.exc.TimeoutError:
        return Check("failed", "busy: no connection free within the timeout")
    except sa.exc.SQLAlchemyError as error:
        app.logger.warning("Readiness: the database does not answer: %s", error)
        return Check("failed", "unreachable")
    return Check("ok")


def redis_check(app: Flask) -> Check:
    """Redis (the task queue, the shared limits) answers PING, when it is configured."""
    url = app.config.get("REDIS_URL")
    if not url:
        return Check("not configured")
    import redis

    timeout = app.config["READINESS_TIMEOUT_SECONDS"]
    client = redis.Redis.from_url(url, socket_connect_timeout=timeout, socket_timeout=timeout)
    try:
        client.ping()
    except redis.RedisError as error:
        app.logger.warning("Readiness: Redis does not answer: %s", error)
        return Check("failed", "unreachable")
    finally:
        client.close()
    return Check("ok")


def readiness(app: Flask) -> dict[str, Check]:
    """Every part this instance needs, by name."""
    return {"database": database_check(app), "redis": redis_check(app)}


def database_reachable(app: Flask) -> bool:
    """For the error pages: is a database error the database being away?"""
    return not database_check(app).failed
