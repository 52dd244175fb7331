"""Lecture requests: a coordinator asks for a session; the staff accept it (a draft session
is made from it), propose another time, or decline with a reason; the coordinator accepts
a proposed time or answers. Every step is kept in the request's history and emailed to the
other side in their own language. Until it is accepted or declined, the academy's
coordinators may withdraw it (the staff are told).

The caller commits. Whose turn it is follows from the status: OPEN is the staff's (since
`waiting_since`), PROPOSED the coordinator's. Who sees which request, the staff's queue
and overdue requests are in request_queue.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from flask_babel import lazy_gettext as _l

from webinars.domain.mail.outbox import queue_message
from webinars.domain.sessions.rules import SessionInput
from webinars.domain.sessions.scheduling import create_session
from webinars.domain.sessions.timezones import (
    LocalTimeError,
    is_valid_zone,
    local_to_utc,
    utc_to_local,
)
from webinars.extensions import db
from webinars.models import (
    Conference,
    LectureRequest,
    LectureRequestEvent,
    LectureRequestStatus,
    LectureRequestWindow,
    Role,
    Session,
    SessionKind,
    SessionStatus,
    User,
    Visibility,
    utcnow,
)

MIN_WINDOWS, MAX_WINDOWS = 2, 3
MIN_DURATION, MAX_DURATION = 30, 480
MAIL_KINDS = {
    "requested": "lecture_request_new",
    "accepted": "lecture_request_accepted",
    "proposed": "lecture_request_proposed",
    "declined": "lecture_request_declined",
    "answered": "lecture_request_answered",
    "proposal_accepted": "lecture_request_agreed",
    "withdrawn": "lecture_request_withdrawn",
}


class RequestRulesError(ValueError):
    """The input breaks a rule; `errors` maps form field names to messages."""

    def __init__(self, errors: dict[str, Any]) -> None:
        super().__init__("broken rules: " + ", ".join(errors))
        self.errors = errors


class RequestStateError(Exception):
    """The step does not fit the request's state (someone else answered first)."""


@dataclass
class RequestInput:
    """What a coordinator typed: local times are in `time_zone`."""

    topic: str
    kind: SessionKind
    language: str
    time_zone: str
    duration_minutes: int
    windows_local: list[datetime | None]
    programme: str | None = None
    year_of_study: int | None = None
    expected_students: int | None = None
    preferred_lecturer_id: int | None = None
    notes: str = ""
    errors: dict[str, Any] = field(default_factory=dict)


def _window_utc(local: datetime, zone: str, name: str, now: datetime, errors: dict) -> Any:
    try:
        moment = local_to_utc(local, zone)
    except LocalTimeError:
        errors[name] = _l("This time does not exist or happens twice in your time zone.")
        return None
    if moment <= now:
        errors[name] = _l("This time is in the past.")
        return None
    return moment


def _check_duration(minutes: int, errors: dict) -> None:
    if not MIN_DURATION <= minutes <= MAX_DURATION:
        errors["duration_minutes"] = _l(
            "The duration must be between %(low)d and %(high)d minutes.",
            low=MIN_DURATION,
            high=MAX_DURATION,
        )


def _preferred_lecturer(user_id: int | None, errors: dict) -> User | None:
    if not user_id:
        return None
    user = db.session.get(User, user_id)
    if user is None or not user.is_active or not user.can_schedule:
        errors["preferred_lecturer_id"] = _l("Choose a lecturer from the list.")
        return None
    return user


def submit_request(coordinator: User, data: RequestInput, now: datetime | None = None):
    """A coordinator's new request for their academy; tells the staff who should answer.

    Raises RequestRulesError with a message per field.
    """
    now = now or utcnow()
    errors: dict[str, Any] = {}
    if not data.topic.strip():
        errors["topic"] = _l("Say what the session should be about.")
    if not is_valid_zone(data.time_zone):
        raise RequestRulesError({"time_zone": _l("Choose a time zone from the list.")})
    _check_duration(data.duration_minutes, errors)
    if data.expected_students is not None and data.expected_students < 1:
        errors["expected_students"] = _l("Enter the number of students, 1 or more.")
    lecturer = _preferred_lecturer(data.preferred_lecturer_id, errors)
    entered = [(i, local) for i, local in enumerate(data.windows_local, 1) if local]
    if len(entered) < MIN_WINDOWS:
        errors["window_2"] = _l("Give two or three times that would suit.")
    if len(entered) > MAX_WINDOWS:
        errors["window_1"] = _l("Give at most three times.")
    starts = [
        _window_utc(local, data.time_zone, f"window_{i}", now, errors) for i, local in entered
    ]
    if coordinator.academy_id is None:
        errors["topic"] = _l("Your account belongs to no academy.")
    if errors:
        raise RequestRulesError(errors)
    request = LectureRequest(
        academy_id=coordinator.academy_id,
        requested_by_id=coordinator.id,
        topic=data.topic.strip(),
        kind=data.kind,
        programme=(data.programme or "").strip() or None,
        year_of_study=data.year_of_study,
        expected_students=data.expected_students,
        language=data.language,
        preferred_lecturer_id=lecturer.id if lecturer else None,
        time_zone=data.time_zone,
        duration_minutes=data.duration_minutes,
        notes=data.notes.strip(),
        status=LectureRequestStatus.OPEN,
        waiting_since=now,
        created_at=now,
        updated_at=now,
    )
    length = timedelta(minutes=data.duration_minutes)
    for start in starts:
        request.windows.append(
            LectureRequestWindow(starts_at=start, ends_at=start + length, created_at=now)
        )
    db.session.add(request)
    _record(request, coordinator, "requested", now, note=request.notes or None)
    return request


