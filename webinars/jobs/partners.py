"""Background work of the partner side: seats reserved for academies that reach their
deadline go back to the general pool (the waiting list moves up), and coordinators hear
of changes to their academies' sessions."""

from __future__ import annotations

import logging

from huey import crontab

from webinars.domain import signals
from webinars.domain.partners.notices import tell_coordinators
from webinars.domain.partners.quotas import release_due_quotas
from webinars.extensions import db, huey
from webinars.jobs.worker import after_commit, in_app_context
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


@huey.task(retries=2, retry_delay=30)
@in_app_context
def tell_coordinators_task(session_id: int) -> None:
    """Tell the academies' coordinators about a committed change to a session."""
    if tell_coordinators(session_id, utcnow()):
        db.session.commit()


def _on_session_changed(session_id: int, **_details: object) -> None:
    after_commit(tell_coordinators_task, session_id)


def connect() -> None:
    """Answer the domain's signals (idempotent): a session saved, moved or cancelled, or
    its join link new, is news for its academies' coordinators."""
    signals.session_changed.connect(_on_session_changed)
    signals.join_link_changed.connect(_on_session_changed)
