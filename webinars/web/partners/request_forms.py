"""Forms of lecture requests: the coordinator's request and answer, the staff's steps."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import (
    DateTimeLocalField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from webinars.domain.partners.requests import MAX_DURATION, MIN_DURATION
from webinars.domain.sessions.kinds import kind_choices
from webinars.i18n import INSTRUCTION_LANGUAGES
from webinars.web.bounds import BoundedIntegerField, row_id
from webinars.web.choices import DATETIME_FORMAT, readable, zone_field
from webinars.web.translated_forms import TranslatedForm


def _window(label: str) -> DateTimeLocalField:
    return DateTimeLocalField(label, format=DATETIME_FORMAT, validators=[Optional()])


def _duration() -> BoundedIntegerField:
    return BoundedIntegerField(
        _l("Duration (minutes)"),
        default=90,
        validators=[InputRequired(), readable, NumberRange(MIN_DURATION, MAX_DURATION)],
    )


class LectureRequestForm(TranslatedForm):
    """A coordinator asks for a session; times in their own zone."""

    topic = StringField(_l("Topic"), validators=[DataRequired(), Length(max=200)])
    kind = SelectField(_l("Kind"), choices=kind_choices())
    programme = StringField(
        _l("Programme (e.g. Paediatrics)"), validators=[Optional(), Length(max=200)]
    )
    year_of_study = BoundedIntegerField(
        _l("Year of study"), validators=[Optional(), readable, NumberRange(1, 10)]
    )
    expected_students = BoundedIntegerField(
        _l("Expected number of students"), validators=[Optional(), readable, NumberRange(1, 5000)]
    )
    language = SelectField(_l("Language"), choices=list(INSTRUCTION_LANGUAGES.items()))
    preferred_lecturer_id = SelectField(
        _l("Preferred lecturer (optional)"), coerce=row_id, default=0
    )
    time_zone = zone_field(_l("Your time zone (the times below are in it)"))
    duration_minutes = _duration()
    window_1 = _window(_l("First time that would suit"))
    window_2 = _window(_l("Second time that would suit"))
    window_3 = _window(_l("Third time (optional)"))
    notes = TextAreaField(_l("Notes"), validators=[Optional(), Length(max=5000)])


class AcceptForm(TranslatedForm):
    """Staff choose one of the times; a draft session is made."""

    window_id = RadioField(
        _l("Time"),
        coerce=row_id,
        validators=[InputRequired(message=_l("Choose one of the times."))],
    )


class ProposeForm(TranslatedForm):
    """Staff propose another time, in their zone."""

    starts_local = DateTimeLocalField(
        _l("Proposed start"),
        format=DATETIME_FORMAT,
        validators=[InputRequired(message=_l("Enter the date and time you propose."))],
    )
    time_zone = zone_field(_l("Time zone"))
    duration_minutes = _duration()
    note = TextAreaField(_l("Message to the academy"), validators=[Optional(), Length(max=5000)])


class DeclineForm(TranslatedForm):
    """Staff decline, with a reason."""

    reason = TextAreaField(
        _l("Reason"),
        validators=[
            DataRequired(message=_l("Say why, so the academy can plan.")),
            Length(max=5000),
        ],
    )


class AnswerForm(TranslatedForm):
    """The coordinator answers a proposal, maybe with another time."""

    note = TextAreaField(
        _l("Your answer"),
        validators=[DataRequired(message=_l("Write your answer.")), Length(max=5000)],
    )
    starts_local = _window(_l("Another time that would suit (optional, in your time zone)"))


class WithdrawForm(TranslatedForm):
    """The coordinator takes the request back, maybe saying why."""

    note = TextAreaField(_l("Why (optional)"), validators=[Optional(), Length(max=5000)])


class AgreeForm(TranslatedForm):
    """The coordinator accepts the proposed time (the CSRF token only)."""
