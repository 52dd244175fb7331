"""What lecturers change on a session's attendance list, each change in the audit trail.

Every operation takes the person as the page's reference ("r<registration id>" for a
registrant, "e<entry id>" for a walk-in), stores an entry for a registrant the first time
something is recorded about them, and leaves the commit to the caller. Finalising
freezes each person's outcome and says so (signals.attendance_finalised): certificates
follow in the background. A change to a finalised list freezes again and says so again,
so a person newly marked present gets a certificate, and nobody gets a second.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from flask import current_app
from flask_babel import lazy_gettext as _l

from webinars.domain import signals
from webinars.domain.attendance.matching import zoom_people
from webinars.domain.attendance.rule import MAX_SHARE, MIN_SHARE
from webinars.domain.attendance.sheet import build_sheet, listed_registrations
from webinars.extensions import db
from webinars.models import (
    AttendanceEntry,
    AttendanceSheet,
    AuditEntry,
    Presence,
    Registration,
    Session,
    SessionStatus,
    User,
    ZoomNameMatch,
)


class AttendanceError(ValueError):
    """A change that cannot be made; ``message`` says why, in the reader's language."""

    def __init__(self, message: Any) -> None:
        super().__init__(str(message))
        self.message = message


def ensure_sheet(session: Session, now: datetime) -> AttendanceSheet:
    """The session's stored sheet, made with the department's default share if new."""
    sheet = db.session.get(AttendanceSheet, session.id)
    if sheet is None:
        sheet = AttendanceSheet(
            session_id=session.id,
            share_percent=current_app.config["ATTENDANCE_SHARE_PERCENT"],
            updated_at=now,
        )
        db.session.add(sheet)
        db.session.flush()
    return sheet


def _audit(session: Session, actor: User | None, now: datetime, action: str, **changes) -> None:
    db.session.add(
        AuditEntry(
            session_id=session.id,
            user_id=actor.id if actor else None,
            at=now,
            action=action,
            changes={k: list(v) for k, v in changes.items()},
        )
    )


def _person_name(entry: AttendanceEntry) -> str:
    if entry.registration is not None and entry.registration.full_name:
        return entry.registration.full_name
    return entry.full_name or ""


def find_entry(session: Session, ref: str, now: datetime) -> AttendanceEntry:
    """The entry of the person ``ref`` names on this session's list (made if needed).

    Raises AttendanceError for anyone not on the list (another session's registration,
    a registration without a seat, a malformed reference).
    """
    kind, _sep, number = (ref or "")[:1], None, (ref or "")[1:]
    if not (number.isascii() and number.isdigit()) or kind not in ("r", "e") or len(number) > 10:
        raise AttendanceError(_l("This person is not on the list."))
    if kind == "e":
        entry = db.session.get(AttendanceEntry, int(number))
        if entry is None or entry.session_id != session.id:
            raise AttendanceError(_l("This person is not on the list."))
        return entry
    registration = db.session.get(Registration, int(number))
    if registration is None or registration.session_id != session.id:
        raise AttendanceError(_l("This person is not on the list."))
    entry = db.session.execute(
        db.select(AttendanceEntry).where(
            AttendanceEntry.session_id == session.id,
            AttendanceEntry.registration_id == registration.id,
        )
    ).scalar_one_or_none()
    if entry is not None:
        return entry
    if registration not in listed_registrations(session.id):
        raise AttendanceError(_l("This person is not on the list."))
    entry = AttendanceEntry(session_id=session.id, registration=registration, created_at=now)
    db.session.add(entry)
    db.session.flush()
    return entry


def _refreeze(session: Session, now: datetime) -> None:
    """After a change to a finalised list: freeze it again and announce it."""
    sheet = db.session.get(AttendanceSheet, session.id)
    if sheet is not None and sheet.is_final:
        freeze_outcomes(session, now)
        signals.attendance_finalised.send(session.id)


