"""Sign-in, sign-out, the language switcher and one's own account."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import (
    Blueprint,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import get_locale, lazy_pgettext
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required, login_user, logout_user
from wtforms import BooleanField, EmailField, PasswordField, SelectField, StringField
from wtforms.validators import DataRequired, Email, EqualTo, Length, Optional, ValidationError

from webinars.domain.accounts.sign_in import authenticate
from webinars.domain.sessions.timezones import is_valid_zone
from webinars.extensions import db, limiter
from webinars.i18n import LANGUAGE_NAMES
from webinars.web.choices import zone_choices
from webinars.web.translated_forms import TranslatedForm

bp = Blueprint("auth", __name__)


class LoginForm(TranslatedForm):
    email = EmailField(_l("Email"), validators=[DataRequired(), Email(), Length(max=254)])
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(max=200)])


class AccountForm(TranslatedForm):
    name = StringField(
        lazy_pgettext("person", "Name"), validators=[DataRequired(), Length(max=200)]
    )
    time_zone = SelectField(
        _l("Your time zone"),
        validate_choice=False,
        validators=[DataRequired()],
        render_kw={"data-searchable": ""},
    )
    locale = SelectField(_l("Language"), choices=list(LANGUAGE_NAMES.items()))
    # Coordinators only (the page shows it to them).
    academy_session_emails = BooleanField(
        _l(
            "Email me, with a calendar invitation, when a session of my academy is "
            "scheduled, moved, gets a new link or is cancelled"
        )
    )
    new_password = PasswordField(_l("New password"), validators=[Optional(), Length(8, 200)])
    confirm = PasswordField(
        _l("Repeat the new password"),
        validators=[EqualTo("new_password", message=_l("The passwords do not match."))],
    )

    def validate_time_zone(self, field: SelectField) -> None:
        if not is_valid_zone(field.data):
            raise ValidationError(_l("Choose a time zone from the list."))


def _safe_next(target: str | None) -> str | None:
    """Only same-site paths: a sign-in link must not send people elsewhere."""
    if not target:
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return None
    return target


def _login_rate_key() -> str:
    return f"{request.remote_addr}|{(request.form.get('email') or '').strip().lower()}"


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(
    lambda: current_app.config["LOGIN_RATE_LIMIT"], methods=["POST"], key_func=_login_rate_key
)
@limiter.limit(lambda: current_app.config["LOGIN_ADDRESS_RATE_LIMIT"], methods=["POST"])
def login():
    """Sign in with email and password."""
    if current_user.is_authenticated:
        return redirect(url_for("manage.dashboard"))
    form = LoginForm()
    if form.validate_on_submit():
        user = authenticate(form.email.data, form.password.data)
        if user is not None:
            session.clear()
            login_user(user)
            return redirect(_safe_next(request.args.get("next")) or url_for("manage.dashboard"))
        flash(_("The email or password is not right."), "danger")
    return render_template("auth/login.html", form=form)


@bp.post("/logout")
@login_required
def logout():
    """Sign out (POST, so a link cannot sign anyone out)."""
    logout_user()
    return redirect(url_for("public.index"))


@bp.post("/language")
def set_language():
    """Remember the chosen language: in the account when signed in, else in this browser."""
    lang = request.form.get("lang", "")
    if lang in current_app.config["LANGUAGES"]:
        session["lang"] = lang
        if current_user.is_authenticated:
            current_user.locale = lang
            db.session.commit()
    return redirect(_safe_next(request.form.get("next")) or url_for("public.index"))


@bp.route("/account", methods=["GET", "POST"])
@login_required
def account():
    """One's own name, time zone, language and password."""
    form = AccountForm(obj=current_user)
    form.time_zone.choices = zone_choices(current_user.time_zone)
    if not form.is_submitted() and not current_user.locale:
        # No language chosen yet: the page follows the browser, and so does the form, so
        # that saving (say, a new password) does not switch the reader to English.
        form.locale.data = str(get_locale())
    if form.validate_on_submit():
        current_user.name = form.name.data.strip()
        current_user.time_zone = form.time_zone.data
        current_user.locale = form.locale.data
        if current_user.is_coordinator:
            current_user.academy_session_emails = form.academy_session_emails.data
        if form.new_password.data:
            current_user.set_password(form.new_password.data)
        db.session.commit()
        flash(_("Your account is saved."), "success")
        return redirect(url_for("auth.account"))
    return render_template("auth/account.html", form=form)
