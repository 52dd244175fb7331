"""Double-booking: sessions that overlap in time and share a lecturer or an academy."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, literal, or_, union_all
from sqlalchemy.orm import aliased, selectinload

from webinars.domain.sessions.filters import ending_after
from webinars.domain.sessions.rules import LONGEST_SESSION
from webinars.extensions import db
from webinars.models import (
    PartnerAcademy,
    Session,
    SessionStatus,
    User,
    session_academies,
    session_lecturers,
)


@dataclass(frozen=True)
class Conflict:
    """Another session at an overlapping time, and who or what the two share."""

    session: Session
    lecturers: list[User]
    academies: list[PartnerAcademy]


def overlapping(starts_at: datetime, ends_at: datetime):
    """Sessions overlapping [starts_at, ends_at): one bounded range of the time index
    (a session overlapping it started at most LONGEST_SESSION before `starts_at`)."""
    return and_(Session.starts_at < ends_at, ending_after(starts_at))


def find_conflicts(
    starts_at: datetime,
    ends_at: datetime,
    lecturer_ids: Iterable[int],
    academy_ids: Iterable[int],
    exclude_session_id: int | None = None,
) -> list[Conflict]:
    """Live sessions overlapping [starts_at, ends_at) that share a lecturer or an academy."""
    lecturer_ids, academy_ids = set(lecturer_ids), set(academy_ids)
    if not lecturer_ids and not academy_ids:
        return []
    query = (
        db.select(Session)
        .where(*_overlapping_shared(starts_at, ends_at, lecturer_ids, academy_ids))
        .options(selectinload(Session.lecturers), selectinload(Session.academies))
        .order_by(Session.starts_at)
    )
    if exclude_session_id is not None:
        query = query.where(Session.id != exclude_session_id)
    return [
        Conflict(
            session=other,
            lecturers=[u for u in other.lecturers if u.id in lecturer_ids],
            academies=[a for a in other.academies if a.id in academy_ids],
        )
        for other in db.session.execute(query).scalars()
    ]


def _overlapping_shared(
    starts_at: datetime, ends_at: datetime, lecturer_ids: set[int], academy_ids: set[int]
) -> list:
    """Where-clauses: live sessions overlapping [starts_at, ends_at) (the indexed range on
    starts_at, ends_at) that share one of these lecturers or academies."""
    shares = []
    if lecturer_ids:
        shares.append(
            Session.id.in_(
                db.select(session_lecturers.c.session_id).where(
                    session_lecturers.c.user_id.in_(lecturer_ids)
                )
            )
        )
    if academy_ids:
        shares.append(
            Session.id.in_(
                db.select(session_academies.c.session_id).where(
                    session_academies.c.academy_id.in_(academy_ids)
                )
            )
        )
    return [
        overlapping(starts_at, ends_at),
        Session.status != SessionStatus.CANCELLED,
        or_(*shares),
    ]


def busy_spans(
    starts_at: datetime,
    ends_at: datetime,
    lecturer_ids: Iterable[int],
    academy_ids: Iterable[int],
    exclude_session_id: int | None = None,
) -> list[tuple[datetime, datetime]]:
    """The (start, end) of every session find_conflicts would return, read as two columns
    in one query: for checking many candidate times where only the overlap matters."""
    lecturer_ids, academy_ids = set(lecturer_ids), set(academy_ids)
    if not lecturer_ids and not academy_ids:
        return []
    query = db.select(Session.starts_at, Session.ends_at).where(
        *_overlapping_shared(starts_at, ends_at, lecturer_ids, academy_ids)
    )
    if exclude_session_id is not None:
        query = query.where(Session.id != exclude_session_id)
    return [(row.starts_at, row.ends_at) for row in db.session.execute(query)]


def conflicts_for_session(session: Session) -> list[Conflict]:
    """The conflicts of a stored session (none once it is cancelled)."""
    if session.is_cancelled:
        return []
    return find_conflicts(
        session.starts_at,
        session.ends_at,
        [u.id for u in session.lecturers],
        [a.id for a in session.academies],
        exclude_session_id=session.id,
    )


def conflicting_session_ids(
    session_ids: Iterable[int], spans: list[tuple[datetime, datetime]] | None = None
) -> set[int]:
    """Which of these sessions overlap another live session sharing a lecturer or academy.

    A constant number of queries whatever the number of sessions, so a schedule page can
    mark them all. `spans` (each session's start and end), when the caller has them, lets
    the database read only the sessions overlapping one of them (a few bounded ranges of
    the time index, however many years the table holds) and pair them here, instead of
    joining every session of each lecturer and academy.
    """
    ids = list(session_ids)
    if not ids:
        return set()
    if spans:
        return _conflicts_in_spans(ids, spans)
    mine, other = aliased(Session), aliased(Session)
    overlap = and_(
        other.id != mine.id,
        other.starts_at < mine.ends_at,
        other.ends_at > mine.starts_at,
        other.status != SessionStatus.CANCELLED,
        mine.status != SessionStatus.CANCELLED,
    )
    found: set[int] = set()
    for link, key in ((session_lecturers, "user_id"), (session_academies, "academy_id")):
        a, b = link.alias(), link.alias()
        query = (
            db.select(mine.id)
            .distinct()
            .join(a, a.c.session_id == mine.id)
            .join(b, and_(b.c[key] == a.c[key], b.c.session_id != mine.id))
            .join(other, other.id == b.c.session_id)
            .where(mine.id.in_(ids), overlap)
        )
        found.update(db.session.execute(query).scalars())
    return found


def _merged(spans: list[tuple[datetime, datetime]]) -> list[tuple[datetime, datetime]]:
    """The spans with overlapping or touching ones joined: fewer, disjoint index ranges."""
    merged: list[tuple[datetime, datetime]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1] + LONGEST_SESSION:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def _conflicts_in_spans(ids: list[int], spans: list[tuple[datetime, datetime]]) -> set[int]:
    """conflicting_session_ids given the sessions' spans: one query, pairs in Python.

    The live sessions overlapping the spans (bounded ranges of the (starts_at, ends_at)
    B-tree), each with its lecturers and academies, in one statement. A GiST index on
    tstzrange(starts_at, ends_at) was measured on PostgreSQL at 20,000 sessions: it
    reads the same 31 index entries and 34 buffers as the bounded B-tree range for a
    page's day, and was no faster, so SQLite and PostgreSQL share this path.
    """
    live = or_(*(overlapping(start, end) for start, end in _merged(spans)))
    reads = [
        db.select(Session.id, Session.starts_at, Session.ends_at, literal(tag), link.c[key])
        .join(link, link.c.session_id == Session.id)
        .where(live, Session.status != SessionStatus.CANCELLED)
        for link, key, tag in (
            (session_lecturers, "user_id", "lecturer"),
            (session_academies, "academy_id", "academy"),
        )
    ]
    spans_of: dict[int, tuple[datetime, datetime]] = {}
    shared: dict[int, set[tuple[str, int]]] = {}
    for session_id, starts_at, ends_at, tag, value in db.session.execute(union_all(*reads)):
        spans_of[session_id] = (starts_at, ends_at)
        shared.setdefault(session_id, set()).add((tag, value))
    found: set[int] = set()
    for mine in set(ids) & spans_of.keys():
        mine_starts, mine_ends = spans_of[mine]
        for other, (other_starts, other_ends) in spans_of.items():
            if (
                other != mine
                and other_starts < mine_ends
                and other_ends > mine_starts
                and shared[mine] & shared[other]
            ):
                found.add(mine)
                break
    return found
