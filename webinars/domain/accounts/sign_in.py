"""Signing staff in: an email and a password against the stored hash, in constant work."""

from __future__ import annotations

import secrets

from flask import current_app
from sqlalchemy import func
from werkzeug.security import check_password_hash, generate_password_hash

from webinars.extensions import db
from webinars.models import User

# Hashed once per hashing method: what an unknown email is checked against, so that it
# costs what a wrong password costs and the two cannot be told apart by timing.
_DUMMY_HASHES: dict[str, str] = {}


def _dummy_hash() -> str:
    method = current_app.config["PASSWORD_HASH_METHOD"]
    if method not in _DUMMY_HASHES:
        _DUMMY_HASHES[method] = generate_password_hash(secrets.token_urlsafe(16), method=method)
    return _DUMMY_HASHES[method]


def authenticate(email: str, password: str) -> User | None:
    """The active account with this email and password, or None.

    Exactly one password hash is checked whatever the outcome (unknown email, inactive
    account, wrong or right password), so the answer's timing does not tell whether an
    account exists."""
    user = db.session.execute(
        db.select(User).where(func.lower(User.email) == email.strip().lower())
    ).scalar_one_or_none()
    stored = user.password_hash if user is not None and user.password_hash else None
    matches = check_password_hash(stored or _dummy_hash(), password)
    if user is None or stored is None or not user.is_active:
        return None
    return user if matches else None
