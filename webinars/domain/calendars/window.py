"""The stretch of time a feed covers, and shortening it to what a feed may hold.

A feed holds every published session from DAYS_BACK before today to DAYS_AHEAD after;
one that would hold too much gets a shorter window, cut at whole UTC days, and says so.
The same window and words for the same day in every process, so that ETags hold.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time, timedelta

from babel.dates import format_date
from flask_babel import force_locale
from flask_babel import gettext as _

from webinars.models import Session, SessionStatus

DAYS_BACK = 90  # sessions that ended longer ago leave the feeds
DAYS_AHEAD = 400  # sessions further ahead are not in the feeds yet
CANCELLED_KEEP_DAYS = 7  # a cancelled session stays, marked, until a week after its date


@dataclass(frozen=True)
class FeedWindow:
    """The stretch of time a feed covers, fixed for a whole UTC day.

    Every published session inside it is in the feed: a feed with more sessions than it
    may hold gets a shorter window (`narrowed`), never a silent gap.
    """

    today: date
    start: datetime  # sessions ending before this are left out
    end: datetime  # sessions starting at or after this are left out
    cancelled_cutoff: datetime  # cancelled sessions ending before this are left out
    narrowed: bool = False  # shorter than DAYS_BACK/DAYS_AHEAD: the feed holds too much

    @property
    def midnight(self) -> datetime:
        """The start of the window's day: sessions ending before it are past."""
        return datetime.combine(self.today, time(0), tzinfo=UTC)

    def shortened(self, *, start: datetime | None = None, end: datetime | None = None):
        """This window with a later start or an earlier end, marked as narrowed."""
        start = max(self.start, start) if start is not None else self.start
        end = min(self.end, end) if end is not None else self.end
        return replace(self, start=start, end=max(start, end), narrowed=True)

    def first_day(self) -> date:
        """The first UTC day whose sessions are in the feed."""
        return self.start.date()

    def last_day(self) -> date:
        """The last UTC day on which sessions starting are in the feed."""
        return (self.end - timedelta(microseconds=1)).date()

    def includes(self, session: Session) -> bool:
        """Whether a published session belongs in a feed on this day."""
        if session.status is SessionStatus.DRAFT:
            return False
        if session.ends_at < self.start or session.starts_at >= self.end:
            return False
        return not (session.is_cancelled and session.ends_at < self.cancelled_cutoff)


def feed_window(today: date | None = None) -> FeedWindow:
    """The window of the feeds on `today` (UTC date; default: now)."""
    today = today or datetime.now(UTC).date()
    midnight = datetime.combine(today, time(0), tzinfo=UTC)
    return FeedWindow(
        today=today,
        start=midnight - timedelta(days=DAYS_BACK),
        end=midnight + timedelta(days=DAYS_AHEAD),
        cancelled_cutoff=midnight - timedelta(days=CANCELLED_KEEP_DAYS),
    )


def window_description(window: FeedWindow, locale: str, more_url: str | None = None) -> str:
    """What a feed covers, in `locale`, for its DESCRIPTION and X-WR-CALDESC.

    A narrowed window says why and where the other dates are. The same words for the
    same window in every process (no clock, no request): ETags hold.
    """
    first = format_date(window.first_day(), "long", locale=locale)
    last = format_date(window.last_day(), "long", locale=locale)
    with force_locale(locale):
        parts = [_("Sessions from %(first)s to %(last)s (UTC dates).", first=first, last=last)]
        if window.narrowed:
            parts.append(
                _(
                    "This calendar holds only these dates: with more, it would be too"
                    " large for calendar apps to read whole."
                )
            )
            if more_url:
                parts.append(
                    _(
                        "For other dates, subscribe to a narrower calendar (one academy,"
                        " one lecturer or one kind): %(url)s",
                        url=more_url,
                    )
                )
    return " ".join(parts)


def day_start(moment: datetime) -> datetime:
    """The start (00:00 UTC) of the UTC day a moment falls on."""
    return datetime.combine(moment.astimezone(UTC).date(), time(0), tzinfo=UTC)


def fit_window(
    sessions: Sequence[Session], window: FeedWindow, budget: int, cost: Callable[[Session], int]
) -> tuple[list[Session], FeedWindow]:
    """The sessions and the window, shortened by whole UTC days until their total `cost`
    fits `budget`: the furthest days ahead go first, then (nothing ahead left) the oldest
    days past. Everything inside the returned window is kept, so the feed stays complete
    for the window it states."""
    total = sum(cost(s) for s in sessions)
    if total <= budget:
        return list(sessions), window
    midnight = window.midnight
    ahead = [s for s in sessions if s.ends_at >= midnight]
    ahead.sort(key=lambda s: (s.starts_at, s.id))
    past = [s for s in sessions if s.ends_at < midnight]
    while total > budget and ahead:
        cut = day_start(ahead[-1].starts_at)
        while ahead and ahead[-1].starts_at >= cut:
            total -= cost(ahead.pop())
        window = window.shortened(end=cut)
    past = [s for s in past if s.starts_at < window.end]
    total = sum(cost(s) for s in [*ahead, *past])
    past.sort(key=lambda s: (s.ends_at, s.id), reverse=True)  # oldest last: pop() drops it
    while total > budget and past:
        cut = day_start(past[-1].ends_at) + timedelta(days=1)
        while past and past[-1].ends_at < cut:
            total -= cost(past.pop())
        window = window.shortened(start=cut)
    return sorted([*ahead, *past], key=lambda s: (s.starts_at, s.id)), window
