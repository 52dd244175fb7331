"""A session as a person enters it, and the rules its input must keep.

SessionInput carries local times in the organiser's zone; resolve_times checks every rule
that spans several fields and turns the times into UTC, or raises SessionRulesError with
a message per field, so a person reads every problem after one submit.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from flask_babel import lazy_gettext as _l

from webinars.domain.sessions.timezones import LocalTimeError, is_valid_zone, local_to_utc
from webinars.models import Conference, Direction, Session, SessionKind, SessionStatus, Visibility

MAX_DURATION_MINUTES = 24 * 60
# No session lasts longer, so one that overlaps a moment started at most this long
# before it: time ranges read from the (starts_at, ends_at) index get a lower bound.
LONGEST_SESSION = timedelta(minutes=MAX_DURATION_MINUTES)
# Nobody plans a lecture decades ahead: a start that far is a typo in the year.
MAX_YEARS_AHEAD = 10


@dataclass
class GuestInput:
    """A guest speaker as entered: a name, where they come from, their academy if any."""

    name: str
    affiliation: str | None = None
    academy_id: int | None = None


@dataclass
class SessionInput:
    """What a person entered for a session, with local times in `time_zone`."""

    kind: SessionKind
    title: str
    language: str
    starts_local: datetime | None
    time_zone: str
    duration_minutes: int | None
    lecturer_ids: list[int]
    academy_ids: list[int]
    description: str = ""
    guests: list[GuestInput] = field(default_factory=list)
    capacity: int | None = None
    registration_opens_local: datetime | None = None
    registration_closes_local: datetime | None = None
    status: SessionStatus = SessionStatus.SCHEDULED
    visibility: Visibility = Visibility.PUBLIC
    conference: Conference = Conference.LINK
    join_url: str | None = None
    direction: Direction | None = None  # None: derived from the speakers


class SessionRulesError(ValueError):
    """The input breaks a rule; `errors` maps form field names to messages."""

    def __init__(self, errors: dict[str, Any]) -> None:
        # Field names only: rendering the lazy messages here would pick a locale, which
        # needs a request, and the rules also run from the CLI and background jobs.
        super().__init__("broken rules: " + ", ".join(errors))
        self.errors = errors


@dataclass(frozen=True)
class ResolvedTimes:
    """A session's times in UTC, once its input keeps the rules."""

    starts_at: datetime
    ends_at: datetime
    registration_opens_at: datetime | None
    registration_closes_at: datetime | None


def _to_utc(local: datetime | None, zone: str, field_name: str, errors: dict[str, Any]):
    if local is None:
        return None
    try:
        return local_to_utc(local, zone)
    except OverflowError:  # year 1 or 9999 on the other side of UTC
        errors[field_name] = _l("This date is out of range; check the year.")
        return None
    except LocalTimeError as exc:
        errors[field_name] = (
            _l("This time does not exist in the chosen time zone (the clocks skip it).")
            if str(exc) == "skipped"
            else _l("This time happens twice in the chosen time zone; pick another.")
        )
        return None


def resolve_times(
    data: SessionInput,
    now: datetime,
    session: Session | None = None,
    seats_taken: int = 0,
    registrants: int = 0,
) -> ResolvedTimes:
    """Check the rules that span several fields and turn local times into UTC.

    Raises SessionRulesError with a message per field. A start in the past is refused
    for new sessions and for edits that move the start; editing other fields of a
    session that has already begun stays possible. A value the form could not read
    (None) is left to the form's own message, and the other rules are still checked, so
    a person reads every problem after one submit. A published session with
    `registrants` (active registrations, waiting ones included) cannot go back to draft.
    """
    errors: dict[str, Any] = {}
    if back_to_draft(session, data) and registrants:
        # Its registrants hold invitations: a draft would vanish from feeds and pages
        # while their calendars keep it. Moving or cancelling tells them.
        errors["status"] = _l(
            "People are registered for this session, so it cannot go back to draft. "
            "Move it to another time or cancel it instead."
        )
    starts_at = opens = closes = None
    if not is_valid_zone(data.time_zone):
        errors["time_zone"] = _l("Choose a time zone from the list.")
    else:
        zone = data.time_zone
        starts_at = _to_utc(data.starts_local, zone, "starts_local", errors)
        opens = _to_utc(data.registration_opens_local, zone, "registration_opens", errors)
        closes = _to_utc(data.registration_closes_local, zone, "registration_closes", errors)
    if data.duration_minutes is not None and not 1 <= data.duration_minutes <= MAX_DURATION_MINUTES:
        errors["duration_minutes"] = _l("The duration must be between 1 and 1440 minutes.")
    if starts_at is not None:
        moved = session is None or session.starts_at != starts_at
        if moved and starts_at <= now:
            errors["starts_local"] = _l("The start is in the past. Choose a time from now on.")
        elif starts_at > now + timedelta(days=366 * MAX_YEARS_AHEAD):
            errors["starts_local"] = _l(
                "The start is more than %(years)d years ahead; check the year.",
                years=MAX_YEARS_AHEAD,
            )
    if data.kind is SessionKind.MASTER_CLASS and not data.capacity:
        errors["capacity"] = _l("A master class needs a capacity (the number of seats).")
    if data.capacity is not None and data.capacity < seats_taken:
        errors["capacity"] = _l(
            "%(taken)d seats are already taken: the capacity cannot be lower.", taken=seats_taken
        )
    if opens and closes and closes <= opens:
        errors["registration_closes"] = _l("Registration must close after it opens.")
    if starts_at and opens and opens >= starts_at:
        errors["registration_opens"] = _l("Registration must open before the session starts.")
    if starts_at and closes and closes > starts_at:
        errors["registration_closes"] = _l(
            "Registration must close by the time the session starts."
        )
    if not data.lecturer_ids:
        errors["lecturer_ids"] = _l("Choose at least one lecturer.")
    if not data.academy_ids:
        errors["academy_ids"] = _l("Choose at least one partner academy.")
    if data.conference is Conference.LINK and not data.join_url:
        errors["join_url"] = _l("Paste the meeting link, or choose another way to join.")
    if errors or starts_at is None:
        raise SessionRulesError(errors)
    if data.duration_minutes is None:
        raise SessionRulesError({})
    ends_at = starts_at + timedelta(minutes=data.duration_minutes)
    return ResolvedTimes(starts_at, ends_at, opens, closes)


def back_to_draft(session: Session | None, data: SessionInput) -> bool:
    """Whether the input takes a published session back to draft."""
    return (
        session is not None
        and session.status is not SessionStatus.DRAFT
        and data.status is SessionStatus.DRAFT
    )
