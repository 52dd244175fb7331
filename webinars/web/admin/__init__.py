"""Admin pages: staff accounts, partner academies, the worker's health, integrations."""

from __future__ import annotations

from webinars.web.admin import (  # noqa: F401 - routes register on bp
    accounts,
    integrations,
    invitations,
)
from webinars.web.admin.blueprint import bp

__all__ = ["bp"]
