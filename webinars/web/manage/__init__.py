"""Staff pages: dashboard, schedule, and a session's life (create, edit, move, cancel)."""

from __future__ import annotations

from webinars.web.manage import (  # noqa: F401 - routes register on bp
    find_time,
    meeting,
    schedule,
    sessions,
)
from webinars.web.manage.blueprint import bp

__all__ = ["bp"]
