"""Staff accounts: the rules admins work within (details, roles, the last admin)."""

from __future__ import annotations

from typing import Any

from email_validator import EmailNotValidError, validate_email
from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import func

from webinars.domain.signals import account_deactivated
from webinars.extensions import db
from webinars.models import PartnerAcademy, Role, User


class StaffRuleError(ValueError):
    """A change refused by rules; `errors` maps each form field to its message, so a
    person reads every problem at once. `field` and `message` name the first."""

    def __init__(self, errors: dict[str, Any]) -> None:
        super().__init__("; ".join(str(m) for m in errors.values()))
        self.errors = errors
        self.field, self.message = next(iter(errors.items()))


def _active_admins() -> int:
    return db.session.execute(
        db.select(func.count(User.id)).where(User.role == Role.ADMIN, User.is_active_account)
    ).scalar_one()


def email_taken(email: str, except_id: int | None = None) -> bool:
    """True when another account uses this email (case-insensitive)."""
    query = db.select(User.id).where(func.lower(User.email) == email.strip().lower())
    if except_id is not None:
        query = query.where(User.id != except_id)
    return db.session.execute(query).first() is not None


def account_problems(
    email: str, name: str, role: Role, academy_id: int | None, except_id: int | None = None
) -> dict[str, Any]:
    """Every rule an account's details break, by field (empty: none). Forms show them all
    beside their fields; commands, which have no form validators, get the same checks."""
    problems: dict[str, Any] = {}
    if not (name or "").strip():
        problems["name"] = _l("Enter a name.")
    try:
        validate_email((email or "").strip(), check_deliverability=False)
    except EmailNotValidError:
        problems["email"] = _l("Enter a valid email address.")
    else:
        if email_taken(email, except_id):
            problems["email"] = _l("An account with this email already exists.")
    if role is Role.COORDINATOR and not academy_id:
        problems["academy_id"] = _l("A coordinator belongs to a partner academy.")
    return problems


def default_zone(role: Role, academy_id: int | None) -> str:
    """A new account's zone when none is chosen: a coordinator's academy's, else home's.

    "(you)" on every page marks this zone, so a coordinator in Izhevsk must not be
    given Samarkand's by default.
    """
    if role is Role.COORDINATOR and academy_id:
        zone = db.session.execute(
            db.select(PartnerAcademy.time_zone).where(PartnerAcademy.id == academy_id)
        ).scalar_one_or_none()
        if zone:
            return zone
    return current_app.config["HOME_TIME_ZONE"]


def create_user(
    email: str,
    name: str,
    password: str,
    role: Role,
    time_zone: str | None = None,
    academy_id: int | None = None,
    locale: str | None = None,
) -> User:
    """A new staff account. Coordinators must belong to an academy.

    Without a zone, a coordinator gets their academy's and anyone else the department's.
    """
    if problems := account_problems(email, name, role, academy_id):
        raise StaffRuleError(problems)
    user = User(
        email=email.strip().lower(),
        name=name.strip(),
        role=role,
        time_zone=time_zone or default_zone(role, academy_id),
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
    time_zone: str | None,
) -> int:
    """Edit an account; never leaves the service without an active admin.

    An inactive account keeps no private feed address: saving one revokes every address
    it made (a calendar must not keep reading join links for someone who has left).
    Returns how many addresses that revoked.
    """
    problems = account_problems(email, name, role, academy_id, except_id=user.id)
    losing_admin = (
        user.is_admin and user.is_active_account and (role is not Role.ADMIN or not active)
    )
    if losing_admin and _active_admins() <= 1:
        field = "role" if role is not Role.ADMIN else "active"  # beside what was changed
        problems[field] = _l("This is the last active admin: make someone else an admin first.")
    if problems:
        raise StaffRuleError(problems)
    user.name, user.email = name.strip(), email.strip().lower()
    user.role, user.is_active_account = role, active
    user.time_zone = time_zone or default_zone(role, academy_id)
    user.academy_id = academy_id if role is Role.COORDINATOR else None
    # Any address still open on an inactive account goes, not only on the save that
    # deactivates it: accounts deactivated before this rule lose theirs at their next save.
    if active:
        return 0
    # The calendars area answers (domain.calendars.tokens): general modules import no area.
    return sum(revoked for _receiver, revoked in account_deactivated.send(user))
