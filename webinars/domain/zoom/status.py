"""The state of a session's Zoom meeting in words, for the session page and the admin list.

Everything here is translatable: the record keeps a short error kind and Zoom's own
field names, and the words are chosen when a page is shown, in the reader's language.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime

from flask_babel import LazyString
from flask_babel import lazy_gettext as _l

from webinars.domain.zoom.sync import wants_meeting
from webinars.domain.zoom.zones import refused_zones, zone_for_zoom
from webinars.models import Conference, MeetingState, Session, SessionStatus, ZoomMeeting
from webinars.zoom.setup import ZoomSetup

# What Zoom's validation field names mean to a lecturer, and what Zoom accepts.
FIELD_WORDS: dict[str, LazyString] = {
    "topic": _l("the title (at most 200 characters)"),
    "agenda": _l("the description (at most 2,000 characters)"),
    "duration": _l("the duration (between 1 minute and 24 hours)"),
    "start_time": _l("the start time (it must be in the future)"),
    "timezone": _l("the time zone (choose the zone of a nearby city)"),
    "password": _l("the passcode (at most 10 letters or digits)"),
    "settings.alternative_hosts": _l(
        "the alternative hosts (they must be users of the department's Zoom account)"
    ),
    "settings.auto_recording": _l("the recording setting"),
    "settings.waiting_room": _l("the waiting room setting"),
    "settings.mute_upon_entry": _l("the mute-on-entry setting"),
}


@dataclass(frozen=True)
class MeetingStatus:
    """One meeting's state for a page: a headline, a sentence on what happens next or
    what to do, a Bootstrap tone, and the times the template shows in the reader's zone."""

    key: str
    headline: str
    detail: str = ""
    tone: str = "info"
    next_attempt_at: datetime | None = None
    changed_in_zoom_at: datetime | None = None
    in_step: bool = False
    zone_note: str = ""  # Zoom shows the time in another zone than the session's


def field_words(fields: list[list[str]] | None) -> str:
    """Zoom's refused fields as a list a lecturer understands."""
    names = [str(f[0]) for f in fields or [] if f]
    words = [str(FIELD_WORDS.get(n, _l("the field “%(name)s”", name=n))) for n in names]
    return ", ".join(words) or str(_l("some of the meeting's details"))


def _retry_reason(record: ZoomMeeting) -> str:
    kind = record.error_kind
    if kind == "daily_limit":
        return str(
            _l(
                "The Zoom hosts free at this time have used Zoom's daily allowance of 100 "
                "meeting changes; the work waits until 00:00 UTC."
            )
        )
    if kind == "rate_limited":
        return str(_l("Zoom asked the app to slow down."))
    if kind == "not_applied":
        return str(_l("Zoom did not apply every change; the app will check again."))
    if kind == "in_progress":
        return str(_l("The meeting is under way, so Zoom cannot delete it yet."))
    return str(_l("Zoom did not answer in time or had a fault."))


