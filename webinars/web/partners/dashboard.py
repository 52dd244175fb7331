"""The coordinator's dashboard: their academy's sessions, students, requests, agreements."""

from __future__ import annotations

from flask import render_template
from flask_login import current_user

from webinars.domain.partners.dashboard import academy_overview
from webinars.i18n import places_for
from webinars.web.agreement_labels import KIND_LABELS, STANDING_LABELS
from webinars.web.partners.blueprint import bp
from webinars.web.roles import coordinator_required


@bp.get("/partners/academy")
@coordinator_required
def dashboard():
    """Our academy at a glance, times in the coordinator's own zone first (its cities
    named in the page's language, as on every other page)."""
    overview = academy_overview(current_user.academy_id)
    places = {line.session.id: places_for(line.session) for line in overview.upcoming}
    return render_template(
        "partners/dashboard.html",
        overview=overview,
        places=places,
        academy=current_user.academy,
        kind_labels=KIND_LABELS,
        standing_labels=STANDING_LABELS,
    )
