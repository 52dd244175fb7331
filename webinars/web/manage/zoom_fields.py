"""The Zoom part of the session form: the Zoom choice, its meeting settings, and the check
that a host is free before saving. The meeting itself is made after the commit."""

from __future__ import annotations

from datetime import datetime

from flask import current_app, request
from flask_babel import lazy_gettext as _l
from wtforms import SelectField
from wtforms.widgets import RadioInput

from webinars.domain.sessions.conferencing import meeting_record
from webinars.domain.zoom.hosts import free_hosts
from webinars.domain.zoom.settings import (
    SettingOverrides,
    department_defaults,
    overrides_of,
    set_session_overrides,
)
from webinars.models import AutoRecording, Conference, Session
from webinars.web.translated_forms import TranslatedSubform
from webinars.zoom.setup import zoom_setup

ZOOM_LABEL = _l("Zoom meeting, made and kept up to date by the app")
_ON_OFF = {"": None, "on": True, "off": False}


class _RadioWithChoiceAttrs(RadioInput):
    """A radio button that carries its choice's own attributes (``disabled`` for Zoom when
    it is not set up); WTForms' radio buttons only carry the field's."""

    def __call__(self, field, **kwargs):
        extra = getattr(getattr(field, "choice", None), "render_kw", None) or {}
        return super().__call__(field, **{**extra, **kwargs})


def _onoff_choices(default: bool) -> list[tuple[str, str]]:
    shown = _l("on") if default else _l("off")
    return [
        ("", _l("Department default (%(value)s)", value=shown)),
        ("on", _l("On")),
        ("off", _l("Off")),
    ]


class MeetingSettingsForm(TranslatedSubform):
    """A session's Zoom settings; an empty choice follows the department's default."""

    passcode = SelectField(_l("Passcode (set when the meeting is made)"))
    waiting_room = SelectField(_l("Waiting room"))
    mute_upon_entry = SelectField(_l("Mute participants when they join"))
    auto_recording = SelectField(_l("Automatic recording"))


def _settings_form(session: Session | None) -> MeetingSettingsForm:
    defaults = department_defaults()
    formdata = request.form if request.method == "POST" else None
    form = MeetingSettingsForm(formdata, prefix="zoom")
    form.passcode.choices = _onoff_choices(defaults.passcode)
    form.waiting_room.choices = _onoff_choices(defaults.waiting_room)
    form.mute_upon_entry.choices = _onoff_choices(defaults.mute_upon_entry)
    recording = {
        AutoRecording.NONE: _l("none"),
        AutoRecording.CLOUD: _l("in Zoom's cloud"),
        AutoRecording.LOCAL: _l("on the host's computer"),
    }
    form.auto_recording.choices = [
        ("", _l("Department default (%(value)s)", value=recording[defaults.auto_recording])),
        *((kind.value, label) for kind, label in recording.items()),
    ]
    if formdata is None and session is not None:
        current = overrides_of(meeting_record(session.id))
        for name in ("passcode", "waiting_room", "mute_upon_entry"):
            value = getattr(current, name)
            getattr(form, name).data = "" if value is None else ("on" if value else "off")
        form.auto_recording.data = current.auto_recording.value if current.auto_recording else ""
    return form


def attach_zoom_fields(form, session: Session | None) -> None:
    """Offer Zoom on ``form.conference`` (the default for new sessions when Zoom is set up;
    shown but disabled when it is not) and add ``form.zoom_settings``."""
    setup = zoom_setup(current_app.config)
    field = form.conference
    kept = [c for c in field.choices if c[0] != Conference.ZOOM.value]
    if setup.configured or field.data == Conference.ZOOM.value:
        field.choices = [(Conference.ZOOM.value, ZOOM_LABEL), *kept]
    else:
        field.choices = [(Conference.ZOOM.value, ZOOM_LABEL, {"disabled": True}), *kept]
        field.option_widget = _RadioWithChoiceAttrs()
    fresh = session is None and not form.is_submitted() and not form.join_url.data
    if setup.configured and fresh and field.data == Conference.LINK.value:
        field.data = Conference.ZOOM.value
    form.zoom_configured = setup.configured
    form.zoom_settings = _settings_form(session)


def zoom_errors(
    form, starts_at: datetime, ends_at: datetime, session: Session | None
) -> dict[str, object]:
    """What stops saving a Zoom session: Zoom not set up, bad settings, or no free host."""
    if form.conference.data != Conference.ZOOM.value:
        return {}
    setup = zoom_setup(current_app.config)
    if not setup.configured:
        return {
            "conference": _l(
                "Zoom is not set up for the department, so the app cannot make a meeting. "
                "Paste a meeting link instead, or ask an admin."
            )
        }
    if not form.zoom_settings.validate():
        return {"conference": _l("Check the meeting settings below.")}
    exclude = session.id if session is not None else None
    if not free_hosts(setup.hosts, starts_at, ends_at, setup.buffer, exclude):
        minutes = int(setup.buffer.total_seconds() // 60)
        return {
            "conference": _l(
                "No Zoom host is free at this time: each of the department's %(count)d Zoom "
                "hosts has another meeting within %(minutes)d minutes of it. Choose another "
                "time, or another way to join.",
                count=len(setup.hosts),
                minutes=minutes,
            )
        }
    return {}


def move_error(session: Session, starts_at: datetime, ends_at: datetime) -> str | None:
    """Moving a Zoom session: the message when no host would be free at the new time."""
    setup = zoom_setup(current_app.config)
    if session.conference is not Conference.ZOOM or not setup.configured:
        return None
    if free_hosts(setup.hosts, starts_at, ends_at, setup.buffer, session.id):
        return None
    return str(
        _l(
            "No Zoom host is free at the new time (each host runs one meeting at a time, "
            "with %(minutes)d minutes either side). Choose another time.",
            minutes=int(setup.buffer.total_seconds() // 60),
        )
    )


def save_zoom_fields(form, session: Session) -> bool:
    """Store the session's meeting settings (Zoom sessions only; not committed).

    True when they changed.
    """
    if form.conference.data != Conference.ZOOM.value:
        return False
    settings = form.zoom_settings
    auto = settings.auto_recording.data or ""
    wanted = SettingOverrides(
        passcode=_ON_OFF.get(settings.passcode.data or ""),
        waiting_room=_ON_OFF.get(settings.waiting_room.data or ""),
        mute_upon_entry=_ON_OFF.get(settings.mute_upon_entry.data or ""),
        auto_recording=AutoRecording(auto) if auto else None,
    )
    before = overrides_of(meeting_record(session.id))
    set_session_overrides(session, wanted)
    return before != wanted
