"""Admin pages: staff accounts, partner academies and their agreements, the worker's
health, integrations, coordinator invitations."""

from __future__ import annotations

from webinars.web.admin import (  # noqa: F401 - routes register on bp
    accounts,
    agreements,
    certificates,
    closures,
    cooperation,
    integrations,
    invitations,
)
from webinars.web.admin.blueprint import bp

__all__ = ["bp"]
