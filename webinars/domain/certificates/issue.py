"""Issuing certificates once per holder, in the worker; revoking and reissuing them.

``issue_for_session`` gives every person frozen as attended (attendance.sheet) and every
lecturer and guest speaker of a finalised session a certificate, unless they have one
(``issue_key`` is unique: a retry, a second finalising or two workers at once never give
a second number). ``render_pending`` then writes each new certificate's PDF from its
frozen content and queues its email. Both run in the worker, never in a request.
"""

from __future__ import annotations

import secrets
from datetime import datetime
from typing import Any

from flask import current_app
from flask_babel import lazy_gettext as _l

from webinars.domain import signals
from webinars.domain.attendance.sheet import attended_entries, sheet_of
from webinars.domain.certificates.content import attendance_content, teaching_content
from webinars.domain.certificates.pdf import logo_of_layout, render_pdf
from webinars.domain.mail.outbox import queue_message
from webinars.extensions import db
from webinars.models import (
    AttendanceEntry,
    AuditEntry,
    Certificate,
    CertificateKind,
    GuestSpeaker,
    Session,
    User,
)

MAIL_KIND = "certificate"


class CertificateError(ValueError):
    """An action on a certificate that cannot be done; ``message`` says why."""

    def __init__(self, message: Any) -> None:
        super().__init__(str(message))
        self.message = message


def verify_url(certificate: Certificate) -> str:
    """The public address that says whether the certificate is valid."""
    return f"{current_app.config['BASE_URL']}/certificates/{certificate.code}"


def _number(certificate: Certificate) -> str:
    prefix = current_app.config["CERTIFICATE_NUMBER_PREFIX"]
    return f"{prefix}-{certificate.issued_at:%Y}-{certificate.id:06d}"


def _new(kind: CertificateKind, key: str, session: Session, now: datetime, **values) -> Certificate:
    certificate = Certificate(
        code=secrets.token_urlsafe(16),
        kind=kind,
        issue_key=key,
        session_id=session.id,
        issued_at=now,
        **values,
    )
    db.session.add(certificate)
    db.session.flush()  # the id gives the number
    certificate.number = _number(certificate)
    return certificate


def _taken(session_id: int) -> set[str]:
    return set(
        db.session.execute(
            db.select(Certificate.issue_key).where(
                Certificate.session_id == session_id, Certificate.issue_key.is_not(None)
            )
        ).scalars()
    )


def entry_key(session_id: int, entry: AttendanceEntry) -> str:
    """A student's holder key: the registration, else the walk-in's entry."""
    who = f"r{entry.registration_id}" if entry.registration_id else f"e{entry.id}"
    return f"{session_id}:{who}"


def issue_for_session(session_id: int, now: datetime) -> list[Certificate]:
    """Issue what a finalised session still lacks; returns the new certificates (the
    caller commits). Nothing for a session whose attendance is not final."""
    session = db.session.get(Session, session_id)
    sheet = sheet_of(session_id)
    if session is None or sheet is None or not sheet.is_final:
        return []
    taken = _taken(session_id)
    issued: list[Certificate] = []
    attended = attended_entries(session_id)
    for entry in attended:
        key = entry_key(session_id, entry)
        if key in taken or entry.forgotten_at is not None:
            continue
        name, locale, content = attendance_content(session, entry)
        if not name:
            continue  # nobody to name (personal data gone)
        registration = entry.registration
        issued.append(
            _new(
                CertificateKind.ATTENDANCE,
                key,
                session,
                now,
                registration_id=entry.registration_id,
                entry_id=entry.id,
                holder_name=name,
                locale=locale,
                email=(registration.email if registration else entry.email),
                data=content,
            )
        )
    teachers: list[User | GuestSpeaker] = [*session.lecturers, *session.guest_speakers]
    for who in teachers:
        key = f"{session_id}:{'u' if isinstance(who, User) else 'g'}{who.id}"
        if key in taken:
            continue
        name, locale, content = teaching_content(session, who, len(attended))
        issued.append(
            _new(
                CertificateKind.TEACHING,
                key,
                session,
                now,
                user_id=who.id if isinstance(who, User) else None,
                guest_speaker_id=who.id if isinstance(who, GuestSpeaker) else None,
                holder_name=name,
                locale=locale,
                email=who.email if isinstance(who, User) else None,
                data=content,
            )
        )
    return issued


def pending(session_id: int, limit: int = 50) -> list[Certificate]:
    """Certificates of the session still without their PDF."""
    return list(
        db.session.execute(
            db.select(Certificate)
            .where(
                Certificate.session_id == session_id,
                Certificate.pdf.is_(None),
                Certificate.revoked_at.is_(None),
            )
            .order_by(Certificate.id)
            .limit(limit)
        ).scalars()
    )


def render_one(certificate: Certificate, now: datetime, logo: bytes | None) -> None:
    """Write the PDF and queue the email (once: the outbox's dedupe key)."""
    certificate.pdf = render_pdf(certificate, verify_url(certificate), logo)
    certificate.rendered_at = now
    if certificate.email and certificate.mailed_at is None:
        queue_message(
            kind=MAIL_KIND,
            to=certificate.email,
            registration=None,
            session_id=certificate.session_id,
            params={"certificate_id": certificate.id},
            dedupe_key=f"{MAIL_KIND}:{certificate.id}",
            now=now,
        )
        certificate.mailed_at = now


