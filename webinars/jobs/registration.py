"""Background tasks of student registration: holds, reminders, news, forgetting.

Thin wrappers over the domain; each reads the state from the database, so running one
twice does no harm. The mail they queue is sent by webinars.jobs.mail after their commit.
"""

from __future__ import annotations

import logging

from flask import current_app
from huey import crontab

from webinars.domain import signals
from webinars.domain.registration.follow_up import announce_session_change, settle_session
from webinars.domain.registration.join_link_notices import announce_join_link
from webinars.domain.registration.reminders import queue_due_reminders
from webinars.domain.registration.retention import anonymise_after
from webinars.domain.registration.seats import sessions_with_overdue_holds
from webinars.extensions import db, huey
from webinars.jobs.worker import after_commit, in_app_context
from webinars.models import utcnow

log = logging.getLogger(__name__)


@huey.periodic_task(crontab(minute="*"), retries=0)
@in_app_context
def release_expired_holds() -> None:
    """Unconfirmed holds that ran out free their seats for the waiting list."""
    now = utcnow()
    for session_id in sessions_with_overdue_holds(now):
        settle_session(session_id, now)
        db.session.commit()


@huey.periodic_task(crontab(minute="*"), retries=0)
@in_app_context
def plan_reminders() -> None:
    """Queue the 24-hour and 1-hour reminders whose moment has come."""
    if queue_due_reminders(utcnow()):
        db.session.commit()


@huey.periodic_task(crontab(minute="17", hour="3"), retries=0)
@in_app_context
def forget_personal_data() -> None:
    """Empty registrants' personal data REGISTRATION_RETENTION_DAYS after their session."""
    count = anonymise_after(utcnow(), current_app.config["REGISTRATION_RETENTION_DAYS"])
    db.session.commit()
    if count:
        log.info("retention: personal data of %d registration(s) removed", count)


@huey.task(retries=2, retry_delay=30)
@in_app_context
def announce_session_change_task(session_id: int) -> None:
    """Tell registrants about a change to their session (moved, cancelled, edited)."""
    announce_session_change(session_id, utcnow())
    db.session.commit()


@huey.task(retries=2, retry_delay=30)
@in_app_context
def announce_join_link_task(session_id: int, replaced: bool) -> None:
    """Send confirmed registrants the session's first or new join link."""
    if announce_join_link(session_id, replaced, utcnow()):
        db.session.commit()


def _on_session_changed(session_id: int) -> None:
    after_commit(announce_session_change_task, session_id)


def _on_join_link_changed(session_id: int, *, replaced: bool) -> None:
    after_commit(announce_join_link_task, session_id, replaced)


def connect() -> None:
    """Answer the domain's signals (idempotent)."""
    signals.session_changed.connect(_on_session_changed)
    signals.join_link_changed.connect(_on_join_link_changed)
