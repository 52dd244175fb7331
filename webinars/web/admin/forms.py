"""Forms for admins: staff accounts and partner academies."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_babel import lazy_pgettext
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, PasswordField, SelectField, StringField, TextAreaField
from wtforms.validators import URL, DataRequired, Email, Length, Optional, ValidationError

from webinars.domain.sessions.timezones import is_valid_zone
from webinars.i18n import INSTRUCTION_LANGUAGES
from webinars.models import Role

ROLE_LABELS = {
    Role.ADMIN.value: lazy_pgettext("role", "Admin"),
    Role.LECTURER.value: _l("Lecturer"),
    Role.COORDINATOR.value: _l("Partner coordinator"),
}


def _zone(form: FlaskForm, field: SelectField) -> None:
    if not is_valid_zone(field.data):
        raise ValidationError(_l("Choose a time zone from the list."))


def _zone_or_default(form: FlaskForm, field: SelectField) -> None:
    """An account's zone may be left to its default (empty): the domain picks it."""
    if field.data:
        _zone(form, field)


ACCOUNT_ZONE_DEFAULT = _l("Default: the academy's zone for a coordinator, else the department's")
PASSWORD_RULE = _l("Use 8 characters or more.")


class UserForm(FlaskForm):
    name = StringField(
        lazy_pgettext("person", "Name"), validators=[DataRequired(), Length(max=200)]
    )
    email = EmailField(_l("Email"), validators=[DataRequired(), Email(), Length(max=254)])
    role = SelectField(_l("Role"), choices=list(ROLE_LABELS.items()), default=Role.LECTURER.value)
    academy_id = SelectField(_l("Partner academy (coordinators)"), coerce=int, default=0)
    time_zone = SelectField(_l("Time zone"), validate_choice=False, validators=[_zone_or_default])
    active = BooleanField(
        _l("Active (may sign in)"),
        default=True,
        description=_l(
            "Deactivating an account signs it out and revokes every private calendar "
            "address it made: calendars that use them stop updating. Making the account "
            "active again does not bring them back."
        ),
    )
    password = PasswordField(
        _l("Password (leave empty to keep it)"),
        description=PASSWORD_RULE,
        validators=[Optional(), Length(8, 200, message=PASSWORD_RULE)],
    )


class AcademyForm(FlaskForm):
    name_en = StringField(_l("Name in English"), validators=[DataRequired(), Length(max=200)])
    name_ru = StringField(_l("Name in Russian"), validators=[Optional(), Length(max=200)])
    name_uz = StringField(_l("Name in Uzbek"), validators=[Optional(), Length(max=200)])
    country = StringField(
        _l("Country (two-letter code, e.g. RU, KZ, UZ)"),
        validators=[DataRequired(), Length(2, 2, message=_l("Use the two-letter country code."))],
    )
    city = StringField(_l("City"), validators=[DataRequired(), Length(max=100)])
    time_zone = SelectField(
        _l("Time zone"), validate_choice=False, validators=[DataRequired(), _zone]
    )
    language = SelectField(_l("Main language"), choices=list(INSTRUCTION_LANGUAGES.items()))
    website = StringField(
        _l("Website"),
        validators=[
            Optional(),
            Length(max=300),
            URL(message=_l("Enter a full address (https://...).")),
        ],
    )
    contact_name = StringField(_l("Contact person"), validators=[Optional(), Length(max=200)])
    contact_email = EmailField(
        _l("Contact email"), validators=[Optional(), Email(), Length(max=254)]
    )
    notes = TextAreaField(_l("Notes"), validators=[Optional(), Length(max=5000)])


class ConfirmForm(FlaskForm):
    """An empty form: only its CSRF token matters (archive, restore)."""
