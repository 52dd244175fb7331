"""The public "International cooperation" page: generated from the records, no sign-in."""

from __future__ import annotations

from itertools import groupby

from flask import Blueprint, render_template

from webinars.domain.reports.public import (
    page_settings,
    public_partners,
    recent_and_upcoming,
    yearly_figures,
)
from webinars.web.country_names import country_name

bp = Blueprint("cooperation", __name__)


@bp.get("/cooperation")
def index():
    """Partners by country, figures per year, recent and upcoming public sessions."""
    settings = page_settings()
    partners = [
        (country_name(country), list(academies))
        for country, academies in groupby(public_partners(), key=lambda a: a.country)
    ]
    partners.sort(key=lambda pair: pair[0])
    recent, upcoming = recent_and_upcoming()
    return render_template(
        "cooperation/index.html",
        settings=settings,
        partners=partners,
        partner_total=sum(len(group) for _, group in partners),
        years=yearly_figures(settings),
        recent=recent,
        upcoming=upcoming,
    )