def check_in(session: Session, ref: str, actor: User, now: datetime) -> AttendanceEntry:
    """Mark a person present at the door (a second tap changes nothing)."""
    if session.status is SessionStatus.DRAFT or session.is_cancelled:
        raise AttendanceError(_l("This session takes no check-ins."))
    entry = find_entry(session, ref, now)
    if entry.checked_in_at is None:
        entry.checked_in_at = now
        entry.checked_in_by_id = actor.id
        _refreeze(session, now)
    return entry


def undo_check_in(session: Session, ref: str, actor: User, now: datetime) -> AttendanceEntry:
    """Take back a check-in tapped by mistake (walk-ins are removed instead)."""
    entry = find_entry(session, ref, now)
    if entry.walk_in:
        raise AttendanceError(_l("A walk-in is present by definition; mark them absent instead."))
    if entry.checked_in_at is not None:
        entry.checked_in_at = None
        entry.checked_in_by_id = None
        _audit(
            session, actor, now, "attendance_check_in_undone", attendee=(None, _person_name(entry))
        )
        _refreeze(session, now)
    return entry


def override(
    session: Session,
    ref: str,
    presence: Presence | None,
    reason: str,
    actor: User,
    now: datetime,
) -> AttendanceEntry:
    """Set (or, with None, clear) a lecturer's decision over the rule; a reason is needed
    and kept with the decision in the session's audit trail."""
    reason = (reason or "").strip()
    if not reason:
        raise AttendanceError(_l("Say why, in a few words: the reason is kept in the history."))
    if len(reason) > 500:
        raise AttendanceError(_l("The reason is too long (at most 500 characters)."))
    entry = find_entry(session, ref, now)
    old = entry.override.value if entry.override else None
    new = presence.value if presence else None
    entry.override = presence
    entry.override_reason = reason if presence else None
    entry.overridden_by_id = actor.id
    entry.overridden_at = now
    _audit(
        session,
        actor,
        now,
        "attendance_overridden",
        attendee=(None, _person_name(entry)),
        attendance=(old, new),
        reason=(None, reason),
    )
    _refreeze(session, now)
    return entry


def confirm_zoom_name(
    session: Session, ref: str, zoom_name: str, actor: User, now: datetime
) -> AttendanceEntry:
    """A lecturer confirms that the Zoom participant known only by ``zoom_name`` is this
    person: that participant's minutes count for them from now on."""
    names = {p.name for p in zoom_people(session.id) if not p.email}
    if zoom_name not in names:
        raise AttendanceError(_l("No participant of the meeting has this name."))
    taken = db.session.execute(
        db.select(ZoomNameMatch).where(
            ZoomNameMatch.session_id == session.id, ZoomNameMatch.zoom_name == zoom_name
        )
    ).scalar_one_or_none()
    entry = find_entry(session, ref, now)
    if taken is not None:
        if taken.entry_id == entry.id:
            return entry
        raise AttendanceError(_l("This Zoom name is already matched to someone else."))
    entry.zoom_names.append(
        ZoomNameMatch(
            session_id=session.id, zoom_name=zoom_name, confirmed_by_id=actor.id, confirmed_at=now
        )
    )
    _audit(
        session,
        actor,
        now,
        "attendance_name_confirmed",
        attendee=(None, _person_name(entry)),
        zoom_name=(None, zoom_name),
    )
    db.session.flush()
    _refreeze(session, now)
    return entry


def unlink_zoom_name(
    session: Session, ref: str, zoom_name: str, actor: User, now: datetime
) -> AttendanceEntry:
    """Undo a confirmed name match."""
    entry = find_entry(session, ref, now)
    for match in list(entry.zoom_names):
        if match.zoom_name == zoom_name:
            entry.zoom_names.remove(match)
            _audit(
                session,
                actor,
                now,
                "attendance_name_unlinked",
                attendee=(None, _person_name(entry)),
                zoom_name=(zoom_name, None),
            )
            db.session.flush()
            _refreeze(session, now)
    return entry


