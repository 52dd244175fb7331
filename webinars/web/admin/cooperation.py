"""Admin page: what the public International cooperation page shows."""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import BooleanField
from wtforms.validators import InputRequired, NumberRange

from webinars.domain.reports.public import page_settings, public_partners
from webinars.extensions import db
from webinars.web.admin.blueprint import bp
from webinars.web.bounds import BoundedIntegerField
from webinars.web.roles import admin_required
from webinars.web.translated_forms import TranslatedForm


class CooperationPageForm(TranslatedForm):
    show_sessions = BooleanField(_l("Show the number of sessions per year"))
    show_partner_count = BooleanField(_l("Show the number of partner academies per year"))
    show_students = BooleanField(_l("Show the number of students reached per year"))
    show_lecturers_abroad = BooleanField(
        _l("Show the number of lecturers who taught partners' students per year")
    )
    count_partners_only = BooleanField(
        _l("Count partners-only sessions in the figures"),
        description=_l("They are never listed on the public page, only counted."),
    )
    years_shown = BoundedIntegerField(
        _l("Years shown"), validators=[InputRequired(), NumberRange(1, 10)], default=4
    )


@bp.route("/cooperation", methods=["GET", "POST"])
@admin_required
def cooperation():
    """Choose the public page's figures; partners are chosen on their agreements."""
    settings = page_settings()
    form = CooperationPageForm(obj=settings)
    if form.validate_on_submit():
        form.populate_obj(settings)
        db.session.merge(settings)
        db.session.commit()
        flash(_("The public page is updated."), "success")
        return redirect(url_for("admin.cooperation"))
    return render_template("admin/cooperation.html", form=form, partners=public_partners())
