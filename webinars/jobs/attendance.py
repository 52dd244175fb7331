"""Background tasks of attendance: finalising lists nobody finalised.

A set time after a session's end (ATTENDANCE_FINALISE_AFTER_HOURS, default 48) its list
is finalised as it stands; the certificates follow from the signal that sends.
"""

from __future__ import annotations

import logging

from flask import current_app
from huey import crontab

from webinars.domain.attendance.changes import finalise, sessions_due_for_finalising
from webinars.extensions import db, huey
from webinars.jobs.worker import in_app_context
from webinars.models import Session, utcnow

log = logging.getLogger(__name__)


@huey.periodic_task(crontab(minute="*/10"), retries=0)
@in_app_context
def finalise_due_attendance() -> None:
    """Finalise the lists of sessions that ended long enough ago, one commit each."""
    finalise_due(current_app.config["ATTENDANCE_FINALISE_AFTER_HOURS"])


def finalise_due(hours: int) -> int:
    """Finalise every list due now; returns how many were finalised."""
    now = utcnow()
    done = 0
    for session_id in sessions_due_for_finalising(now, hours):
        session = db.session.get(Session, session_id)
        if session is not None and finalise(session, None, now):
            db.session.commit()
            done += 1
            log.info("attendance of session %d finalised automatically", session_id)
    return done


def connect() -> None:
    """Nothing to answer: jobs.certificates answers attendance_finalised."""