def _record(
    request: LectureRequest,
    actor: User | None,
    action: str,
    now: datetime,
    *,
    note: str | None = None,
    window: LectureRequestWindow | None = None,
) -> LectureRequestEvent:
    """Add a step to the history and email the other side about it."""
    event = LectureRequestEvent(
        user_id=actor.id if actor else None, at=now, action=action, note=note, window=window
    )
    request.events.append(event)
    request.updated_at = now
    db.session.flush()
    staff_turn = action in ("requested", "answered", "proposal_accepted", "withdrawn")
    people = _staff_to_tell(request) if staff_turn else _coordinators(request.academy_id)
    for person in people:
        if actor is not None and person.id == actor.id:
            continue
        queue_message(
            kind=MAIL_KINDS[action],
            to=person.email,
            params={"request_id": request.id, "event_id": event.id, "user_id": person.id},
            now=now,
        )
    return event


def _coordinators(academy_id: int) -> list[User]:
    """The academy's active coordinators: all of them hear of its requests."""
    return list(
        db.session.execute(
            db.select(User)
            .where(
                User.academy_id == academy_id,
                User.role == Role.COORDINATOR,
                User.is_active_account,
            )
            .order_by(User.id)
        ).scalars()
    )


def _staff_to_tell(request: LectureRequest) -> list[User]:
    """Who answers for the staff: the one who last did, else the preferred lecturer, else
    the active admins."""
    for person in (request.handled_by, request.preferred_lecturer):
        if person is not None and person.is_active and person.can_schedule:
            return [person]
    return list(
        db.session.execute(
            db.select(User).where(User.role == Role.ADMIN, User.is_active_account).order_by(User.id)
        ).scalars()
    )


def _expect(request: LectureRequest, *statuses: LectureRequestStatus) -> None:
    if request.status not in statuses:
        raise RequestStateError(request.status.value)


def _audience(request: LectureRequest) -> str:
    """The audience as a line for the draft session's description (English: staff edit it)."""
    parts = [p for p in (request.programme,) if p]
    if request.year_of_study:
        parts.append(f"year {request.year_of_study}")
    if request.expected_students:
        parts.append(f"about {request.expected_students} students")
    return "Audience: " + ", ".join(parts) if parts else ""


