"""The email that carries a certificate's PDF, in the holder's language, rendered by the
worker right before it is sent (like the other notices)."""

from __future__ import annotations

from flask import current_app, render_template
from flask_babel import force_locale
from flask_babel import gettext as _

from webinars.domain.certificates.issue import MAIL_KIND, verify_url
from webinars.domain.sessions.places import home_name
from webinars.extensions import db
from webinars.models import Certificate, CertificateKind, OutboxMessage, utcnow


def handles(kind: str) -> bool:
    """True for the kind of email this module renders."""
    return kind == MAIL_KIND


def _certificate(message: OutboxMessage) -> Certificate | str:
    certificate = db.session.get(Certificate, (message.params or {}).get("certificate_id"))
    if certificate is None:
        return "certificate gone"
    if certificate.is_revoked:
        return "certificate revoked"
    if certificate.pdf is None:
        return "certificate not rendered"
    if certificate.email is None:
        return "address forgotten"
    return certificate


def still_wanted(message: OutboxMessage) -> str | None:
    """A reason not to send the message, or None."""
    found = _certificate(message)
    return found if isinstance(found, str) else None


def _subject(certificate: Certificate) -> str:
    """The email's subject, in the current language."""
    title = certificate.data["title"]
    if certificate.kind is CertificateKind.TEACHING:
        return _("Your certificate of teaching: %(title)s", title=title)
    return _("Your certificate of attendance: %(title)s", title=title)


def subject_of(message: OutboxMessage) -> str | None:
    """The subject `render` would give the message now, in its language (None: dropped)."""
    certificate = _certificate(message)
    if isinstance(certificate, str):
        return None
    with force_locale(certificate.locale):
        return _subject(certificate)[:300]


def render(message: OutboxMessage) -> str | None:
    """Fill the subject, bodies and the PDF; or return why the message is dropped."""
    certificate = _certificate(message)
    if isinstance(certificate, str):
        return certificate
    with force_locale(certificate.locale):
        teaching = certificate.kind is CertificateKind.TEACHING
        subject = _subject(certificate)
        context = dict(
            certificate=certificate,
            teaching=teaching,
            verify_url=verify_url(certificate),
            home_name=home_name(current_app.config, certificate.locale),
        )
        message.subject = subject[:300]
        message.text_body = render_template("emails/certificate.txt", **context)
        message.html_body = render_template("emails/certificate.html", **context)
    message.attachment_name = f"certificate-{certificate.number}.pdf"
    message.attachment_type = "application/pdf"
    message.attachment = certificate.pdf
    message.rendered_at = utcnow()
    return None
