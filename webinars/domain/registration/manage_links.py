"""Manage links: the secret address of one registration, in every email to its student.

The token is derived (HMAC of the app's secret key over a random nonce) and never stored;
the row keeps the nonce and the token's SHA-256. A new nonce revokes every earlier link.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets

from flask import current_app
from sqlalchemy import select

from webinars.extensions import db
from webinars.models import Registration


def manage_token(registration: Registration) -> str:
    """The secret of a registration's manage link (256 bits), derived, never stored.

    HMAC of the app's secret key over a random nonce; the row keeps only the nonce and the
    token's SHA-256, so a copy of the database alone opens nothing.
    """
    if registration.token_nonce is None:
        raise ValueError("this registration has no manage link (revoked or anonymised)")
    return _token(registration.token_nonce)


def _token(nonce: str) -> str:
    key = current_app.config["SECRET_KEY"].encode()
    digest = hmac.new(key, f"manage:{nonce}".encode(), hashlib.sha256)
    return base64.urlsafe_b64encode(digest.digest()).rstrip(b"=").decode()


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def new_link_values() -> dict[str, str]:
    """The columns of a fresh manage link: a new nonce and its token's hash."""
    nonce = secrets.token_hex(16)
    return {"token_nonce": nonce, "token_hash": _hash(_token(nonce))}


def new_manage_link(registration: Registration) -> str:
    """Give the registration a fresh manage link, revoking any earlier one."""
    for key, value in new_link_values().items():
        setattr(registration, key, value)
    return manage_token(registration)


def find_by_token(token: str) -> Registration | None:
    """The registration a manage link opens, or None (unknown, revoked, malformed)."""
    if not token or len(token) > 100:
        return None
    return db.session.execute(
        select(Registration).where(Registration.token_hash == _hash(token))
    ).scalar_one_or_none()


def manage_url(registration: Registration) -> str:
    """The absolute manage link, for emails."""
    return f"{current_app.config['BASE_URL']}/r/{manage_token(registration)}"
