"""Staff accounts: admins, lecturers and partner coordinators."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import TYPE_CHECKING

from flask import current_app, has_app_context
from flask_login import UserMixin
from sqlalchemy import ForeignKey, String, true
from sqlalchemy.orm import Mapped, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

from webinars.extensions import db
from webinars.models.types import UTCDateTime, enum_type, utcnow

if TYPE_CHECKING:
    from webinars.models.academy import PartnerAcademy


class Role(enum.StrEnum):
    """What a staff member may do."""

    ADMIN = "admin"
    LECTURER = "lecturer"
    COORDINATOR = "coordinator"


class User(UserMixin, db.Model):
    """A person who signs in. Students never have one."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[Role] = mapped_column(enum_type(Role))
    academy_id: Mapped[int | None] = mapped_column(ForeignKey("partner_academies.id"))
    time_zone: Mapped[str] = mapped_column(String(64), default="Asia/Samarkand")
    locale: Mapped[str | None] = mapped_column(String(8))
    is_active_account: Mapped[bool] = mapped_column(default=True)
    # Coordinators: an email with a calendar invitation when a session of their academy is
    # scheduled, moved, gets a new link or is cancelled (they may turn it off).
    academy_session_emails: Mapped[bool] = mapped_column(default=True, server_default=true())
    # The lecturer's user on the department's Zoom account, if any (an alternative host).
    zoom_email: Mapped[str | None] = mapped_column(String(254))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Moves on every change, so cached calendar feeds that show the name see it.
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    academy: Mapped[PartnerAcademy | None] = relationship(back_populates="coordinators")

    @property
    def is_active(self) -> bool:  # Flask-Login refuses inactive accounts
        return self.is_active_account

    @property
    def is_admin(self) -> bool:
        return self.role is Role.ADMIN

    @property
    def is_lecturer(self) -> bool:
        return self.role is Role.LECTURER

    @property
    def is_coordinator(self) -> bool:
        return self.role is Role.COORDINATOR

    @property
    def can_schedule(self) -> bool:
        """Admins and lecturers create sessions; coordinators only read."""
        return self.role in (Role.ADMIN, Role.LECTURER)

    def set_password(self, password: str) -> None:
        # PASSWORD_HASH_METHOD (config.py); outside an app, werkzeug's default (scrypt).
        method = {"method": current_app.config["PASSWORD_HASH_METHOD"]} if has_app_context() else {}
        self.password_hash = generate_password_hash(password, **method)

    def check_password(self, password: str) -> bool:
        return check_password_hash(self.password_hash, password)

    def __repr__(self) -> str:
        return f"<User {self.email} {self.role.value}>"
