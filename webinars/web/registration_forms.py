"""Forms of student registration (public) and of the registrants' page (lecturers)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    DateField,
    EmailField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import (
    DataRequired,
    Email,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    ValidationError,
)

from webinars.domain.registration.register import Closed, RegistrationInput
from webinars.extensions import db
from webinars.i18n import LANGUAGE_NAMES
from webinars.models import PartnerAcademy
from webinars.models.academy import localized_name
from webinars.web.bounds import BoundedIntegerField, IdSelectField, row_id
from webinars.web.plain_select import PlainSelect
from webinars.web.translated_forms import TranslatedForm

# Why a session takes no registrations, in words (the form, the manage page).
CLOSED_MESSAGES = {
    Closed.UNKNOWN: _l("This session does not exist or is not open to the public."),
    Closed.CANCELLED: _l("This session is cancelled: it takes no registrations."),
    Closed.NOT_OPEN_YET: _l("Registration for this session has not opened yet."),
    Closed.CLOSED: _l("Registration for this session is closed."),
    Closed.STARTED: _l("This session has already started: registration is closed."),
}

OTHER_ACADEMY = -1
NOT_AN_ACADEMY = -2  # what was sent is no id at all (a tampered or broken form)
NO_ACADEMY_CHOSEN = _l("Choose your academy, or “Another institution”.")


def _academy_number(value: object) -> int | None:
    """The academy field's value as an id (None: nothing chosen); anything else, an id past
    the range included, becomes NOT_AN_ACADEMY, so the person reads the field's own
    message rather than WTForms' "could not coerce" and no query sees the number."""
    if value is None or value == "":
        return None
    if value == OTHER_ACADEMY or value == str(OTHER_ACADEMY):
        return OTHER_ACADEMY
    try:
        return row_id(value)
    except ValueError:
        return NOT_AN_ACADEMY


def academy_choices(locale: str) -> list[tuple[int | str, str]]:
    """A placeholder with an empty value (so that a browser's `required` check and
    assistive technology know nothing is chosen yet), the partner academies (not
    archived), then “another institution”."""
    names = db.session.execute(
        db.select(
            PartnerAcademy.id,
            PartnerAcademy.name_en,
            PartnerAcademy.name_ru,
            PartnerAcademy.name_uz,
        ).where(PartnerAcademy.archived_at.is_(None))
    )
    # Names only (no whole objects): this runs on every registration the form takes.
    named = sorted(
        ((id_, localized_name(locale, en, ru, uz)) for id_, en, ru, uz in names),
        key=lambda choice: choice[1],
    )
    return [("", _l("Choose…")), *named, (OTHER_ACADEMY, _l("Another institution"))]


class PersonForm(TranslatedForm):
    """Who the person is: shared by the public form and a lecturer's “add by hand”."""

    full_name = StringField(
        _l("Full name"),
        validators=[
            DataRequired(message=_l("Enter your full name.")),
            Length(max=200, message=_l("Use at most 200 characters.")),
        ],
    )
    email = EmailField(
        _l("Email"),
        validators=[
            DataRequired(message=_l("Enter your email address.")),
            Length(max=254, message=_l("Use at most 254 characters.")),
            Email(
                message=_l("This does not look like an email address, e.g. name@example.org."),
                check_deliverability=False,
            ),
        ],
    )
    # The choice is checked by domain.registration.register, in the read it makes anyway
    # under the seat lock: the public form then costs no query of its own when it succeeds.
    academy_id = SelectField(
        _l("Academy"),
        coerce=_academy_number,
        validate_choice=False,
        validators=[InputRequired(message=NO_ACADEMY_CHOSEN)],
        widget=PlainSelect(),
    )
    academy_other = StringField(
        _l("Name of your institution"),
        validators=[Length(max=200, message=_l("Use at most 200 characters."))],
    )
    programme = StringField(
        _l("Programme (optional)"),
        validators=[Optional(), Length(max=200, message=_l("Use at most 200 characters."))],
    )
    year_of_study = BoundedIntegerField(
        _l("Year of study (optional)"),
        validators=[Optional(), NumberRange(1, 10, message=_l("A number from 1 to 10."))],
    )
    locale = SelectField(
        _l("Language for emails"), choices=list(LANGUAGE_NAMES.items()), widget=PlainSelect()
    )

    def validate_academy_id(self, field: SelectField) -> None:
        if field.data in (None, 0):  # 0: the placeholder's value before it was empty
            raise ValidationError(NO_ACADEMY_CHOSEN)
        if field.data < OTHER_ACADEMY:
            raise ValidationError(_l("Choose one of the academies in the list."))

    def validate_academy_other(self, field: StringField) -> None:
        if self.academy_id.data == OTHER_ACADEMY and not (field.data or "").strip():
            raise ValidationError(_l("Enter the name of your institution."))

    def to_input(self) -> RegistrationInput:
        """The typed values as the domain's input."""
        other = self.academy_id.data == OTHER_ACADEMY
        return RegistrationInput(
            full_name=self.full_name.data,
            email=self.email.data,
            locale=self.locale.data,
            academy_id=None if other else self.academy_id.data,
            academy_other=self.academy_other.data if other else None,
            programme=self.programme.data,
            year_of_study=self.year_of_study.data,
        )


