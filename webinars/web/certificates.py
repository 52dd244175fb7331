"""Lecturers: a session's certificates (download one or all as a ZIP, revoke, reissue).

Only the session's lecturers and admins (domain.access.can_edit). The PDFs were written
by the worker; nothing is rendered here.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_login import current_user

from webinars.domain.certificates.issue import (
    CertificateError,
    certificates_of,
    reissue,
    revoke,
    verify_url,
)
from webinars.domain.certificates.pdf import details
from webinars.domain.sessions.kinds import KIND_LABELS
from webinars.extensions import db
from webinars.models import Certificate, CertificateKind, Session, SessionKind, utcnow
from webinars.web.downloads import as_download
from webinars.web.roles import editable_session, staff_required

bp = Blueprint("certificates", __name__, url_prefix="/manage/sessions/<int:session_id>")


def _certificate(session: Session, certificate_id: int) -> Certificate:
    certificate = db.session.get(Certificate, certificate_id)
    if certificate is None or certificate.session_id != session.id:
        abort(404)
    return certificate


@bp.after_request
def _private(response: Response) -> Response:
    response.headers.setdefault("Cache-Control", "no-store")
    return response


def pdf_response(certificate: Certificate) -> Response:
    """The stored PDF as a download."""
    if certificate.pdf is None:
        abort(404, description=_("This certificate is still being prepared; try again soon."))
    return as_download(certificate.pdf, "application/pdf", f"certificate-{certificate.number}.pdf")


@bp.get("/certificates")
@staff_required
def index(session_id: int):
    """Every certificate of the session, with its state and actions."""
    session = editable_session(session_id)
    return render_template(
        "certificates/index.html", session=session, certificates=certificates_of(session.id)
    )


def render_view(certificate: Certificate) -> str:
    """The certificate as a web page, in its holder's language, from its frozen content."""
    teaching = certificate.kind is CertificateKind.TEACHING
    with force_locale(certificate.locale):
        return render_template(
            "certificates/print.html",
            certificate=certificate,
            teaching=teaching,
            kind=KIND_LABELS[SessionKind(certificate.data["kind"])],
            details=details(certificate.data, certificate.locale, teaching),
            verify_url=verify_url(certificate),
        )


@bp.get("/certificates/<int:certificate_id>")
@staff_required
def view(session_id: int, certificate_id: int):
    """One certificate as a page (what its PDF says)."""
    session = editable_session(session_id)
    return render_view(_certificate(session, certificate_id))


@bp.get("/certificates/<int:certificate_id>.pdf")
@staff_required
def download(session_id: int, certificate_id: int):
    """One certificate's PDF."""
    session = editable_session(session_id)
    return pdf_response(_certificate(session, certificate_id))


@bp.get("/certificates.zip")
@staff_required
def download_all(session_id: int):
    """Every valid certificate of the session in one ZIP file."""
    session = editable_session(session_id)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as archive:  # PDFs are compressed
        for certificate in certificates_of(session.id):
            if certificate.pdf is not None and not certificate.is_revoked:
                archive.writestr(f"certificate-{certificate.number}.pdf", certificate.pdf)
    filename = f"session-{session.id}-certificates.zip"
    return as_download(buffer.getvalue(), "application/zip", filename)


@bp.post("/certificates/<int:certificate_id>/revoke")
@staff_required
def revoke_one(session_id: int, certificate_id: int):
    """Withdraw a certificate, with a reason."""
    return _change(session_id, certificate_id, revoke, "reason", _("The certificate is revoked."))


@bp.post("/certificates/<int:certificate_id>/reissue")
@staff_required
def reissue_one(session_id: int, certificate_id: int):
    """Replace a certificate by a new one (e.g. with a corrected name)."""
    done = _("A new certificate is being prepared; the old one is revoked.")
    return _change(session_id, certificate_id, reissue, "holder_name", done)


def _change(
    session_id: int, certificate_id: int, change: Callable[..., object], field: str, done: str
):
    """Apply `change` to one certificate with the posted `field`; say `done`, or why not."""
    session = editable_session(session_id)
    certificate = _certificate(session, certificate_id)
    try:
        change(certificate, request.form.get(field, ""), current_user, utcnow())
    except CertificateError as exc:
        db.session.rollback()
        flash(str(exc.message), "danger")
    else:
        db.session.commit()
        flash(done, "success")
    return redirect(url_for("certificates.index", session_id=session.id))
