"""Forms for scheduling sessions."""

from __future__ import annotations

from enum import Enum
from typing import TypeVar

from flask_babel import lazy_gettext as _l
from flask_babel import lazy_pgettext
from wtforms import (
    BooleanField,
    DateField,
    DateTimeLocalField,
    FieldList,
    FormField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
    URLField,
)
from wtforms.validators import (
    URL,
    DataRequired,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    ValidationError,
)

from webinars.domain.sessions.direction import DIRECTION_LABELS
from webinars.domain.sessions.kinds import kind_choices, kind_filter_choices
from webinars.domain.sessions.rules import GuestInput, SessionInput
from webinars.i18n import INSTRUCTION_LANGUAGES
from webinars.models import Conference, Direction, SessionKind, SessionStatus, Visibility
from webinars.web.bounds import BoundedIntegerField, IdSelectField, IdSelectMultipleField
from webinars.web.choices import DATETIME_FORMAT, readable, zone_field
from webinars.web.plain_select import PlainSelect
from webinars.web.translated_forms import TranslatedForm, TranslatedSubform

E = TypeVar("E", bound=Enum)


def _choice(enum: type[E], value: object, fallback: E | None) -> E | None:
    """An enum from a posted choice; an unknown one (its field already says so) reads as
    `fallback`, so the other rules can still be checked in the same submit."""
    try:
        return enum(value)
    except ValueError:
        return fallback


class GuestSpeakerForm(TranslatedSubform):
    """One guest speaker row; an empty name means no speaker."""

    name = StringField(_l("Guest speaker"), validators=[Optional(), Length(max=200)])
    affiliation = StringField(_l("Affiliation"), validators=[Optional(), Length(max=300)])
    academy_id = IdSelectField(_l("From partner academy"), default=0)


class SessionForm(TranslatedForm):
    """Create or edit a session. Times are wall-clock times in the chosen zone."""

    kind = SelectField(_l("Kind"), choices=kind_choices())
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=200)])
    description = TextAreaField(_l("Description"), validators=[Optional(), Length(max=10000)])
    language = SelectField(
        _l("Language of instruction"), choices=list(INSTRUCTION_LANGUAGES.items())
    )
    starts_local = DateTimeLocalField(
        _l("Starts: date and clock time in that time zone"),
        format=DATETIME_FORMAT,
        validators=[InputRequired(message=_l("Enter the date and time the session starts."))],
    )
    time_zone = zone_field(_l("Time zone of the start time"))
    duration_minutes = BoundedIntegerField(
        _l("Duration (minutes)"),
        default=90,
        validators=[
            InputRequired(),
            readable,
            NumberRange(1, 1440, message=_l("Between 1 and 1440 minutes.")),
        ],
    )
    lecturer_ids = IdSelectMultipleField(_l("Lecturers"))
    academy_ids = IdSelectMultipleField(_l("Partner academies"))
    guests = FieldList(FormField(GuestSpeakerForm), min_entries=3, max_entries=10)
    capacity = BoundedIntegerField(
        _l("Capacity (seats)"),
        validators=[
            Optional(),
            readable,
            NumberRange(1, 100000, message=_l("Between 1 and 100000 seats.")),
        ],
    )
    registration_opens = DateTimeLocalField(
        _l("Registration opens"), format=DATETIME_FORMAT, validators=[Optional()]
    )
    registration_closes = DateTimeLocalField(
        _l("Registration closes"), format=DATETIME_FORMAT, validators=[Optional()]
    )
    status = RadioField(
        _l("Status"),
        choices=[
            (SessionStatus.SCHEDULED.value, _l("Scheduled (published)")),
            (SessionStatus.DRAFT.value, _l("Draft (only lecturers and admins see it)")),
        ],
        default=SessionStatus.SCHEDULED.value,
    )
    visibility = RadioField(
        _l("Who may see it"),
        choices=[
            (Visibility.PUBLIC.value, _l("Public")),
            (Visibility.PARTNERS.value, _l("Partner academies only")),
        ],
        default=Visibility.PUBLIC.value,
    )
    conference = RadioField(
        _l("How people join"),
        choices=[
            (Conference.LINK.value, _l("A meeting link (any platform)")),
            (Conference.NONE.value, _l("In person (no link)")),
        ],
        default=Conference.LINK.value,
    )
    join_url = URLField(
        _l("Meeting link"),
        validators=[
            Optional(),
            Length(max=500),
            URL(message=_l("Enter a full link (https://...).")),
        ],
    )
    direction = SelectField(
        _l("Direction"),
        choices=[("", _l("Derived from the speakers"))]
        + [(d.value, label) for d, label in DIRECTION_LABELS.items()],
        default="",
        description=_l(
            "Derived on saving: no guest speaker, outgoing; guest speakers from every "
            "partner academy listed, incoming; guest speakers and also a partner academy "
            "that sent none, joint. Choose one to correct it."
        ),
    )
    confirm_conflicts = BooleanField(_l("Save anyway, despite the overlaps listed above"))

    def to_input(self) -> SessionInput:
        """The typed input the domain expects (also from a form that failed validation:
        unreadable values are None or a default, and their fields carry the message)."""
        return SessionInput(
            kind=_choice(SessionKind, self.kind.data, SessionKind.WEBINAR),
            title=self.title.data or "",
            description=self.description.data or "",
            language=self.language.data,
            starts_local=self.starts_local.data,
            time_zone=self.time_zone.data,
            duration_minutes=self.duration_minutes.data,
            lecturer_ids=list(self.lecturer_ids.data or []),
            academy_ids=list(self.academy_ids.data or []),
            guests=[
                GuestInput(
                    g.form.name.data or "", g.form.affiliation.data, g.form.academy_id.data or None
                )
                for g in self.guests
            ],
            capacity=self.capacity.data,
            registration_opens_local=self.registration_opens.data,
            registration_closes_local=self.registration_closes.data,
            status=_choice(SessionStatus, self.status.data, SessionStatus.DRAFT),
            visibility=_choice(Visibility, self.visibility.data, Visibility.PUBLIC),
            conference=_choice(Conference, self.conference.data, Conference.LINK),
            join_url=(self.join_url.data or "").strip() or None,
            # An unknown direction (its field already says so) reads as "derived".
            direction=_choice(Direction, self.direction.data, None)
            if self.direction.data
            else None,
        )

    def fill_from(self, data: SessionInput) -> None:
        """Prefill from an existing session's input (edit, duplicate)."""
        self.kind.data = data.kind.value
        self.title.data = data.title
        self.description.data = data.description
        self.language.data = data.language
        self.starts_local.data = data.starts_local
        self.time_zone.data = data.time_zone
        self.duration_minutes.data = data.duration_minutes
        self.lecturer_ids.data = data.lecturer_ids
        self.academy_ids.data = data.academy_ids
        self.capacity.data = data.capacity
        self.registration_opens.data = data.registration_opens_local
        self.registration_closes.data = data.registration_closes_local
        self.status.data = data.status.value
        self.visibility.data = data.visibility.value
        self.conference.data = data.conference.value
        self.join_url.data = data.join_url
        self.direction.data = data.direction.value if data.direction else ""
        while len(self.guests) < len(data.guests) + 1 and len(self.guests) < 10:
            self.guests.append_entry()
        for entry, guest in zip(self.guests, data.guests, strict=False):
            entry.form.name.data = guest.name
            entry.form.affiliation.data = guest.affiliation
            entry.form.academy_id.data = guest.academy_id or 0


