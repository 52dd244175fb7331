"""The partner side: coordinators' invitations, lecture requests, nominations, dashboard."""

from __future__ import annotations

from webinars.web.partners import (  # noqa: F401 - routes register on bp
    dashboard,
    invitation,
    quotas,
    requests,
)
from webinars.web.partners.blueprint import bp

__all__ = ["bp"]
