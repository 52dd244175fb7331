"""Mail delivery: the outbox is sent by the worker, soon after new mail is committed.

Without MAIL_SERVER mail stays in the outbox (admins read it at /admin/outbox/).
"""

from __future__ import annotations

import logging

from flask import current_app
from huey import crontab

from webinars.domain import signals
from webinars.domain.mail import compose
from webinars.domain.mail.outbox import DeliveryReport, deliver_due
from webinars.extensions import huey
from webinars.jobs.worker import after_commit, in_app_context
from webinars.mail import SmtpSender

log = logging.getLogger(__name__)


def deliver_now() -> DeliveryReport:
    """Send what is due in the outbox; without MAIL_SERVER mail stays in the outbox."""
    if not current_app.config.get("MAIL_SERVER"):
        return DeliveryReport()
    with SmtpSender(current_app.config) as sender:
        report = deliver_due(sender, prepare=compose.prepare)
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
    """Deliver the outbox now (queued after a commit that added mail)."""
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


def queue_delivery() -> None:
    """After a commit that added outbox rows: the worker sends them soon.

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


def _on_mail_queued(sender: object) -> None:
    after_commit(queue_delivery)


def connect() -> None:
    """Answer the domain's signals (idempotent)."""
    signals.mail_queued.connect(_on_mail_queued)
