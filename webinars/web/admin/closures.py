"""Admin pages: one-off closures of an academy or the home department."""

from __future__ import annotations

from datetime import timedelta

from flask import current_app, flash, redirect, render_template, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user

from webinars.domain.sessions.closures import add_closure, closures_from, remove_closure
from webinars.domain.sessions.places import home_name
from webinars.extensions import db
from webinars.models import Closure, PartnerAcademy, utcnow
from webinars.web.admin.blueprint import bp
from webinars.web.admin.forms import ClosureForm, ConfirmForm
from webinars.web.roles import admin_required


def _place_choices() -> list[tuple[int, str]]:
    """The home department (0) and the academies not archived."""
    locale = str(get_locale())
    academies = db.session.execute(
        db.select(PartnerAcademy)
        .where(PartnerAcademy.archived_at.is_(None))
        .order_by(PartnerAcademy.name_en)
    ).scalars()
    home = home_name(current_app.config, locale)
    return [(0, home), *((a.id, f"{a.name_in(locale)} ({a.city_in(locale)})") for a in academies)]


@bp.route("/closures", methods=["GET", "POST"])
@admin_required
def closures():
    """Closures from a month ago on, and a form to add one."""
    form = ClosureForm()
    form.academy_id.choices = _place_choices()
    if form.validate_on_submit():
        add_closure(
            form.academy_id.data or None,
            form.starts_on.data,
            form.ends_on.data,
            form.note.data,
            current_user,
        )
        db.session.commit()
        flash(_("The closure is saved."), "success")
        return redirect(url_for("admin.closures"))
    rows = closures_from(utcnow().date() - timedelta(days=30))
    return render_template(
        "admin/closures.html",
        form=form,
        closures=rows,
        confirm=ConfirmForm(),
    )


@bp.post("/closures/<int:closure_id>/delete")
@admin_required
def closure_delete(closure_id: int):
    """Take a closure back."""
    closure = db.get_or_404(Closure, closure_id)
    if ConfirmForm().validate_on_submit():
        remove_closure(closure)
        db.session.commit()
        flash(_("The closure is removed."), "success")
    return redirect(url_for("admin.closures"))