def render_pending(session_id: int, now: datetime, batch: int = 50) -> int:
    """Render every certificate of the session still without a PDF, committing each
    batch; returns how many were rendered."""
    logo = logo_of_layout()
    done = 0
    while certificates := pending(session_id, batch):
        for certificate in certificates:
            render_one(certificate, now, logo)
        db.session.commit()
        done += len(certificates)
    return done


def revoke(certificate: Certificate, reason: str, actor: User, now: datetime) -> None:
    """Withdraw a certificate: its page says revoked. The reason goes to the history."""
    reason = (reason or "").strip()
    if not reason:
        raise CertificateError(_l("Say why the certificate is revoked."))
    if certificate.is_revoked:
        raise CertificateError(_l("This certificate is already revoked."))
    certificate.revoked_at = now
    certificate.revoked_by_id = actor.id
    certificate.revoke_reason = reason[:500]
    if certificate.session_id:
        db.session.add(
            AuditEntry(
                session_id=certificate.session_id,
                user_id=actor.id,
                at=now,
                action="certificate_revoked",
                changes={"certificate": [None, certificate.number], "reason": [None, reason]},
            )
        )


def reissue(certificate: Certificate, holder_name: str, actor: User, now: datetime) -> Certificate:
    """Revoke the certificate and issue its holder a new one (new number, content from
    the session as it is now, the corrected name). The PDF follows in the worker."""
    name = (holder_name or "").strip()
    if not name or len(name) > 200:
        raise CertificateError(_l("Give the holder's name as it should be printed."))
    session = db.session.get(Session, certificate.session_id) if certificate.session_id else None
    if session is None:
        raise CertificateError(_l("The session of this certificate no longer exists."))
    if not certificate.is_revoked:
        revoke(certificate, str(_l("Reissued")), actor, now)
    key, certificate.issue_key = certificate.issue_key, None
    db.session.flush()
    content = dict(certificate.data)
    fresh = _fresh_content(certificate, session)
    content.update(fresh)
    replacement = _new(
        certificate.kind,
        key or f"{session.id}:c{certificate.id}",
        session,
        now,
        registration_id=certificate.registration_id,
        entry_id=certificate.entry_id,
        user_id=certificate.user_id,
        guest_speaker_id=certificate.guest_speaker_id,
        holder_name=name,
        locale=certificate.locale,
        email=certificate.email,
        data=content,
        replaces_id=certificate.id,
    )
    db.session.add(
        AuditEntry(
            session_id=session.id,
            user_id=actor.id,
            at=now,
            action="certificate_reissued",
            changes={"certificate": [certificate.number, replacement.number]},
        )
    )
    signals.certificates_due.send(session.id)
    return replacement


def _fresh_content(certificate: Certificate, session: Session) -> dict:
    """The content a reissue takes from the session as it is now."""
    if certificate.kind is CertificateKind.TEACHING:
        students = len(attended_entries(session.id))
        who = (
            db.session.get(User, certificate.user_id)
            if certificate.user_id
            else db.session.get(GuestSpeaker, certificate.guest_speaker_id)
        )
        if who is not None:
            return teaching_content(session, who, students)[2]
        return {}
    entry = db.session.get(AttendanceEntry, certificate.entry_id) if certificate.entry_id else None
    if entry is None:
        return {}
    return attendance_content(session, entry)[2]


def request_correction(certificate: Certificate, text: str, now: datetime) -> None:
    """A student asks for a correction (e.g. a misspelt name); lecturers see it."""
    text = (text or "").strip()
    if not text:
        raise CertificateError(_l("Say what should be corrected."))
    if len(text) > 500:
        raise CertificateError(_l("Please keep it under 500 characters."))
    certificate.correction_request = text
    certificate.correction_requested_at = now


def certificates_of(session_id: int) -> list[Certificate]:
    """The session's certificates, current ones first, by kind and name."""
    return list(
        db.session.execute(
            db.select(Certificate)
            .where(Certificate.session_id == session_id)
            .order_by(
                Certificate.revoked_at.is_not(None),
                Certificate.kind,
                Certificate.holder_name,
                Certificate.id,
            )
        ).scalars()
    )


def current_for_registration(registration_id: int) -> Certificate | None:
    """A student's valid certificate for their registration (the manage page's), if any."""
    return db.session.execute(
        db.select(Certificate)
        .where(
            Certificate.registration_id == registration_id,
            Certificate.revoked_at.is_(None),
            Certificate.kind == CertificateKind.ATTENDANCE,
        )
        .order_by(Certificate.id.desc())
    ).scalar()


def by_code(code: str) -> Certificate | None:
    """The certificate a verification address names, or None."""
    if not code or len(code) > 40:
        return None
    return db.session.execute(db.select(Certificate).where(Certificate.code == code)).scalar()


def forget_addresses(session_ids) -> None:
    """Retention: certificates stay (the holder's record); the address they were mailed
    to and any correction request go."""
    db.session.execute(
        db.update(Certificate)
        .where(Certificate.session_id.in_(session_ids))
        .values(email=None, correction_request=None)
        .execution_options(synchronize_session=False)
    )
