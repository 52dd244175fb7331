"""The invitation link: a new coordinator chooses their password (once, before expiry)."""

from __future__ import annotations

from flask import flash, redirect, render_template, session, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_user
from wtforms import PasswordField
from wtforms.validators import DataRequired, EqualTo, Length

from webinars.domain.accounts.staff import StaffRuleError
from webinars.domain.partners.invitations import (
    InvitationUnusableError,
    accept_invitation,
    find_invitation,
)
from webinars.extensions import db, limiter
from webinars.models import utcnow
from webinars.web import path_secrets
from webinars.web.link_limits import per_link, setting
from webinars.web.partners.blueprint import bp
from webinars.web.translated_forms import TranslatedForm

# Invitation links carry their secret in the path: logs keep only its first characters.
_INVITATION_TOKEN = path_secrets.secret_after("invitation")


class InvitationTokenFilter(path_secrets.SecretPathFilter):
    """Masks invitation tokens in log records (access logs print every path)."""

    def mask(self, text: str) -> str:
        """`text` with its invitation tokens masked."""
        return path_secrets.mask_secrets(text, _INVITATION_TOKEN)


@bp.record_once
def _mask_logs(state) -> None:
    path_secrets.install(state.app, InvitationTokenFilter())


class ChoosePasswordForm(TranslatedForm):
    password = PasswordField(
        _l("Choose a password (8 characters or more)"), validators=[DataRequired(), Length(8, 200)]
    )
    confirm = PasswordField(
        _l("Repeat the password"),
        validators=[DataRequired(), EqualTo("password", message=_l("The passwords do not match."))],
    )


UNUSABLE = {
    "accepted": _l("This invitation has already been used. Sign in with your email and password."),
    "revoked": _l("This invitation was withdrawn. Ask the department for a new one."),
    "expired": _l("This invitation has expired. Ask the department for a new one."),
}


@bp.route("/invitation/<token>", methods=["GET", "POST"])
@limiter.limit(setting("INVITATION_RATE_LIMIT"), methods=["POST"], key_func=per_link)
def invitation(token: str):
    """Choose a password and get a coordinator's account; the link then stops working."""
    found = find_invitation(token)
    if found is None:
        return render_template("partners/invitation_unusable.html", message=None), 404
    state = found.state(utcnow())
    if state != "open":
        return render_template("partners/invitation_unusable.html", message=UNUSABLE[state]), 410
    form = ChoosePasswordForm()
    if form.validate_on_submit():
        try:
            user = accept_invitation(found, form.password.data)
        except InvitationUnusableError as exc:
            db.session.rollback()
            message = UNUSABLE[exc.state]
            return render_template("partners/invitation_unusable.html", message=message), 410
        except StaffRuleError as exc:
            db.session.rollback()
            form.password.errors.extend(exc.errors.values())
        else:
            db.session.commit()
            if current_user.is_authenticated:
                session.clear()
            login_user(user)
            flash(_("Welcome! Your account is ready."), "success")
            return redirect(url_for("manage.dashboard"))
    return render_template("partners/invitation.html", form=form, invitation=found)
