"""Admins invite coordinators by email instead of typing a password for them."""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_babel import get_locale, lazy_pgettext
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from wtforms import EmailField, SelectField, StringField
from wtforms.validators import DataRequired, Email, Length

from webinars.domain.accounts.staff import StaffRuleError
from webinars.domain.partners.invitations import (
    invite_coordinator,
    recent_invitations,
    revoke_invitation,
)
from webinars.domain.sessions.timezones import all_zones
from webinars.extensions import db
from webinars.i18n import LANGUAGE_NAMES
from webinars.models import CoordinatorInvitation, PartnerAcademy, utcnow
from webinars.web.admin.blueprint import bp
from webinars.web.admin.forms import ConfirmForm, _zone
from webinars.web.bounds import IdSelectField
from webinars.web.roles import admin_required
from webinars.web.translated_forms import TranslatedForm

STATE_LABELS = {
    "open": _l("Waiting for the invitee"),
    "accepted": _l("Accepted"),
    "revoked": _l("Revoked"),
    "expired": _l("Expired"),
}


class InvitationForm(TranslatedForm):
    name = StringField(
        lazy_pgettext("person", "Name"), validators=[DataRequired(), Length(max=200)]
    )
    email = EmailField(_l("Email"), validators=[DataRequired(), Email(), Length(max=254)])
    academy_id = IdSelectField(_l("Partner academy"))
    locale = SelectField(_l("Language of the email"), choices=list(LANGUAGE_NAMES.items()))
    time_zone = SelectField(
        _l("Time zone"), validate_choice=False, validators=[DataRequired(), _zone]
    )


def _form() -> InvitationForm:
    form = InvitationForm()
    academies = db.session.execute(
        db.select(PartnerAcademy)
        .where(PartnerAcademy.archived_at.is_(None))
        .order_by(PartnerAcademy.name_en)
    ).scalars()
    form.academy_id.choices = [(a.id, a.name_in(str(get_locale()))) for a in academies]
    form.time_zone.choices = all_zones()
    return form


@bp.route("/invitations", methods=["GET", "POST"])
@admin_required
def invitations():
    """Invite a coordinator; the latest invitations and their state."""
    form = _form()
    if not form.is_submitted():
        form.time_zone.data = "Asia/Samarkand"
    if form.validate_on_submit():
        try:
            invitation = invite_coordinator(
                email=form.email.data,
                name=form.name.data,
                academy_id=form.academy_id.data,
                locale=form.locale.data,
                time_zone=form.time_zone.data,
                invited_by=current_user,
            )
        except StaffRuleError as exc:
            for name, message in exc.errors.items():
                getattr(form, name).errors.append(message)
        else:
            db.session.commit()
            flash(
                _("The invitation is on its way to %(email)s.", email=invitation.email), "success"
            )
            return redirect(url_for("admin.invitations"))
    return render_template(
        "admin/invitations.html",
        form=form,
        invitations=recent_invitations(),
        state_labels=STATE_LABELS,
        now=utcnow(),
        confirm=ConfirmForm(),
    )


@bp.post("/invitations/<int:invitation_id>/revoke")
@admin_required
def invitation_revoke(invitation_id: int):
    """The invitation's link stops working."""
    invitation = db.get_or_404(CoordinatorInvitation, invitation_id)
    if ConfirmForm().validate_on_submit():
        revoke_invitation(invitation)
        db.session.commit()
        flash(_("The invitation to %(email)s is revoked.", email=invitation.email), "success")
    return redirect(url_for("admin.invitations"))
