"""Background tasks of certificates: issuing and rendering them in the worker.

Queued after the commit of a finalised (or changed final) attendance list, or of a
reissue. Running twice does no harm: issuing skips holders who have a certificate, and
rendering only takes certificates without a PDF.
"""

from __future__ import annotations

import logging

from webinars.domain import signals
from webinars.domain.certificates.issue import issue_for_session, render_pending
from webinars.extensions import db, huey
from webinars.jobs.worker import after_commit, in_app_context
from webinars.models import utcnow

log = logging.getLogger(__name__)


@huey.task(retries=3, retry_delay=30)
@in_app_context
def issue_certificates_task(session_id: int) -> None:
    """Issue what the session's holders lack, then render and mail every new PDF."""
    issue_and_render(session_id)


def issue_and_render(session_id: int) -> tuple[int, int]:
    """The task's work (also the benchmark's): (certificates issued, PDFs rendered)."""
    issued = issue_for_session(session_id, utcnow())
    db.session.commit()
    rendered = render_pending(session_id, utcnow())
    if issued or rendered:
        log.info(
            "certificates of session %d: %d issued, %d rendered", session_id, len(issued), rendered
        )
    return len(issued), rendered


def _on_due(session_id: int) -> None:
    after_commit(issue_certificates_task, session_id)


def connect() -> None:
    """Answer the domain's signals (idempotent)."""
    signals.attendance_finalised.connect(_on_due)
    signals.certificates_due.connect(_on_due)
