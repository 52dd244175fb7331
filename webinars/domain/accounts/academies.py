"""Partner academies as admins keep them: their slugs, archiving and restoring."""

from __future__ import annotations

import re
import unicodedata

from webinars.extensions import db
from webinars.models import PartnerAcademy, utcnow


def slugify(text: str) -> str:
    """An ASCII slug for URLs and feed addresses: 'Izhevsk State' -> 'izhevsk-state'."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")[:80] or "academy"


def unique_academy_slug(name: str, except_id: int | None = None) -> str:
    """A slug not used by another academy."""
    base = slugify(name)
    slug, n = base, 2
    while True:
        query = db.select(PartnerAcademy.id).where(PartnerAcademy.slug == slug)
        if except_id is not None:
            query = query.where(PartnerAcademy.id != except_id)
        if db.session.execute(query).first() is None:
            return slug
        slug, n = f"{base[:76]}-{n}", n + 1


def archive_academy(academy: PartnerAcademy) -> None:
    """Hide from choices for new sessions; keep every session and its history."""
    if academy.archived_at is None:
        academy.archived_at = utcnow()


def restore_academy(academy: PartnerAcademy) -> None:
    """Bring an archived academy back."""
    academy.archived_at = None
