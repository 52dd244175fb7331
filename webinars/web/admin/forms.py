"""Forms for admins: staff accounts and partner academies."""

from __future__ import annotations

from datetime import time

from flask_babel import lazy_gettext as _l
from flask_babel import lazy_pgettext
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    EmailField,
    PasswordField,
    SelectField,
    StringField,
    TextAreaField,
    TimeField,
)
from wtforms.validators import (
    URL,
    DataRequired,
    Email,
    InputRequired,
    Length,
    Optional,
    ValidationError,
)
from wtforms.widgets import CheckboxInput, ListWidget

from webinars.domain.sessions.timezones import is_valid_zone
from webinars.i18n import INSTRUCTION_LANGUAGES
from webinars.models import Role
from webinars.web.bounds import IdSelectField, IdSelectMultipleField, row_id
from webinars.web.translated_forms import TranslatedForm

ROLE_LABELS = {
    Role.ADMIN.value: lazy_pgettext("role", "Admin"),
    Role.LECTURER.value: _l("Lecturer"),
    Role.COORDINATOR.value: _l("Partner coordinator"),
}


WEEKDAYS = {
    1: _l("Monday"),
    2: _l("Tuesday"),
    3: _l("Wednesday"),
    4: _l("Thursday"),
    5: _l("Friday"),
    6: _l("Saturday"),
    7: _l("Sunday"),
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


class UserForm(TranslatedForm):
    name = StringField(
        lazy_pgettext("person", "Name"), validators=[DataRequired(), Length(max=200)]
    )
    email = EmailField(_l("Email"), validators=[DataRequired(), Email(), Length(max=254)])
    role = SelectField(_l("Role"), choices=list(ROLE_LABELS.items()), default=Role.LECTURER.value)
    academy_id = IdSelectField(_l("Partner academy (coordinators)"), default=0)
    time_zone = SelectField(
        _l("Time zone"),
        validate_choice=False,
        validators=[_zone_or_default],
        render_kw={"data-searchable": ""},
    )
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


class AcademyForm(TranslatedForm):
    name_en = StringField(_l("Name in English"), validators=[DataRequired(), Length(max=200)])
    name_ru = StringField(_l("Name in Russian"), validators=[Optional(), Length(max=200)])
    name_uz = StringField(_l("Name in Uzbek"), validators=[Optional(), Length(max=200)])
    country = StringField(
        _l("Country (two-letter code, e.g. RU, KZ, UZ)"),
        validators=[DataRequired(), Length(2, 2, message=_l("Use the two-letter country code."))],
    )
    city = StringField(_l("City"), validators=[DataRequired(), Length(max=100)])
    city_ru = StringField(_l("City in Russian"), validators=[Optional(), Length(max=100)])
    city_uz = StringField(_l("City in Uzbek"), validators=[Optional(), Length(max=100)])
    time_zone = SelectField(
        _l("Time zone"),
        validate_choice=False,
        validators=[DataRequired(), _zone],
        render_kw={"data-searchable": ""},
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
    work_days = IdSelectMultipleField(
        _l("Working days"),
        choices=[(n, name) for n, name in WEEKDAYS.items()],
        widget=ListWidget(prefix_label=False),
        option_widget=CheckboxInput(),
        default=[1, 2, 3, 4, 5],
        validators=[InputRequired(message=_l("Choose at least one working day."))],
    )
    work_starts = TimeField(
        _l("Work starts (academy's local time)"),
        default=time(9),
        validators=[InputRequired(message=_l("Enter when work starts, e.g. 09:00."))],
    )
    work_ends = TimeField(
        _l("Work ends"),
        default=time(18),
        validators=[InputRequired(message=_l("Enter when work ends, e.g. 18:00."))],
    )
    lunch_starts = TimeField(_l("Lunch break from (optional)"), validators=[Optional()])
    lunch_ends = TimeField(_l("Lunch break until"), validators=[Optional()])

    def validate_work_ends(self, field: TimeField) -> None:
        if self.work_starts.data and field.data and field.data <= self.work_starts.data:
            raise ValidationError(_l("Work must end after it starts."))

    def validate(self, extra_validators=None) -> bool:
        """The fields, then the lunch break as a pair (Optional() ends an empty field's
        own checks, so a half-given break is caught here)."""
        valid = super().validate(extra_validators)
        first, last = self.lunch_starts.data, self.lunch_ends.data
        if self.lunch_starts.errors or self.lunch_ends.errors:
            return False
        message = None
        if (first is None) != (last is None):
            message = _l("Give both ends of the lunch break, or neither.")
        elif first is not None and self.work_starts.data and self.work_ends.data:
            if not self.work_starts.data <= first < last <= self.work_ends.data:
                message = _l("The lunch break must lie inside working hours.")
        if message:
            self.lunch_ends.errors = [*self.lunch_ends.errors, message]
            return False
        return valid


class ClosureForm(TranslatedForm):
    """A one-off closure: whole days of an academy or the home department."""

    academy_id = SelectField(_l("Closed"), coerce=row_id, default=0)
    starts_on = DateField(
        _l("First day"), validators=[InputRequired(message=_l("Enter the first closed day."))]
    )
    ends_on = DateField(
        _l("Last day"), validators=[InputRequired(message=_l("Enter the last closed day."))]
    )
    note = StringField(
        _l("Note (shown on the find-a-time grid)"),
        validators=[
            DataRequired(message=_l("Say why, e.g. “Exam week”.")),
            Length(max=300),
        ],
    )

    def validate_ends_on(self, field: DateField) -> None:
        if self.starts_on.data and field.data:
            if field.data < self.starts_on.data:
                raise ValidationError(_l("The last day cannot be before the first."))
            if (field.data - self.starts_on.data).days > 366:
                raise ValidationError(_l("A closure lasts at most a year."))


class ConfirmForm(TranslatedForm):
    """An empty form: only its CSRF token matters (archive, restore)."""
