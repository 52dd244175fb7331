"""The partner side: coordinators' invitations, lecture requests, nominations, dashboard."""

from __future__ import annotations

from webinars.web.partners import invitation, requests  # noqa: F401 - routes register on bp
from webinars.web.partners.blueprint import bp

__all__ = ["bp"]
