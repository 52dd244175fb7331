"""Background work of the partner side: seats reserved for academies that reach their
deadline go back to the general pool, and the waiting list moves up."""

from __future__ import annotations

import logging

from huey import crontab

from webinars.domain.partners.quotas import release_due_quotas
from webinars.extensions import db, huey
from webinars.jobs.worker import in_app_context
from webinars.models import utcnow

log = logging.getLogger(__name__)


@huey.periodic_task(crontab(minute="*"), retries=0)
@in_app_context
def release_quotas() -> None:
    """Quotas past their deadline: unused seats to everyone, the waiting list moves up."""
    released = release_due_quotas(utcnow())
    db.session.commit()
    if released:
        log.info("quotas: %d released at their deadline", released)


def connect() -> None:
    """Answer the domain's signals (none yet: the release is periodic)."""