def _draft_from(
    request: LectureRequest, window: LectureRequestWindow, lecturer: User, actor: User
) -> Session:
    """A draft session prefilled from the request and the chosen window."""
    zone = lecturer.time_zone if is_valid_zone(lecturer.time_zone) else request.time_zone
    description = "\n\n".join(p for p in (_audience(request), request.notes) if p)
    capacity = request.expected_students or None
    if request.kind is SessionKind.MASTER_CLASS and capacity is None:
        capacity = 30
    data = SessionInput(
        kind=request.kind,
        title=request.topic,
        language=request.language,
        starts_local=utc_to_local(window.starts_at, zone).replace(tzinfo=None),
        time_zone=zone,
        duration_minutes=int((window.ends_at - window.starts_at).total_seconds() // 60),
        lecturer_ids=[lecturer.id],
        academy_ids=[request.academy_id],
        description=description,
        capacity=capacity,
        status=SessionStatus.DRAFT,
        visibility=Visibility.PARTNERS,
        conference=Conference.NONE,
    )
    session = create_session(data, actor)
    request.session_id = session.id
    return session


def accept_request(
    request: LectureRequest, window_id: int, actor: User, now: datetime | None = None
) -> Session:
    """Staff accept one of the windows: a draft session is made and linked to the request.

    The lecturer is the preferred one when still active, else the one accepting.
    """
    now = now or utcnow()
    _expect(request, LectureRequestStatus.OPEN, LectureRequestStatus.PROPOSED)
    window = next((w for w in request.windows if w.id == window_id), None)
    if window is None:
        raise RequestRulesError({"window_id": _l("Choose one of the times.")})
    preferred = request.preferred_lecturer
    lecturer = preferred if preferred and preferred.is_active else actor
    session = _draft_from(request, window, lecturer, actor)
    request.status = LectureRequestStatus.ACCEPTED
    request.handled_by_id, request.waiting_since = actor.id, None
    _record(request, actor, "accepted", now, window=window)
    return session


def propose_time(
    request: LectureRequest,
    starts_local: datetime,
    time_zone: str,
    duration_minutes: int,
    note: str,
    actor: User,
    now: datetime | None = None,
) -> LectureRequestWindow:
    """Staff propose another time (in their zone); the coordinator's turn."""
    now = now or utcnow()
    _expect(request, LectureRequestStatus.OPEN, LectureRequestStatus.PROPOSED)
    errors: dict[str, Any] = {}
    if not is_valid_zone(time_zone):
        raise RequestRulesError({"time_zone": _l("Choose a time zone from the list.")})
    _check_duration(duration_minutes, errors)
    start = _window_utc(starts_local, time_zone, "starts_local", now, errors)
    if errors:
        raise RequestRulesError(errors)
    window = LectureRequestWindow(
        starts_at=start,
        ends_at=start + timedelta(minutes=duration_minutes),
        proposed_by_staff=True,
        created_at=now,
    )
    request.windows.append(window)
    request.status = LectureRequestStatus.PROPOSED
    request.handled_by_id, request.waiting_since = actor.id, None
    _record(request, actor, "proposed", now, note=note.strip() or None, window=window)
    return window


def decline_request(
    request: LectureRequest, reason: str, actor: User, now: datetime | None = None
) -> None:
    """Staff decline, always with a reason the coordinator reads."""
    now = now or utcnow()
    _expect(request, LectureRequestStatus.OPEN, LectureRequestStatus.PROPOSED)
    if not reason.strip():
        raise RequestRulesError({"reason": _l("Say why, so the academy can plan.")})
    request.status = LectureRequestStatus.DECLINED
    request.decline_reason = reason.strip()
    request.handled_by_id, request.waiting_since = actor.id, None
    _record(request, actor, "declined", now, note=request.decline_reason)


def latest_proposal(request: LectureRequest) -> LectureRequestWindow | None:
    """The time the staff proposed last, if any."""
    proposals = [w for w in request.windows if w.proposed_by_staff]
    return proposals[-1] if proposals else None


def accept_proposal(request: LectureRequest, coordinator: User, now: datetime | None = None):
    """The coordinator agrees to the proposed time: the draft session is made for the staff
    member who proposed it (they publish it)."""
    now = now or utcnow()
    _expect(request, LectureRequestStatus.PROPOSED)
    window = latest_proposal(request)
    proposer = request.handled_by
    assert window is not None and proposer is not None
    session = _draft_from(request, window, proposer, proposer)
    request.status = LectureRequestStatus.ACCEPTED
    _record(request, coordinator, "proposal_accepted", now, window=window)
    return session


def answer_proposal(
    request: LectureRequest,
    coordinator: User,
    note: str,
    starts_local: datetime | None = None,
    now: datetime | None = None,
) -> None:
    """The coordinator answers a proposal (and may offer another time): the staff's turn."""
    now = now or utcnow()
    _expect(request, LectureRequestStatus.PROPOSED)
    errors: dict[str, Any] = {}
    if not note.strip():
        errors["note"] = _l("Write your answer.")
    window = None
    if starts_local is not None:
        start = _window_utc(starts_local, request.time_zone, "starts_local", now, errors)
        if start is not None:
            length = timedelta(minutes=request.duration_minutes)
            window = LectureRequestWindow(starts_at=start, ends_at=start + length, created_at=now)
    if errors:
        raise RequestRulesError(errors)
    if window is not None:
        request.windows.append(window)
    request.status = LectureRequestStatus.OPEN
    request.waiting_since = now
    _record(request, coordinator, "answered", now, note=note.strip(), window=window)


def withdraw_request(
    request: LectureRequest, coordinator: User, note: str = "", now: datetime | None = None
) -> None:
    """A coordinator of the academy takes the request back while it is neither accepted nor
    declined; the staff who would answer are told."""
    now = now or utcnow()
    _expect(request, LectureRequestStatus.OPEN, LectureRequestStatus.PROPOSED)
    request.status = LectureRequestStatus.WITHDRAWN
    request.waiting_since = None
    _record(request, coordinator, "withdrawn", now, note=note.strip() or None)
