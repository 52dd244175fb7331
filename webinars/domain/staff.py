"""Staff accounts and partner academies: the rules admins work within."""

from __future__ import annotations

import re
import unicodedata

from email_validator import EmailNotValidError, validate_email
from flask_babel import lazy_gettext as _l
from sqlalchemy import func

from webinars.domain.signals import account_deactivated
from webinars.extensions import db
from webinars.models import PartnerAcademy, Role, User, utcnow


class StaffRuleError(ValueError):
    """A change refused by a rule; `field` names the form field to show it beside."""

    def __init__(self, field: str, message: object) -> None:
        super().__init__(str(message))
        self.field = field
        self.message = message


def _active_admins() -> int:
    return db.session.execute(
        db.select(func.count(User.id)).where(User.role == Role.ADMIN, User.is_active_account)
    ).scalar_one()


def _check_identity(email: str, name: str) -> None:
    """Commands call the domain without a form's validators: check what a form would."""
    if not name.strip():
        raise StaffRuleError("name", _l("Enter a name."))
    try:
        validate_email(email.strip(), check_deliverability=False)
    except EmailNotValidError:
        raise StaffRuleError("email", _l("Enter a valid email address.")) from None


def email_taken(email: str, except_id: int | None = None) -> bool:
    """True when another account uses this email (case-insensitive)."""
    query = db.select(User.id).where(func.lower(User.email) == email.strip().lower())
    if except_id is not None:
        query = query.where(User.id != except_id)
    return db.session.execute(query).first() is not None


def create_user(
    email: str,
    name: str,
    password: str,
    role: Role,
    time_zone: str = "Asia/Samarkand",
    academy_id: int | None = None,
    locale: str | None = None,
) -> User:
    """A new staff account. Coordinators must belong to an academy."""
    _check_identity(email, name)
    if email_taken(email):
        raise StaffRuleError("email", _l("An account with this email already exists."))
    if role is Role.COORDINATOR and not academy_id:
        raise StaffRuleError("academy_id", _l("A coordinator belongs to a partner academy."))
    user = User(
        email=email.strip().lower(),
        name=name.strip(),
        role=role,
        time_zone=time_zone,
        academy_id=academy_id if role is Role.COORDINATOR else None,
        locale=locale,
    )
    user.set_password(password)
    db.session.add(user)
    db.session.flush()
    return user


def change_user(
    user: User,
    *,
    name: str,
    email: str,
    role: Role,
    active: bool,
    academy_id: int | None,
    time_zone: str,
) -> int:
    """Edit an account; never leaves the service without an active admin.

    An inactive account keeps no private feed address: saving one revokes every address
    it made (a calendar must not keep reading join links for someone who has left).
    Returns how many addresses that revoked.
    """
    _check_identity(email, name)
    if email_taken(email, except_id=user.id):
        raise StaffRuleError("email", _l("An account with this email already exists."))
    if role is Role.COORDINATOR and not academy_id:
        raise StaffRuleError("academy_id", _l("A coordinator belongs to a partner academy."))
    losing_admin = (
        user.is_admin and user.is_active_account and (role is not Role.ADMIN or not active)
    )
    if losing_admin and _active_admins() <= 1:
        raise StaffRuleError(
            "role" if role is not Role.ADMIN else "active",  # beside what was changed
            _l("This is the last active admin: make someone else an admin first."),
        )
    user.name, user.email = name.strip(), email.strip().lower()
    user.role, user.is_active_account, user.time_zone = role, active, time_zone
    user.academy_id = academy_id if role is Role.COORDINATOR else None
    # Any address still open on an inactive account goes, not only on the save that
    # deactivates it: accounts deactivated before this rule lose theirs at their next save.
    if active:
        return 0
    # The calendars area answers (domain.calendars.tokens): general modules import no area.
    return sum(revoked for _receiver, revoked in account_deactivated.send(user))


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
