"""The public verification page of a certificate: valid or revoked, and nothing more
than the holder's name, the session, its date and the issuer. No sign-in."""

from __future__ import annotations

from datetime import datetime

from flask import Blueprint, Response, abort, render_template
from flask_babel import gettext as _

from webinars.domain.certificates.issue import by_code
from webinars.domain.sessions.kinds import KIND_LABELS
from webinars.extensions import limiter
from webinars.models import SessionKind

bp = Blueprint("certificate_check", __name__)


@bp.after_request
def _private(response: Response) -> Response:
    response.headers.setdefault("Cache-Control", "no-store")
    response.headers["X-Robots-Tag"] = "noindex, nofollow"
    response.headers["Referrer-Policy"] = "no-referrer"
    return response


@bp.get("/certificates/<code>")
@limiter.limit("60 per minute")
def verify(code: str):
    """Say whether the certificate with this code is valid."""
    certificate = by_code(code)
    if certificate is None:
        abort(404, description=_("No certificate has this code. Check the address."))
    data = certificate.data
    return render_template(
        "certificates/verify.html",
        certificate=certificate,
        title=data.get("title", ""),
        kind=KIND_LABELS[SessionKind(data["kind"])] if data.get("kind") else "",
        starts_at=datetime.fromisoformat(data["starts_at"]) if data.get("starts_at") else None,
        zone=data.get("zone", "UTC"),
        issuer=data.get("issuer", ""),
    )
