"""Forms of the attendance page: the rule's share, an override, a walk-in."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import EmailField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Email, InputRequired, Length, NumberRange, Optional

from webinars.i18n import LANGUAGE_NAMES
from webinars.web.bounds import BoundedIntegerField
from webinars.web.translated_forms import TranslatedForm


class ShareForm(TranslatedForm):
    """The share of the session's minutes that counts as attended."""

    share_percent = BoundedIntegerField(
        _l("Attended when present at least (percent of the session)"),
        validators=[
            InputRequired(message=_l("Give a share between 1 and 100 percent.")),
            NumberRange(1, 100, message=_l("Give a share between 1 and 100 percent.")),
        ],
    )


class OverrideForm(TranslatedForm):
    """A lecturer's decision over the rule, with the reason kept in the history."""

    person = StringField(validators=[DataRequired()])
    presence = SelectField(
        _l("Decision"),
        choices=[
            ("attended", _l("Attended")),
            ("absent", _l("Absent")),
            ("rule", _l("As the rule says")),
        ],
    )
    reason = TextAreaField(
        _l("Reason"),
        validators=[
            DataRequired(message=_l("Say why, in a few words: the reason is kept in the history.")),
            Length(max=500, message=_l("The reason is too long (at most 500 characters).")),
        ],
    )


class WalkInForm(TranslatedForm):
    """Someone present who never registered."""

    full_name = StringField(
        _l("Full name"),
        validators=[
            DataRequired(message=_l("Enter the person's full name.")),
            Length(max=200, message=_l("Use at most 200 characters.")),
        ],
    )
    email = EmailField(
        _l("Email (for the certificate)"),
        validators=[
            Optional(),
            Email(message=_l("Enter a valid email address."), check_deliverability=False),
            Length(max=254),
        ],
    )
    locale = SelectField(_l("Language of the certificate"), choices=list(LANGUAGE_NAMES.items()))
