"""The cooperation report at /reports/: tables, drill-down, exports and charts."""

from __future__ import annotations

from webinars.web.reports import exports, pages  # noqa: F401 - routes register on bp
from webinars.web.reports.blueprint import bp

__all__ = ["bp"]