def _failure(record: ZoomMeeting, setup: ZoomSetup) -> str:
    kind = record.error_kind
    if kind == "validation":
        return str(
            _l(
                "Zoom did not accept %(fields)s. Edit the session to fix it; the meeting is "
                "made as soon as the session is saved.",
                fields=field_words(record.error_fields),
            )
        )
    if kind == "auth":
        return str(
            _l(
                "Zoom refused the department's Zoom credentials. Ask an admin to check the "
                "Zoom settings and retry (Admin → Integrations)."
            )
        )
    if kind == "host_missing":
        return str(
            _l(
                "A Zoom host in the settings is not a user of the Zoom account. Ask an admin "
                "to check ZOOM_HOSTS and retry."
            )
        )
    if kind == "no_host":
        return str(
            _l(
                "No Zoom host is free at this time (a host runs one meeting at a time, with "
                "%(minutes)d minutes either side). Move the session or ask an admin to add a "
                "host; the meeting is made as soon as a host is free.",
                minutes=int(setup.buffer.total_seconds() // 60),
            )
        )
    if kind == "host_clash":
        return str(
            _l(
                "The meeting's Zoom host has another meeting at this time and no other host "
                "is free. The link works, but both cannot run at once: move the session or "
                "ask an admin to add a host."
            )
        )
    if kind == "invalid":
        return str(
            _l(
                "This session cannot become a Zoom meeting as it stands (%(reason)s). Edit "
                "the session to fix it.",
                reason=record.last_error or "",
            )
        )
    return str(
        _l(
            "Zoom refused the meeting: %(reason)s. Ask an admin to retry (Admin → Integrations).",
            reason=record.last_error or "",
        )
    )


def _ready(record: ZoomMeeting) -> MeetingStatus:
    detail = ""
    if record.error_kind == "alternative_hosts":
        detail = str(
            _l(
                "Zoom did not accept these lecturers as alternative hosts: %(emails)s. An "
                "admin can correct their Zoom emails (Admin → Integrations).",
                emails=record.last_error or "",
            )
        )
    return MeetingStatus(
        "ready",
        str(_l("The Zoom meeting is ready.")),
        detail,
        "success",
        changed_in_zoom_at=record.changed_in_zoom_at,
        in_step=True,
    )


_NO_MEETING_KEYS = ("not_configured", "finished", "draft", "removed", "removing")


def zone_note(session: Session, refused: frozenset[str]) -> str:
    """Words for the lecturer when Zoom does not know the session's time zone; else "".

    The meeting still starts at the right moment (Zoom is sent the start in UTC); only
    the clock time Zoom shows in its own emails and app may differ.
    """
    shown = zone_for_zoom(session.time_zone, refused)
    if shown == session.time_zone:
        return ""
    if shown:
        return str(
            _l(
                "Zoom does not know the time zone %(zone)s, so Zoom shows this meeting's "
                "time in %(shown)s, which has the same clock time. The meeting starts at "
                "the right moment.",
                zone=session.time_zone,
                shown=shown,
            )
        )
    return str(
        _l(
            "Zoom does not know the time zone %(zone)s, so Zoom shows this meeting's time "
            "in its host's own time zone, and Zoom's emails and app may show another clock "
            "time. The meeting starts at the right moment; this page and the calendar "
            "invitations give the time in %(zone)s.",
            zone=session.time_zone,
        )
    )


def meeting_status(
    session: Session,
    record: ZoomMeeting | None,
    setup: ZoomSetup,
    now: datetime,
    refused: frozenset[str] | None = None,
) -> MeetingStatus | None:
    """The meeting's state in words; None for sessions that are not Zoom sessions and
    never had a meeting. ``refused``: the zones Zoom refused (read when None)."""
    status = _status(session, record, setup, now)
    if status is None or status.key in _NO_MEETING_KEYS:
        return status
    note = zone_note(session, refused_zones(now) if refused is None else refused)
    return replace(status, zone_note=note) if note else status


def _status(
    session: Session, record: ZoomMeeting | None, setup: ZoomSetup, now: datetime
) -> MeetingStatus | None:
    if session.conference is not Conference.ZOOM and (
        record is None or record.state is MeetingState.DELETED
    ):
        return None
    wanted = wants_meeting(session, now)
    if not setup.configured and wanted is not False:
        return MeetingStatus(
            "not_configured",
            str(_l("Zoom is not set up for the department, so this session has no meeting.")),
            str(_l("An admin can set it up; see Admin → Integrations for what is missing.")),
            "warning",
        )
    if wanted is None:
        return MeetingStatus("finished", str(_l("The session is over.")), tone="secondary")
    if not wanted:
        return _unwanted(session, record)
    if record is None:
        return MeetingStatus("creating", str(_l("The Zoom meeting is being created.")))
    action_done = record.meeting_id is not None
    if record.state is MeetingState.READY and not record.verify_needed:
        return _ready(record)
    if record.state is MeetingState.RETRYING:
        headline = (
            _l("The Zoom meeting could not be updated yet.")
            if action_done
            else _l("The Zoom meeting could not be created yet.")
        )
        return MeetingStatus(
            "retrying",
            str(headline),
            _retry_reason(record),
            "warning",
            record.next_attempt_at,
        )
    if record.state is MeetingState.FAILED:
        return MeetingStatus(
            "failed",
            str(_l("The Zoom meeting needs attention.")),
            _failure(record, setup),
            "danger",
        )
    if action_done:
        return MeetingStatus(
            "updating",
            str(_l("The Zoom meeting is being updated.")),
            changed_in_zoom_at=record.changed_in_zoom_at,
        )
    return MeetingStatus("creating", str(_l("The Zoom meeting is being created.")))


def _unwanted(session: Session, record: ZoomMeeting | None) -> MeetingStatus:
    held = record is not None and (
        record.meeting_id is not None or record.create_sent_at is not None
    )
    if held and record is not None and record.state is MeetingState.RETRYING:
        return MeetingStatus(
            "removing",
            str(_l("The Zoom meeting could not be removed yet.")),
            _retry_reason(record),
            "warning",
            record.next_attempt_at,
        )
    if held:
        return MeetingStatus("removing", str(_l("The Zoom meeting is being removed.")))
    if session.status is SessionStatus.DRAFT and session.conference is Conference.ZOOM:
        return MeetingStatus(
            "draft",
            str(_l("The Zoom meeting will be created when the session is published.")),
            tone="secondary",
            in_step=True,
        )
    return MeetingStatus(
        "removed", str(_l("No Zoom meeting (it was removed).")), tone="secondary", in_step=True
    )
