"""Inviting a coordinator by email: the invitee sets their own password through a link
that works once and expires.

The link's token is derived (HMAC of the app's secret key over a random nonce) and never
stored; the row keeps the nonce, to put the same link in the email when it is sent, and
the token's SHA-256, to find the row. A new invitation to the same address revokes the
earlier ones still open.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from datetime import datetime, timedelta

from email_validator import validate_email
from flask import current_app
from flask_babel import lazy_gettext as _l

from webinars.domain.accounts.staff import (
    StaffRuleError,
    account_problems,
    create_user,
    email_taken,
)
from webinars.domain.mail.outbox import queue_message
from webinars.extensions import db
from webinars.models import CoordinatorInvitation, PartnerAcademy, Role, User, utcnow

INVITATION_MAIL = "coordinator_invitation"


def _token(nonce: str) -> str:
    key = current_app.config["SECRET_KEY"].encode()
    digest = hmac.new(key, f"coordinator-invitation:{nonce}".encode(), hashlib.sha256)
    return base64.urlsafe_b64encode(digest.digest()).rstrip(b"=").decode()


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def invitation_url(invitation: CoordinatorInvitation) -> str:
    """The absolute address of the invitation's link, for its email."""
    return f"{current_app.config['BASE_URL']}/invitation/{_token(invitation.token_nonce)}"


def invite_coordinator(
    *,
    email: str,
    name: str,
    academy_id: int,
    locale: str,
    time_zone: str,
    invited_by: User | None,
    now: datetime | None = None,
) -> CoordinatorInvitation:
    """Invite someone to coordinate an academy's cooperation; emails the link.

    Raises StaffRuleError (with the form field) when the address is not valid or has an
    account already, or the academy is unknown or archived. Earlier open invitations to
    the same address are revoked: only the newest link works.
    """
    now = now or utcnow()
    problems = account_problems(email, name, Role.COORDINATOR, academy_id)
    academy = db.session.get(PartnerAcademy, academy_id)
    if academy is None or academy.is_archived:
        problems["academy_id"] = _l("Choose an active partner academy.")
    if problems:
        raise StaffRuleError(problems)
    email = validate_email(email.strip(), check_deliverability=False).normalized.lower()
    for earlier in _open_invitations(email, now):
        earlier.revoked_at = now
    nonce = secrets.token_hex(16)
    invitation = CoordinatorInvitation(
        email=email,
        name=name.strip(),
        academy_id=academy.id,
        locale=locale,
        time_zone=time_zone,
        invited_by_id=invited_by.id if invited_by else None,
        token_nonce=nonce,
        token_hash=_hash(_token(nonce)),
        created_at=now,
        expires_at=now + timedelta(days=current_app.config["COORDINATOR_INVITATION_DAYS"]),
    )
    db.session.add(invitation)
    db.session.flush()
    queue_message(kind=INVITATION_MAIL, to=email, params={"invitation_id": invitation.id}, now=now)
    return invitation


def _open_invitations(email: str, now: datetime) -> list[CoordinatorInvitation]:
    return list(
        db.session.execute(
            db.select(CoordinatorInvitation).where(
                CoordinatorInvitation.email == email,
                CoordinatorInvitation.accepted_at.is_(None),
                CoordinatorInvitation.revoked_at.is_(None),
                CoordinatorInvitation.expires_at > now,
            )
        ).scalars()
    )


def find_invitation(token: str) -> CoordinatorInvitation | None:
    """The invitation a link opens (in whatever state), or None for an unknown token."""
    if not token or len(token) > 100:
        return None
    return db.session.execute(
        db.select(CoordinatorInvitation).where(CoordinatorInvitation.token_hash == _hash(token))
    ).scalar_one_or_none()


class InvitationUnusableError(Exception):
    """The link was used, revoked or has expired; `state` says which."""

    def __init__(self, state: str) -> None:
        super().__init__(state)
        self.state = state


def accept_invitation(
    invitation: CoordinatorInvitation, password: str, now: datetime | None = None
) -> User:
    """Create the coordinator's account with the password they chose; the link is spent.

    The link is taken by a conditional UPDATE first, so two clicks at once make one
    account: the second raises InvitationUnusableError("accepted").
    """
    now = now or utcnow()
    taken = db.session.execute(
        db.update(CoordinatorInvitation)
        .where(
            CoordinatorInvitation.id == invitation.id,
            CoordinatorInvitation.accepted_at.is_(None),
            CoordinatorInvitation.revoked_at.is_(None),
            CoordinatorInvitation.expires_at > now,
        )
        .values(accepted_at=now)
        .execution_options(synchronize_session=False)
    )
    if taken.rowcount != 1:
        db.session.refresh(invitation)
        raise InvitationUnusableError(invitation.state(now))
    db.session.refresh(invitation)
    if email_taken(invitation.email):
        raise StaffRuleError({"password": _l("An account with this email already exists.")})
    user = create_user(
        invitation.email,
        invitation.name,
        password,
        Role.COORDINATOR,
        invitation.time_zone,
        invitation.academy_id,
        invitation.locale,
    )
    invitation.user_id = user.id
    return user


def revoke_invitation(invitation: CoordinatorInvitation, now: datetime | None = None) -> None:
    """The link stops working (an open invitation only; a used one made its account)."""
    if invitation.state(now) == "open":
        invitation.revoked_at = now or utcnow()


def recent_invitations(limit: int = 100) -> list[CoordinatorInvitation]:
    """The latest invitations, newest first, for the admins' list."""
    return list(
        db.session.execute(
            db.select(CoordinatorInvitation)
            .order_by(CoordinatorInvitation.created_at.desc(), CoordinatorInvitation.id.desc())
            .limit(limit)
        ).scalars()
    )
