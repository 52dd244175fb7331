"""Forms of the admin's integrations page."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, EmailField, SelectField
from wtforms.validators import Email, Length, Optional

from webinars.models import AutoRecording
from webinars.web.translated_forms import TranslatedForm

RECORDING_LABELS = {
    AutoRecording.NONE.value: _l("No automatic recording"),
    AutoRecording.CLOUD.value: _l("Record in Zoom's cloud"),
    AutoRecording.LOCAL.value: _l("Record on the host's computer"),
}


class ZoomDefaultsForm(TranslatedForm):
    """The department's meeting settings; sessions may override each one."""

    passcode = BooleanField(_l("Meetings have a passcode"))
    waiting_room = BooleanField(_l("Waiting room (the host admits people)"))
    mute_upon_entry = BooleanField(_l("Participants are muted when they join"))
    auto_recording = SelectField(
        _l("Automatic recording"),
        choices=list(RECORDING_LABELS.items()),
        default=AutoRecording.NONE.value,
    )


class ZoomEmailForm(TranslatedForm):
    """A lecturer's user on the department's Zoom account (empty: none)."""

    zoom_email = EmailField(
        _l("Zoom user email"),
        validators=[
            Optional(),
            Length(max=254),
            Email(message=_l("Enter an email address, such as name@example.org.")),
        ],
    )


class RetryForm(TranslatedForm):
    """A button that asks for another attempt now (CSRF only)."""
