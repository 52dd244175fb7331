"""Private feed addresses: issue, find, revoke and regenerate their secret tokens.

A token is 256 random bits (URL-safe base64, 43 characters). Only its SHA-256 is
stored, so a copy of the database opens no feed; the plaintext is shown to its owner
once, when it is made. Callers commit.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from collections.abc import Collection
from datetime import datetime, timedelta

from sqlalchemy import ColumnElement

from webinars.domain.signals import account_deactivated
from webinars.extensions import db
from webinars.models import FeedScope, FeedToken, Role, User, utcnow

PREFIX_LENGTH = 6
# Writing last_used_at on every poll would make each poll a write: once an hour is enough.
LAST_USED_RESOLUTION = timedelta(hours=1)
USER_SUBJECT = "user:"
_TOKEN_SHAPE = re.compile(r"^[A-Za-z0-9_-]{16,128}$")


def hash_token(plaintext: str) -> str:
    """The stored form of a token: its SHA-256 in hex."""
    return hashlib.sha256(plaintext.encode("utf-8")).hexdigest()


def mask_token(plaintext: str) -> str:
    """A token safe for logs and pages: its first characters and an ellipsis."""
    return plaintext[:PREFIX_LENGTH] + "…"


def user_subject(user: User) -> str:
    """The `subject` of a token that belongs to a staff member."""
    return f"{USER_SUBJECT}{user.id}"


def issue_token(
    scope: FeedScope | str,
    academy_id: int | None = None,
    subject: str | None = None,
    now: datetime | None = None,
) -> str:
    """Create a token and return its plaintext, the only time it exists in full.

    `scope` "academy" needs `academy_id` (and `subject` "user:<id>" for its owner);
    "personal" needs `subject` (a normalised student email).
    """
    scope = FeedScope(scope)
    if scope is FeedScope.ACADEMY and academy_id is None:
        raise ValueError("an academy token needs academy_id")
    if scope is FeedScope.PERSONAL and not subject:
        raise ValueError("a personal token needs a subject")
    plaintext = secrets.token_urlsafe(32)
    db.session.add(
        FeedToken(
            scope=scope,
            academy_id=academy_id,
            subject=subject,
            token_hash=hash_token(plaintext),
            prefix=plaintext[:PREFIX_LENGTH],
            created_at=now or utcnow(),
        )
    )
    db.session.flush()
    return plaintext


def find_token(plaintext: str) -> FeedToken | None:
    """The token row for a plaintext token (revoked ones included), or None.

    The lookup is by hash, so the time it takes says nothing about how close a guess
    came; the final comparison is constant-time all the same.
    """
    if not plaintext or not _TOKEN_SHAPE.match(plaintext):
        return None
    digest = hash_token(plaintext)
    token = db.session.execute(
        db.select(FeedToken).where(FeedToken.token_hash == digest)
    ).scalar_one_or_none()
    if token is None or not hmac.compare_digest(token.token_hash, digest):
        return None
    return token


def revoke_token(token: FeedToken, now: datetime | None = None) -> None:
    """Stop a token from opening its feed (from then on it answers 410 Gone)."""
    if token.revoked_at is None:
        token.revoked_at = now or utcnow()


def regenerate(token: FeedToken, now: datetime | None = None) -> str:
    """Revoke a token and issue a new one for the same feed; returns the new plaintext."""
    revoke_token(token, now)
    return issue_token(token.scope, token.academy_id, token.subject, now)


def note_use(token: FeedToken, now: datetime | None = None) -> bool:
    """Record that a token was used, at most once per LAST_USED_RESOLUTION.

    Returns True when the row changed (the caller commits).
    """
    now = now or utcnow()
    if token.last_used_at is not None and now - token.last_used_at < LAST_USED_RESOLUTION:
        return False
    token.last_used_at = now
    return True


def token_owner(token: FeedToken) -> User | None:
    """The staff member a "user:<id>" token belongs to, if any."""
    if not token.subject or not token.subject.startswith(USER_SUBJECT):
        return None
    try:
        user_id = int(token.subject.removeprefix(USER_SUBJECT))
    except ValueError:
        return None
    return db.session.get(User, user_id)


def academy_token_usable(token: FeedToken) -> bool:
    """Whether an academy token still opens its feed.

    Besides not being revoked, a staff member's token works only while its owner is
    an active admin or an active coordinator of that academy: a coordinator who moves
    on takes no private feed along.
    """
    if token.scope is not FeedScope.ACADEMY or token.is_revoked:
        return False
    owner = token_owner(token)
    if owner is None:
        return token.subject is None  # issued for the academy itself, by an admin's tool
    if not owner.is_active:
        return False
    return owner.role is Role.ADMIN or (
        owner.role is Role.COORDINATOR and owner.academy_id == token.academy_id
    )


def revoke_owned_tokens(owner: User, now: datetime | None = None) -> int:
    """Revoke every private feed address `owner` made; returns how many were still open.

    Called when an account is deactivated: its addresses stop for good (410 Gone), and
    making the account active again brings none of them back.
    """
    tokens = academy_tokens(owner=owner)
    for token in tokens:
        revoke_token(token, now)
    return len(tokens)


def academy_tokens(academy_id: int | None = None, owner: User | None = None) -> list[FeedToken]:
    """Academy feed tokens that are not revoked, newest first, filtered by academy/owner."""
    query = db.select(FeedToken).where(
        FeedToken.scope == FeedScope.ACADEMY, FeedToken.revoked_at.is_(None)
    )
    if academy_id is not None:
        query = query.where(FeedToken.academy_id == academy_id)
    if owner is not None:
        query = query.where(FeedToken.subject == user_subject(owner))
    query = query.order_by(FeedToken.created_at.desc(), FeedToken.id.desc())
    return list(db.session.execute(query).scalars())


def _personal(emails: Collection[str]) -> tuple[ColumnElement[bool], ...]:
    """Personal feed addresses of these email addresses (revoked ones too)."""
    return (FeedToken.scope == FeedScope.PERSONAL, FeedToken.subject.in_(emails))


def personal_tokens(email: str) -> list[FeedToken]:
    """The personal feed addresses of an email address that still work."""
    return list(
        db.session.execute(
            db.select(FeedToken).where(*_personal([email]), FeedToken.revoked_at.is_(None))
        ).scalars()
    )


def new_personal_token(email: str, now: datetime | None = None) -> str:
    """A new personal feed address for an email address; the earlier ones stop working.
    Returns the plaintext token, to show once."""
    now = now or utcnow()
    for old in personal_tokens(email):
        revoke_token(old, now)
    return issue_token(FeedScope.PERSONAL, subject=email, now=now)


def forget_personal_tokens(emails: Collection[str]) -> None:
    """Delete every personal feed address of these email addresses (retention)."""
    if emails:
        db.session.execute(
            db.delete(FeedToken).where(*_personal(emails)),
            execution_options={"synchronize_session": False},
        )


@account_deactivated.connect
def _revoke_on_deactivation(owner: User) -> int:
    """An inactive account keeps no private feed address (domain.accounts.staff sends this)."""
    return revoke_owned_tokens(owner)
