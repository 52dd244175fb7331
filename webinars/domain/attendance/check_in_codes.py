"""The code in a student's check-in QR: a lecturer's phone scans it at the door.

The QR holds a staff address (``/manage/sessions/<id>/check-in/r<registration>/<code>``)
that opens only for the session's lecturers and admins. The code is an HMAC of the app's
secret key over the registration and its manage-link nonce: it cannot be guessed, and a
new manage link (which changes the nonce) revokes the old QR too.
"""

from __future__ import annotations

import base64
import hashlib
import hmac

import segno
from flask import current_app

from webinars.models import Registration


def check_in_code(registration: Registration) -> str | None:
    """The registration's check-in code (26 characters), or None once it has no link."""
    if registration.token_nonce is None:
        return None
    key = current_app.config["SECRET_KEY"].encode()
    message = f"check-in:{registration.id}:{registration.token_nonce}".encode()
    digest = hmac.new(key, message, hashlib.sha256).digest()[:16]
    return base64.b32encode(digest).decode().rstrip("=").lower()


def code_matches(registration: Registration, code: str) -> bool:
    """True when ``code`` is this registration's current check-in code."""
    expected = check_in_code(registration)
    return expected is not None and hmac.compare_digest(expected, (code or "").lower()[:64])


def check_in_url(registration: Registration) -> str | None:
    """The absolute address the QR holds, or None once the registration has no link."""
    code = check_in_code(registration)
    if code is None:
        return None
    base = current_app.config["BASE_URL"]
    return f"{base}/manage/sessions/{registration.session_id}/check-in/r{registration.id}/{code}"


def check_in_qr(registration: Registration) -> str | None:
    """The QR code of ``check_in_url`` as an SVG data URI, for the student's pages."""
    url = check_in_url(registration)
    if url is None:
        return None
    return segno.make(url, error="m").svg_data_uri(scale=5, border=2)


def check_in_qr_png(registration: Registration) -> str | None:
    """The same QR code as a PNG data URI, for emails (mail programs rarely show SVG)."""
    url = check_in_url(registration)
    if url is None:
        return None
    return segno.make(url, error="m").png_data_uri(scale=4, border=2)
