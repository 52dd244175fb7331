"""Webhooks from outside services. Zoom posts its meeting events to ``/zoom/webhook``.

The signature is checked against the raw bytes before anything is parsed; a delivery
that fails answers 401 or 403 (never 500), junk answers 400, and each event is handled
once even when Zoom delivers it again. Zoom wants an answer within 3 seconds, so the
view only writes the database; putting a meeting back in step is queued.
"""

from __future__ import annotations

from collections.abc import Mapping

from flask import Blueprint, current_app, jsonify, request
from sqlalchemy.exc import IntegrityError

from webinars.domain.zoom.events import EventError, handle_event
from webinars.extensions import csrf, db
from webinars.jobs import zoom as zoom_jobs
from webinars.models import utcnow
from webinars.zoom import (
    WebhookRejected,
    event_id,
    parse_envelope,
    url_validation_response,
    verify_signature,
)
from webinars.zoom.setup import zoom_setup
from webinars.zoom.webhooks import SIGNATURE_HEADER, TIMESTAMP_HEADER, URL_VALIDATION_EVENT

bp = Blueprint("webhooks", __name__)


def _problem(status: int, reason: str):
    return jsonify(status=status, detail=reason), status


@bp.post("/zoom/webhook")
@csrf.exempt
def zoom_webhook():
    """Receive one Zoom event: verify, answer the URL check, or record the event once."""
    setup = zoom_setup(current_app.config)
    raw = request.get_data(cache=True)
    try:
        verify_signature(
            setup.webhook_secret,
            request.headers.get(TIMESTAMP_HEADER),
            request.headers.get(SIGNATURE_HEADER),
            raw,
            utcnow(),
        )
        envelope = parse_envelope(raw)
    except WebhookRejected as exc:
        return _problem(exc.status, exc.reason)
    if envelope["event"] == URL_VALIDATION_EVENT:
        payload = envelope.get("payload")
        plain = payload.get("plainToken") if isinstance(payload, Mapping) else None
        if not isinstance(plain, str) or not plain:
            return _problem(400, "the validation request carries no plainToken")
        return jsonify(url_validation_response(setup.webhook_secret, plain))
    try:
        outcome = handle_event(envelope, event_id(envelope, raw), setup.namespace, utcnow())
        db.session.commit()
    except EventError as exc:
        db.session.rollback()
        return _problem(400, str(exc))
    except IntegrityError:  # the same event, delivered twice at once: the other one won
        db.session.rollback()
        return jsonify(status="duplicate")
    for session_id in outcome.session_ids:
        zoom_jobs.sync_session(session_id)
    return jsonify(status="duplicate" if outcome.duplicate else "ok")
