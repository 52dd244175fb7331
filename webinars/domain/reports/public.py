"""The public "International cooperation" page: only what is true and meant to be seen.

Partners appear when they have an agreement marked public (in force or not yet expired,
academy not archived). Figures come from the report, for public sessions only unless the
admins allow partners-only sessions to be counted; those are never listed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import or_
from sqlalchemy.orm import selectinload

from webinars.domain.reports.cache import cached_figures
from webinars.domain.reports.periods import Period, current_period
from webinars.domain.sessions.access import public_sessions
from webinars.extensions import db
from webinars.models import (
    Agreement,
    CooperationPageSettings,
    PartnerAcademy,
    Session,
    SessionStatus,
    utcnow,
)

RECENT_DAYS = 180
LISTED = 6


def page_settings() -> CooperationPageSettings:
    """The admins' choices (defaults until they first save)."""
    settings = db.session.get(CooperationPageSettings, 1)
    return settings or CooperationPageSettings(
        id=1,
        show_sessions=True,
        show_partner_count=True,
        show_students=True,
        show_lecturers_abroad=True,
        count_partners_only=False,
        years_shown=4,
    )


def public_partners() -> list[PartnerAcademy]:
    """Academies with a public agreement that has not expired, by country then name."""
    today = utcnow().date()
    return list(
        db.session.execute(
            db.select(PartnerAcademy)
            .where(
                PartnerAcademy.archived_at.is_(None),
                PartnerAcademy.id.in_(
                    db.select(Agreement.academy_id).where(
                        Agreement.is_public.is_(True),
                        or_(Agreement.expires_on.is_(None), Agreement.expires_on >= today),
                    )
                ),
            )
            .order_by(PartnerAcademy.country, PartnerAcademy.name_en)
        ).scalars()
    )


@dataclass
class YearFigures:
    period: Period
    sessions: int
    partners: int
    students: int
    lecturers_abroad: int


def yearly_figures(settings: CooperationPageSettings) -> list[YearFigures]:
    """The last years' figures, newest first (each from the report's cache)."""
    newest = current_period()
    years = []
    for back in range(max(settings.years_shown, 1)):
        period = Period(newest.kind, newest.year - back)
        figures = cached_figures(period, public_only=not settings.count_partners_only)
        years.append(
            YearFigures(
                period,
                sessions=figures.total["sessions"],
                partners=len(figures.rows.get("academy", {})),
                students=figures.total["registered"],
                lecturers_abroad=figures.row("abroad")["lecturers"],
            )
        )
    return years


def recent_and_upcoming() -> tuple[list[Session], list[Session]]:
    """Public sessions of the last months (newest first) and the next ones."""
    now = utcnow()
    base = (
        public_sessions()
        .where(Session.status == SessionStatus.SCHEDULED)
        .options(selectinload(Session.academies))
    )
    recent = db.session.execute(
        base.where(Session.ends_at <= now, Session.starts_at >= now - timedelta(days=RECENT_DAYS))
        .order_by(Session.starts_at.desc())
        .limit(LISTED)
    ).scalars()
    upcoming = db.session.execute(
        base.where(Session.ends_at > now).order_by(Session.starts_at).limit(LISTED)
    ).scalars()
    return list(recent), list(upcoming)
