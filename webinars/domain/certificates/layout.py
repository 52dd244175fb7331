"""The certificates' layout: one row an admin adjusts (issuer, signatories, colours, logo).

A certificate copies the layout's words and colours when it is issued; the logo is read
when its PDF is rendered (in the worker, right after).
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from datetime import datetime

from flask import current_app
from flask_babel import lazy_gettext as _l
from PIL import Image, UnidentifiedImageError

from webinars.domain.sessions.places import home_name
from webinars.extensions import db
from webinars.models import CertificateLayout, User

COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")
LOGO_TYPES = {"PNG": "image/png", "JPEG": "image/jpeg"}
MAX_LOGO_BYTES = 1024 * 1024
MAX_LOGO_PIXELS = 4000 * 4000


class LayoutError(ValueError):
    """A layout value that cannot be used; ``field`` and ``message`` say which and why."""

    def __init__(self, field: str, message) -> None:
        super().__init__(str(message))
        self.field = field
        self.message = message


@dataclass
class LayoutChanges:
    """What the admin's form gives."""

    issuer: str | None
    signatory_name: str | None
    signatory_title: str | None
    second_signatory_name: str | None
    second_signatory_title: str | None
    colour: str
    accent_colour: str
    logo: bytes | None = None  # None: keep the logo
    remove_logo: bool = False


def current_layout() -> CertificateLayout:
    """The stored layout, or the defaults (not stored) when the admin never saved one."""
    return db.session.get(CertificateLayout, 1) or CertificateLayout(
        id=1, colour="#1f4e79", accent_colour="#c9a227"
    )


def issuer_name(layout: CertificateLayout, locale: str | None) -> str:
    """Who issues the certificates: the layout's issuer, else the home department's name in
    the certificate's language (HOME_NAME_RU, HOME_NAME_UZ ...)."""
    return (layout.issuer or "").strip() or home_name(current_app.config, locale)


def check_logo(data: bytes) -> str:
    """The logo's content type; LayoutError unless it is a PNG or JPEG image of sane size."""
    if len(data) > MAX_LOGO_BYTES:
        raise LayoutError("logo", _l("The logo is too large (at most 1 MB)."))
    try:
        with Image.open(io.BytesIO(data)) as image:
            image.verify()
            kind, size = image.format, image.size
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError) as exc:
        raise LayoutError("logo", _l("The logo must be a PNG or JPEG image.")) from exc
    if kind not in LOGO_TYPES:
        raise LayoutError("logo", _l("The logo must be a PNG or JPEG image."))
    if size[0] * size[1] > MAX_LOGO_PIXELS:
        raise LayoutError("logo", _l("The logo is too large (at most 1 MB)."))
    return LOGO_TYPES[kind]


def save_layout(changes: LayoutChanges, actor: User, now: datetime) -> CertificateLayout:
    """Store the admin's layout (the caller commits). Issued certificates keep theirs."""
    for field, value in (("colour", changes.colour), ("accent_colour", changes.accent_colour)):
        if not COLOUR.match(value or ""):
            raise LayoutError(field, _l("Give a colour as #rrggbb, e.g. #1f4e79."))
    logo_type = check_logo(changes.logo) if changes.logo else None
    layout = db.session.get(CertificateLayout, 1)
    if layout is None:
        layout = CertificateLayout(id=1)
        db.session.add(layout)
    layout.issuer = (changes.issuer or "").strip() or None
    layout.signatory_name = (changes.signatory_name or "").strip() or None
    layout.signatory_title = (changes.signatory_title or "").strip() or None
    layout.second_signatory_name = (changes.second_signatory_name or "").strip() or None
    layout.second_signatory_title = (changes.second_signatory_title or "").strip() or None
    layout.colour = changes.colour.lower()
    layout.accent_colour = changes.accent_colour.lower()
    if changes.logo:
        layout.logo, layout.logo_type = changes.logo, logo_type
    elif changes.remove_logo:
        layout.logo, layout.logo_type = None, None
    layout.updated_at = now
    layout.updated_by_id = actor.id
    return layout
