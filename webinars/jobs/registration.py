"""Background tasks of student registration: mail delivery, holds, reminders, forgetting.

Thin wrappers over the domain; each reads the state from the database, so running one
twice does no harm. Imported by webinars.jobs, which the worker loads.
"""

from __future__ import annotations

import logging

from flask import current_app
from huey import crontab

from webinars.domain.outbox import DeliveryReport, deliver_due
from webinars.domain.registration import notices
from webinars.domain.registration.join_link_notices import announce_join_link
from webinars.domain.registration.register import announce_session_change, settle_session
from webinars.domain.registration.reminders import queue_due_reminders
from webinars.domain.registration.retention import anonymise_after
from webinars.domain.registration.seats import sessions_with_overdue_holds
from webinars.extensions import db, huey
from webinars.jobs import JOIN_LINK_HOOKS, SESSION_CHANGE_HOOKS, in_app_context
from webinars.mail import SmtpSender
from webinars.models import utcnow

log = logging.getLogger(__name__)


def deliver_now() -> DeliveryReport:
    """Send what is due in the outbox; without MAIL_SERVER mail stays in the outbox."""
    if not current_app.config.get("MAIL_SERVER"):
        return DeliveryReport()
    with SmtpSender(current_app.config) as sender:
        report = deliver_due(sender, prepare=notices.prepare)
    if report.retried:
        log.warning("mail: %d message(s) will be retried later", report.retried)
    return report


# Set while a delivery task waits in the queue. The task sends everything due, so a storm
# of sign-ups needs one waiting task, not one per message (each costs the web request a
# write to the queue, and the worker a pass over the outbox).
DELIVERY_QUEUED = "webinars:mail-delivery-queued"


@huey.task(retries=0)
@in_app_context
def deliver_mail() -> None:
    """Deliver the outbox now (queued by views after they commit new mail)."""
    # Down before the outbox is read: mail committed after this finds no flag and queues
    # the next delivery, so nothing waits for the periodic pass.
    huey.delete(DELIVERY_QUEUED)
    deliver_now()


@huey.periodic_task(crontab(minute="*"), retries=0)
@in_app_context
def deliver_mail_periodically() -> None:
    """Retries and anything queued while no worker listened."""
    huey.delete(DELIVERY_QUEUED)  # never stuck: a flag whose task was lost lasts a minute
    deliver_now()


def mail_queued() -> None:
    """Call after committing new outbox rows: the worker sends them soon.

    Queues a delivery unless one is already waiting (a read of the queue's storage). The
    mail is committed either way: if the queue cannot be reached, the periodic pass sends
    it within a minute, and the person's request does not fail for it.
    """
    if not current_app.config.get("MAIL_SERVER"):
        return
    try:
        if huey.storage.has_data_for_key(DELIVERY_QUEUED):
            return
        if huey.put_if_empty(DELIVERY_QUEUED, 1):
            deliver_mail()
    except Exception:  # the queue's storage is down or busy; the mail is safe in the outbox
        log.warning("mail: could not queue a delivery; the periodic pass will send it")


@huey.periodic_task(crontab(minute="*"), retries=0)
@in_app_context
def release_expired_holds() -> None:
    """Unconfirmed holds that ran out free their seats for the waiting list."""
    now = utcnow()
    for session_id in sessions_with_overdue_holds(now):
        settle_session(session_id, now)
        db.session.commit()
    deliver_now()


@huey.periodic_task(crontab(minute="*"), retries=0)
@in_app_context
def plan_reminders() -> None:
    """Queue the 24-hour and 1-hour reminders whose moment has come."""
    if queue_due_reminders(utcnow()):
        db.session.commit()
        deliver_now()


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
    deliver_now()


def _on_session_changed(session_id: int) -> None:
    announce_session_change_task(session_id)


SESSION_CHANGE_HOOKS.append(_on_session_changed)


@huey.task(retries=2, retry_delay=30)
@in_app_context
def announce_join_link_task(session_id: int, replaced: bool) -> None:
    """Send confirmed registrants the session's first or new join link."""
    if announce_join_link(session_id, replaced, utcnow()):
        db.session.commit()
        deliver_now()


def _on_join_link(session_id: int, replaced: bool) -> None:
    announce_join_link_task(session_id, replaced)


JOIN_LINK_HOOKS.append(_on_join_link)