def add_walk_in(
    session: Session, full_name: str, email: str | None, locale: str, actor: User, now: datetime
) -> AttendanceEntry:
    """Someone present who never registered: on the list as present, with their name
    (and address, for the certificate)."""
    if session.status is SessionStatus.DRAFT or session.is_cancelled:
        raise AttendanceError(_l("This session takes no check-ins."))
    email = (email or "").strip().lower() or None
    if email and any((r.email or "").lower() == email for r in listed_registrations(session.id)):
        raise AttendanceError(_l("This address is registered: check the person in instead."))
    entry = AttendanceEntry(
        session_id=session.id,
        walk_in=True,
        full_name=full_name.strip(),
        email=email,
        locale=locale,
        checked_in_at=now,
        checked_in_by_id=actor.id,
        created_at=now,
    )
    db.session.add(entry)
    db.session.flush()
    _audit(session, actor, now, "attendance_walk_in", attendee=(None, entry.full_name))
    _refreeze(session, now)
    return entry


def set_share(session: Session, percent: int, actor: User, now: datetime) -> None:
    """Change the share of the session's minutes that counts as attended."""
    if not MIN_SHARE <= percent <= MAX_SHARE:
        raise AttendanceError(_l("Give a share between 1 and 100 percent."))
    sheet = ensure_sheet(session, now)
    if sheet.share_percent == percent:
        return
    _audit(session, actor, now, "attendance_rule", share_percent=(sheet.share_percent, percent))
    sheet.share_percent = percent
    sheet.updated_at = now
    _refreeze(session, now)


def freeze_outcomes(session: Session, now: datetime) -> None:
    """Store each person's outcome and minutes as the list reads now (entries whose
    details were forgotten keep theirs)."""
    for row in build_sheet(session).rows:
        if row.entry is not None and row.entry.forgotten_at is not None:
            continue
        entry = row.entry or find_entry(session, row.ref, now)
        entry.attended = (
            (row.override is Presence.ATTENDED) if row.override is not None else row.by_rule
        )
        entry.minutes = row.minutes
    db.session.flush()


def finalise(session: Session, actor: User | None, now: datetime) -> bool:
    """Make the list final: each outcome is frozen and certificates follow (after the
    commit, in the worker). False, and nothing done, when it was final already."""
    if not session.is_finished(now):
        raise AttendanceError(_l("Attendance can be finalised once the session is over."))
    sheet = ensure_sheet(session, now)
    if sheet.is_final:
        return False
    sheet.finalised_at = now
    sheet.finalised_by_id = actor.id if actor else None
    sheet.updated_at = now
    freeze_outcomes(session, now)
    _audit(session, actor, now, "attendance_finalised", finalised_at=(None, now.isoformat()))
    signals.attendance_finalised.send(session.id)
    return True


# Sessions that ended longer ago than this are left alone by the automatic finalising: a
# worker down for days still catches up, but installing the feature does not send
# certificates for every session of past years.
CATCH_UP_DAYS = 14


def sessions_due_for_finalising(now: datetime, hours: int) -> list[int]:
    """Sessions that ended ``hours`` ago or more (within CATCH_UP_DAYS) and whose list
    nobody finalised.

    Only sessions with registrants or entries: an empty one has nothing to certify.
    Cancelled and draft sessions are never finalised.
    """
    final = db.select(AttendanceSheet.session_id).where(AttendanceSheet.finalised_at.is_not(None))
    with_people = db.select(Registration.session_id).distinct()
    return list(
        db.session.execute(
            db.select(Session.id)
            .where(
                Session.ends_at <= now - timedelta(hours=hours),
                Session.ends_at > now - timedelta(hours=hours, days=CATCH_UP_DAYS),
                Session.status == SessionStatus.SCHEDULED,
                Session.id.not_in(final),
                Session.id.in_(with_people) | Session.id.in_(db.select(AttendanceEntry.session_id)),
            )
            .order_by(Session.ends_at)
        ).scalars()
    )