class StaffPersonForm(PersonForm):
    """A person a lecturer adds by hand: the same fields, worded about that person rather
    than to them (the page's reader is the lecturer)."""

    academy_other = StringField(
        _l("Name of their institution"),
        validators=[Length(max=200, message=_l("Use at most 200 characters."))],
    )

    def validate_academy_other(self, field: StringField) -> None:
        if self.academy_id.data == OTHER_ACADEMY and not (field.data or "").strip():
            raise ValidationError(_l("Enter the name of their institution."))


class RegistrationForm(PersonForm):
    """The public registration form: consent required, plus a field only robots fill."""

    consent = BooleanField(
        _l("I agree that my name, email and studies are processed to run this session."),
        validators=[DataRequired(message=_l("Registration needs your consent."))],
    )
    # Hidden from people by CSS; a robot that fills it is answered as if it had registered.
    website = StringField(_l("Leave this field empty"))

    def to_input(self) -> RegistrationInput:
        data = super().to_input()
        data.consent = bool(self.consent.data)
        return data


class CapacityForm(TranslatedForm):
    """Raise or lower the seats of a session."""

    capacity = BoundedIntegerField(
        _l("Seats"),
        validators=[
            InputRequired(message=_l("Enter the number of seats.")),
            NumberRange(1, 100000, message=_l("Between 1 and 100000 seats.")),
        ],
    )
    demote = BooleanField(_l("If needed, move the most recently seated back to the waiting list"))


class MessageForm(TranslatedForm):
    """A message to everyone registered (seats and waiting list)."""

    subject = StringField(
        _l("Subject"),
        validators=[
            DataRequired(message=_l("Enter a subject.")),
            Length(max=200, message=_l("Use at most 200 characters.")),
        ],
    )
    body = TextAreaField(
        _l("Message"),
        validators=[
            DataRequired(message=_l("Write the message.")),
            Length(max=5000, message=_l("Use at most 5000 characters.")),
        ],
    )


class CatalogFilterForm(TranslatedForm):
    """The catalogue's filters (GET, no CSRF: they change nothing)."""

    class Meta:
        csrf = False

    kind = SelectField(_l("Kind"), validators=[Optional()])
    language = SelectField(_l("Language"), validators=[Optional()])
    academy = IdSelectField(_l("Academy"), validators=[Optional()], default=0)
    date_from = DateField(_l("From"), validators=[Optional()])
    date_to = DateField(_l("Until"), validators=[Optional()])
    # Hundreds of pages at university scale: a student looks a session up by its title.
    q = StringField(_l("Words in the title"), validators=[Optional(), Length(max=200)])


class RegistrantFilterForm(TranslatedForm):
    """Search and filters of the registrants list (GET, no CSRF: it changes nothing)."""

    class Meta:
        csrf = False

    q = StringField(_l("Name or email"), validators=[Optional(), Length(max=254)])
    status = SelectField(_l("Status"), validators=[Optional()], default="")
    academy = IdSelectField(_l("Academy"), validators=[Optional()], default=0)
