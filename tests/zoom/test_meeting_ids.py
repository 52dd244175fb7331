"""A live Zoom meeting id belongs to one session (issue 11, point 1): a unique index, the
migration that repairs rows already sharing one, and the repair when Zoom hands out an id
the database still holds."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import flask_migrate
import pytest
import sqlalchemy as sa

from webinars.domain import signals
from webinars.domain.zoom.records import take_meeting_id
from webinars.extensions import db
from webinars.models import MeetingState, ZoomMeeting

SHARED, OTHER = 81234567890, 81234567891
T0 = datetime(2026, 12, 1, tzinfo=UTC)


def _record(session_id: int, meeting_id: int, updated_at: datetime) -> None:
    db.session.add(
        ZoomMeeting(
            session_id=session_id,
            meeting_id=meeting_id,
            state=MeetingState.READY,
            synced_fingerprint="f" * 64,
            updated_at=updated_at,
        )
    )


def _held(session_id: int) -> ZoomMeeting:
    return db.session.execute(db.select(ZoomMeeting).filter_by(session_id=session_id)).scalar_one()


def test_the_migration_repairs_ids_already_shared(app, make_session):
    a, b, c = (make_session().id for _ in range(3))
    with app.app_context():
        with db.engine.begin() as conn:  # the schema as it was before 0014
            conn.execute(sa.text("DROP INDEX ix_zoom_meetings_meeting_id"))
            conn.execute(
                sa.text("CREATE INDEX ix_zoom_meetings_meeting_id ON zoom_meetings (meeting_id)")
            )
        _record(a, SHARED, T0)
        _record(b, SHARED, T0 + timedelta(hours=1))  # updated last: keeps the id
        _record(c, OTHER, T0)
        db.session.commit()
        flask_migrate.stamp(revision="0020_academy_session_emails")

        flask_migrate.upgrade(revision="0021_zoom_meeting_id_unique")

        db.session.expire_all()
        kept, released, alone = _held(b), _held(a), _held(c)
        assert (kept.meeting_id, kept.verify_needed) == (SHARED, True)
        assert (released.meeting_id, released.state) == (None, MeetingState.PENDING)
        assert released.synced_fingerprint is None
        assert (alone.meeting_id, alone.verify_needed) == (OTHER, False)
        released.meeting_id = OTHER
        with pytest.raises(sa.exc.IntegrityError):
            db.session.commit()
        db.session.rollback()


def test_a_create_returning_a_held_id_takes_it_from_the_stale_record(app, make_session):
    stale_session, new_session = make_session().id, make_session().id
    synced_again = []
    with app.app_context():
        _record(stale_session, SHARED, T0)
        db.session.add(ZoomMeeting(session_id=new_session, state=MeetingState.CREATING))
        db.session.commit()
        record = _held(new_session)

        with signals.meeting_out_of_step.connected_to(
            lambda sender, **kw: synced_again.append(sender)
        ):
            take_meeting_id(record, SHARED, T0 + timedelta(days=1))
        db.session.commit()

        db.session.expire_all()
        assert _held(new_session).meeting_id == SHARED
        stale = _held(stale_session)
        assert (stale.meeting_id, stale.state) == (None, MeetingState.PENDING)
        assert synced_again == [stale_session]
