"""The UTCDateTime column: aware UTC in, aware UTC out, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
import sqlalchemy as sa

from webinars.extensions import db
from webinars.models import WorkerHeartbeat

SAMARKAND_OFFSET = timezone(timedelta(hours=5))


def _reload(name: str) -> WorkerHeartbeat:
    db.session.expire_all()
    return db.session.execute(
        sa.select(WorkerHeartbeat).where(WorkerHeartbeat.name == name)
    ).scalar_one()


@pytest.mark.parametrize(
    "value",
    [
        datetime(2026, 1, 15, 9, 0, tzinfo=UTC),
        datetime(2026, 1, 15, 14, 0, 0, 123456, tzinfo=SAMARKAND_OFFSET),
        datetime(2024, 2, 29, 23, 30, tzinfo=timezone(timedelta(hours=-3, minutes=-30))),
    ],
)
def test_utc_datetime_round_trips_aware_value_as_utc(ctx, value):
    db.session.add(WorkerHeartbeat(name="w", seen_at=value))
    db.session.commit()

    stored = _reload("w").seen_at

    assert stored == value
    assert stored.utcoffset() == timedelta(0)
    assert stored.replace(tzinfo=None) == value.astimezone(UTC).replace(tzinfo=None)


def test_utc_datetime_refuses_naive_value(ctx):
    db.session.add(WorkerHeartbeat(name="w", seen_at=datetime(2026, 1, 15, 9, 0)))

    with pytest.raises(sa.exc.StatementError, match="naive datetime"):
        db.session.flush()
    db.session.rollback()


def test_utc_datetime_refuses_naive_query_parameter(ctx):
    query = sa.select(WorkerHeartbeat).where(WorkerHeartbeat.seen_at > datetime(2026, 1, 1))

    with pytest.raises(sa.exc.StatementError, match="naive datetime"):
        db.session.execute(query)
    db.session.rollback()


def test_utc_datetime_orders_by_instant_whatever_the_offset_given(ctx):
    # 10:00 at +05 is 05:00 UTC, an hour before 06:00 UTC: stored times must be UTC.
    db.session.add_all(
        [
            WorkerHeartbeat(name="later", seen_at=datetime(2026, 1, 15, 6, 0, tzinfo=UTC)),
            WorkerHeartbeat(
                name="earlier", seen_at=datetime(2026, 1, 15, 10, 0, tzinfo=SAMARKAND_OFFSET)
            ),
        ]
    )
    db.session.commit()

    names = db.session.execute(
        sa.select(WorkerHeartbeat.name).order_by(WorkerHeartbeat.seen_at)
    ).scalars()

    assert list(names) == ["earlier", "later"]


def test_utc_datetime_compares_with_aware_parameter_in_other_zone(ctx):
    db.session.add(WorkerHeartbeat(name="w", seen_at=datetime(2026, 1, 15, 9, 0, tzinfo=UTC)))
    db.session.commit()

    def seen_after(moment: datetime) -> list[str]:
        query = sa.select(WorkerHeartbeat.name).where(WorkerHeartbeat.seen_at > moment)
        return list(db.session.execute(query).scalars())

    # 13:59 and 14:01 at +05 are 08:59 and 09:01 UTC.
    assert seen_after(datetime(2026, 1, 15, 13, 59, tzinfo=SAMARKAND_OFFSET)) == ["w"]
    assert seen_after(datetime(2026, 1, 15, 14, 1, tzinfo=SAMARKAND_OFFSET)) == []


def test_utc_datetime_keeps_none(ctx, make_academy):
    from webinars.models import PartnerAcademy

    academy_id = make_academy().id

    assert db.session.get(PartnerAcademy, academy_id).archived_at is None
