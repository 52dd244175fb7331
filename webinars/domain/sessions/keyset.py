"""Pages of a session list by position in time (keyset pagination), not by row number.

A page is "the next 25 after this session" (or "before", or "the last 25"), read as one
range of the (starts_at, ...) index: the hundredth page costs what the first does, and no
page counts the whole table. A cursor names a session's place, (starts_at, id), so a
page stays put when sessions are added or removed elsewhere in the list.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Select, and_, or_

from webinars.extensions import db
from webinars.models import Session

_CURSOR = re.compile(r"^(\d{1,18})\.(\d{1,18})$")


@dataclass(frozen=True)
class Cursor:
    """A place in the list: just after (or before) the session with this start and id."""

    starts_at: datetime
    id: int

    def token(self) -> str:
        """The cursor as it goes into a link: microseconds since 1970, a dot, the id."""
        moment = self.starts_at.astimezone(UTC)
        micros = (moment - datetime(1970, 1, 1, tzinfo=UTC)) // _MICROSECOND
        return f"{micros}.{self.id}"

    @classmethod
    def of(cls, session: Session) -> Cursor:
        """The place of `session`."""
        return cls(session.starts_at, session.id)


_MICROSECOND = datetime(1970, 1, 1, 0, 0, 0, 1, tzinfo=UTC) - datetime(1970, 1, 1, tzinfo=UTC)


def parse_cursor(text: str | None) -> Cursor | None:
    """The cursor a link carries, or None when there is none or it is not one of ours."""
    match = _CURSOR.match(text or "")
    if not match:
        return None
    try:
        starts_at = datetime(1970, 1, 1, tzinfo=UTC) + int(match.group(1)) * _MICROSECOND
    except OverflowError:
        return None
    return Cursor(starts_at, int(match.group(2)))


@dataclass(frozen=True)
class KeysetPage:
    """One page of sessions in (starts_at, id) order, and whether the list goes on."""

    items: list[Session]
    has_previous: bool
    has_next: bool

    @property
    def previous_cursor(self) -> Cursor | None:
        """Where the page before ends (its link asks for the sessions before this)."""
        return Cursor.of(self.items[0]) if self.items and self.has_previous else None

    @property
    def next_cursor(self) -> Cursor | None:
        """Where the page after starts (its link asks for the sessions after this)."""
        return Cursor.of(self.items[-1]) if self.items and self.has_next else None


def _after(cursor: Cursor, *, including: bool = False):
    """Sessions after the cursor's place (`including`: from it)."""
    # starts_at >= t bounds the index range; the OR settles ties on the id.
    tie = Session.id >= cursor.id if including else Session.id > cursor.id
    return and_(
        Session.starts_at >= cursor.starts_at, or_(Session.starts_at > cursor.starts_at, tie)
    )


def _before(cursor: Cursor, *, including: bool = False):
    """Sessions before the cursor's place (`including`: up to it)."""
    tie = Session.id <= cursor.id if including else Session.id < cursor.id
    return and_(
        Session.starts_at <= cursor.starts_at, or_(Session.starts_at < cursor.starts_at, tie)
    )


def _forward(query: Select[Any], limit: int) -> list[Session]:
    return list(
        db.session.execute(query.order_by(Session.starts_at, Session.id).limit(limit)).scalars()
    )


def _backward(query: Select[Any], limit: int) -> list[Session]:
    rows = db.session.execute(
        query.order_by(Session.starts_at.desc(), Session.id.desc()).limit(limit)
    ).scalars()
    return list(reversed(list(rows)))


def _exists(query: Select[Any]) -> bool:
    return db.session.execute(query.with_only_columns(Session.id).limit(1)).first() is not None


def keyset_page(
    query: Select[tuple[Session]],
    per_page: int,
    *,
    after: Cursor | None = None,
    before: Cursor | None = None,
    last: bool = False,
) -> KeysetPage:
    """A page of `query` (unordered; its filters and loader options kept): the first, the
    one after or before a cursor, or the last. At most two statements, each one range
    of the time index, whatever the page."""
    if before is not None:
        items = _backward(query.where(_before(before)), per_page + 1)
        more_before = len(items) > per_page
        items = items[-per_page:]
        return KeysetPage(items, more_before, _exists(query.where(_after(before, including=True))))
    if last:
        items = _backward(query, per_page + 1)
        return KeysetPage(items[-per_page:], len(items) > per_page, False)
    if after is not None:
        items = _forward(query.where(_after(after)), per_page + 1)
        more_after = len(items) > per_page
        earlier = _exists(query.where(_before(after, including=True)))
        return KeysetPage(items[:per_page], earlier, more_after)
    items = _forward(query, per_page + 1)
    return KeysetPage(items[:per_page], False, len(items) > per_page)
