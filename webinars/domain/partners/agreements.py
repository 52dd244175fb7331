"""Agreements with partner academies: their documents on disk, what is in force, what
expires soon, and which partners have gone quiet.

Documents are PDF files kept in AGREEMENT_DOCUMENTS_DIR (outside the web root, under
instance/ by default) with random names; the web layer serves them to staff only.
"""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import func

from webinars.extensions import db
from webinars.models import (
    Agreement,
    PartnerAcademy,
    Session,
    SessionStatus,
    session_academies,
    utcnow,
)

EXPIRY_WARNING_DAYS = 90  # "expires soon": within this many days
QUIET_AFTER_DAYS = 365  # a partner with no session held for this long is flagged
PDF_MAGIC = b"%PDF-"


class DocumentError(ValueError):
    """An upload refused, with a message for the person who chose it."""

    def __init__(self, message: object) -> None:
        super().__init__(str(message))
        self.message = message


@dataclass(frozen=True)
class StoredDocument:
    key: str
    name: str
    size: int


def documents_dir() -> Path:
    """Where agreement documents are kept (made on first use, private to the app)."""
    path = Path(current_app.config["AGREEMENT_DOCUMENTS_DIR"])
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    return path


def max_document_bytes() -> int:
    return int(current_app.config["AGREEMENT_DOCUMENT_MAX_BYTES"])


def _clean_name(filename: str) -> str:
    """What a download is called: the uploader's base name, without path or controls."""
    base = filename.replace("\\", "/").rsplit("/", 1)[-1]
    base = "".join(ch for ch in base if ch.isprintable() and ch not in '"<>|:*?').strip()
    return (base or "agreement.pdf")[-200:]


def store_document(data: bytes, filename: str) -> StoredDocument:
    """Check an upload (a PDF, not empty, not over the limit) and keep it under a new
    random name. `data` may be one byte longer than the limit: that is how a caller that
    read no further says "too big"."""
    limit = max_document_bytes()
    if not data:
        raise DocumentError(_l("The file is empty."))
    if len(data) > limit:
        raise DocumentError(
            _l("The file is too big: at most %(mb)d MB.", mb=max(limit // (1024 * 1024), 1))
        )
    if not filename.lower().endswith(".pdf") or not data.startswith(PDF_MAGIC):
        raise DocumentError(_l("Upload the scanned agreement as a PDF file."))
    key = f"{secrets.token_hex(16)}.pdf"
    fd = os.open(documents_dir() / key, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as out:
        out.write(data)
    return StoredDocument(key=key, name=_clean_name(filename), size=len(data))


def document_path(agreement: Agreement) -> Path | None:
    """The document's file, if the agreement has one and it is on disk."""
    if not agreement.document_key:
        return None
    path = documents_dir() / agreement.document_key
    return path if path.is_file() else None


def discard_document(key: str | None) -> None:
    """Delete a stored document's file (after the change that dropped it is committed)."""
    if key:
        (documents_dir() / Path(key).name).unlink(missing_ok=True)


def attach_document(agreement: Agreement, document: StoredDocument | None) -> str | None:
    """Put a new document on the agreement; returns the key of the one it replaces."""
    if document is None:
        return None
    old = agreement.document_key
    agreement.document_key = document.key
    agreement.document_name = document.name
    agreement.document_size = document.size
    return old


def detach_document(agreement: Agreement) -> str | None:
    """Take the document off the agreement; returns its key, for discard_document."""
    old = agreement.document_key
    agreement.document_key = agreement.document_name = agreement.document_size = None
    return old


def standing(agreement: Agreement, today: date) -> str:
    """ "pending" (not yet signed into force), "expiring" (within the warning window),
    "active", or "expired"."""
    if today < agreement.signed_on:
        return "pending"
    if agreement.expires_on is not None and agreement.expires_on < today:
        return "expired"
    if agreement.expires_on is not None and (agreement.expires_on - today).days <= (
        EXPIRY_WARNING_DAYS
    ):
        return "expiring"
    return "active"


def expiring_agreements(today: date, days: int = EXPIRY_WARNING_DAYS) -> list[Agreement]:
    """Agreements in force whose expiry falls within `days` of today, soonest first."""
    return list(
        db.session.execute(
            db.select(Agreement)
            .join(Agreement.academy)
            .where(
                Agreement.signed_on <= today,
                Agreement.expires_on >= today,
                Agreement.expires_on <= today + timedelta(days=days),
                PartnerAcademy.archived_at.is_(None),
            )
            .order_by(Agreement.expires_on, Agreement.id)
            .options(db.contains_eager(Agreement.academy))
        ).scalars()
    )


def next_expiry(today: date) -> Agreement | None:
    """The agreement in force that expires next (for dashboards)."""
    return db.session.execute(
        db.select(Agreement)
        .where(Agreement.signed_on <= today, Agreement.expires_on >= today)
        .order_by(Agreement.expires_on, Agreement.id)
        .limit(1)
    ).scalar_one_or_none()


def last_sessions_held(now: datetime | None = None) -> dict[int, datetime]:
    """Each academy's latest session held (scheduled, not cancelled, already started)."""
    now = now or utcnow()
    rows = db.session.execute(
        db.select(session_academies.c.academy_id, func.max(Session.starts_at))
        .join(Session, Session.id == session_academies.c.session_id)
        .where(Session.status == SessionStatus.SCHEDULED, Session.starts_at <= now)
        .group_by(session_academies.c.academy_id)
    ).all()
    return {academy_id: last for academy_id, last in rows}


@dataclass
class AcademyStanding:
    """What the academies page shows about one partner."""

    academy: PartnerAcademy
    agreements: list[tuple[Agreement, str]] = field(default_factory=list)
    last_session_at: datetime | None = None
    quiet: bool = False

    @property
    def in_force(self) -> int:
        return sum(1 for _, state in self.agreements if state in ("active", "expiring"))


def academies_standing(now: datetime | None = None) -> list[AcademyStanding]:
    """Every academy (archived last) with its agreements' standing and its last session;
    three statements, whatever the number of academies."""
    now = now or utcnow()
    today = now.date()
    academies = db.session.execute(
        db.select(PartnerAcademy).order_by(
            PartnerAcademy.archived_at.is_not(None), PartnerAcademy.name_en
        )
    ).scalars()
    rows = {a.id: AcademyStanding(a) for a in academies}
    agreements = db.session.execute(
        db.select(Agreement).order_by(Agreement.signed_on.desc(), Agreement.id)
    ).scalars()
    for agreement in agreements:
        rows[agreement.academy_id].agreements.append((agreement, standing(agreement, today)))
    last = last_sessions_held(now)
    for academy_id, row in rows.items():
        row.last_session_at = last.get(academy_id)
        row.quiet = not row.academy.is_archived and (
            row.last_session_at is None
            or row.last_session_at < now - timedelta(days=QUIET_AFTER_DAYS)
        )
    return list(rows.values())