class RescheduleForm(TranslatedForm):
    """Move a session: a new start in a zone, and a duration."""

    starts_local = DateTimeLocalField(
        _l("New start: date and clock time in that time zone"),
        format=DATETIME_FORMAT,
        validators=[InputRequired(message=_l("Enter the new date and time."))],
    )
    time_zone = zone_field(_l("Time zone of the start time"))
    duration_minutes = BoundedIntegerField(
        _l("Duration (minutes)"),
        validators=[
            InputRequired(),
            readable,
            NumberRange(1, 1440, message=_l("Between 1 and 1440 minutes.")),
        ],
    )
    confirm_conflicts = BooleanField(_l("Save anyway, despite the overlaps listed above"))


class CancelForm(TranslatedForm):
    """Cancel with a reason people will read."""

    reason = TextAreaField(
        _l("Reason (shown to participants)"),
        validators=[
            DataRequired(message=_l("Say why the session is cancelled.")),
            Length(max=2000),
        ],
    )


class ScheduleFilterForm(TranslatedForm):
    """Filters of the schedule list (GET, no CSRF: it changes nothing)."""

    class Meta:
        csrf = False

    # PlainSelect: the list is rendered on every schedule request (50 rows under it).
    kind = SelectField(
        _l("Kind"), choices=kind_filter_choices(), validators=[Optional()], widget=PlainSelect()
    )
    academy = IdSelectField(_l("Academy"), validators=[Optional()])
    lecturer = IdSelectField(_l("Lecturer"), validators=[Optional()])
    language = SelectField(
        _l("Language"),
        choices=[("", _l("All languages")), *INSTRUCTION_LANGUAGES.items()],
        validators=[Optional()],
        widget=PlainSelect(),
    )
    date_from = DateField(_l("From"), validators=[Optional()])
    date_to = DateField(lazy_pgettext("date range end", "To"), validators=[Optional()])
    status = SelectField(
        _l("Status"),
        choices=[
            ("", _l("Any status")),
            ("draft", _l("Draft")),
            ("scheduled", _l("Scheduled")),
            ("finished", _l("Finished")),
            ("cancelled", _l("Cancelled")),
        ],
        validators=[Optional()],
        widget=PlainSelect(),
    )
    q = StringField(_l("Words in the title"), validators=[Optional(), Length(max=200)])
    mine = BooleanField(_l("Only my sessions"))

    def validate_date_to(self, field: DateField) -> None:
        """A range that ends before it starts finds nothing: say so instead."""
        if field.data and self.date_from.data and field.data < self.date_from.data:
            raise ValidationError(
                _l("The range ends before it starts: this date must be on or after “From”.")
            )
