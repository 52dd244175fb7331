"""Which sessions each feed shows, and when its content last changed.

Feeds and who may read them:
- all: every public session;
- academy (public): the public sessions that involve one partner academy;
- academy (private, by token): all of that academy's sessions, partners-only ones
  included, with join links;
- lecturer: one lecturer's public sessions.
Drafts appear in no feed. Every feed can be narrowed by kind and language.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import Integer, Select, column, func, text
from sqlalchemy.orm import selectinload

from webinars.domain.calendars.cache import RenderedFeed, app_feed_cache, rendered_feed
from webinars.domain.calendars.events import language_name, render_feed
from webinars.domain.calendars.versions import settled
from webinars.domain.calendars.window import (
    CANCELLED_KEEP_DAYS,
    DAYS_AHEAD,
    DAYS_BACK,
    FeedWindow,
    day_start,
    feed_window,
    fit_window,
)
from webinars.domain.sessions.filters import taught_by, with_academy
from webinars.domain.sessions.kinds import KIND_LABELS
from webinars.domain.sessions.rules import LONGEST_SESSION
from webinars.extensions import db
from webinars.models import (
    PartnerAcademy,
    Role,
    Session,
    SessionKind,
    SessionStatus,
    User,
    UTCDateTime,
    Visibility,
)

_LECTURER_SLUG = re.compile(r"^(\d+)(?:-[a-z0-9-]*)?$")


@dataclass(frozen=True)
class FeedFilters:
    """The `kind` and `lang` query filters; empty means all."""

    kinds: tuple[SessionKind, ...] = ()
    languages: tuple[str, ...] = ()


@dataclass(frozen=True)
class FeedSpec:
    """One feed: whose sessions, seen by whom, narrowed how."""

    academy_id: int | None = None
    lecturer_id: int | None = None
    private: bool = False  # partners-only sessions and join links (academy tokens only)
    filters: FeedFilters = field(default_factory=FeedFilters)


def feed_name(
    locale: str,
    *,
    academy: PartnerAcademy | None = None,
    lecturer: User | None = None,
    private: bool = False,
    filters: FeedFilters | None = None,
) -> str:
    """The calendar's name in `locale`: whose sessions, and the filters in brackets."""
    filters = filters or FeedFilters()
    with force_locale(locale):
        if academy is not None and private:
            base = _("%(academy)s: all sessions, with join links", academy=academy.name_in(locale))
        elif academy is not None:
            base = _("Sessions with %(academy)s", academy=academy.name_in(locale))
        elif lecturer is not None:
            base = _("Sessions of %(name)s", name=lecturer.name)
        else:
            base = _("International lectures: all sessions")
        extras = [str(KIND_LABELS[k]) for k in filters.kinds]
        extras += [language_name(code, locale) for code in filters.languages]
    return f"{base} ({', '.join(extras)})" if extras else base


def lecturer_slug(user: User) -> str:
    """The lecturer's part of a feed address: "12-aziza-karimova".

    Only the number counts when the address is read, so the address keeps working when
    the name changes or is written in another script (the words are ASCII only).
    """
    words = re.sub(r"[^a-z0-9]+", "-", user.name.lower()).strip("-")
    return f"{user.id}-{words}" if words else str(user.id)


def lecturer_from_slug(slug: str) -> User | None:
    """The lecturer (or admin who teaches) a feed slug names, or None."""
    match = _LECTURER_SLUG.match(slug)
    if not match:
        return None
    user = db.session.get(User, int(match.group(1)))
    if user is None or user.role not in (Role.LECTURER, Role.ADMIN):
        return None
    return user


def academy_from_slug(slug: str) -> PartnerAcademy | None:
    """The partner academy with this slug, or None."""
    return db.session.execute(
        db.select(PartnerAcademy).where(PartnerAcademy.slug == slug)
    ).scalar_one_or_none()


def _conditions(spec: FeedSpec) -> list:
    conditions: list = [Session.status != SessionStatus.DRAFT]
    if not spec.private:
        conditions.append(Session.visibility == Visibility.PUBLIC)
    if spec.academy_id is not None:
        conditions.append(with_academy(spec.academy_id))
    if spec.lecturer_id is not None:
        conditions.append(taught_by(spec.lecturer_id))
    if spec.filters.kinds:
        conditions.append(Session.kind.in_(spec.filters.kinds))
    if spec.filters.languages:
        conditions.append(Session.language.in_(spec.filters.languages))
    return conditions


# A session ending inside a window started at most LONGEST_SESSION before it, so every
# read below is one range of the (starts_at, ends_at) index, however many years the
# table holds.


def _in_window(window: FeedWindow) -> list:
    cancelled_gone = (Session.status == SessionStatus.CANCELLED) & (
        Session.ends_at < window.cancelled_cutoff
    )
    return [
        Session.starts_at >= window.start - LONGEST_SESSION,
        Session.starts_at < window.end,
        Session.ends_at >= window.start,
        ~cancelled_gone,
    ]


def feed_query(spec: FeedSpec, window: FeedWindow) -> Select[tuple[Session]]:
    """The sessions of a feed inside its window, with what the events show loaded."""
    return (
        db.select(Session)
        .where(*_conditions(spec), *_in_window(window))
        .options(
            selectinload(Session.lecturers),
            selectinload(Session.academies),
            selectinload(Session.guest_speakers),
        )
        .order_by(Session.starts_at, Session.id)
    )


def max_feed_events() -> int:
    """How many events a feed holds at most (FEED_MAX_EVENTS)."""
    return int(current_app.config["FEED_MAX_EVENTS"])


def feed_coverage(spec: FeedSpec, today: date | None = None) -> FeedWindow:
    """The window a feed covers: the full one (DAYS_BACK before today, DAYS_AHEAD after)
    when it holds at most FEED_MAX_EVENTS sessions, else a shorter one, cut at whole UTC
    days, that holds no more; upcoming sessions get the larger share, past ones at least
    a fifth when there are that many.

    Decided in SQL before anything is loaded or rendered: two reads of at most
    FEED_MAX_EVENTS + 1 rows of two columns, each one range of the time index, so the
    cost follows the feed's size, not the table's.
    """
    window = feed_window(today)
    limit = max_feed_events()
    midnight = window.midnight
    times = db.select(Session.starts_at, Session.ends_at).where(
        *_conditions(spec), *_in_window(window)
    )
    ahead = db.session.execute(
        times.where(Session.ends_at >= midnight, Session.starts_at >= midnight - LONGEST_SESSION)
        .order_by(Session.starts_at, Session.id)
        .limit(limit + 1)
    ).all()
    past = db.session.execute(
        times.where(Session.ends_at < midnight)
        .order_by(Session.starts_at.desc(), Session.id.desc())
        .limit(limit + 1)
    ).all()
    if len(ahead) + len(past) <= limit:
        return window
    past_share = min(len(past), max(limit // 5, limit - len(ahead)))
    ahead_share = limit - past_share
    if len(ahead) > ahead_share:
        first_left_out = ahead[ahead_share].starts_at
        window = window.shortened(end=day_start(first_left_out))
    if len(past) > past_share:
        first_left_out = past[past_share].ends_at
        window = window.shortened(start=day_start(first_left_out) + timedelta(days=1))
    return window


def feed_sessions(spec: FeedSpec, today: date | None = None) -> tuple[list[Session], FeedWindow]:
    """A feed's sessions and the window they complete, at most FEED_MAX_EVENTS of them."""
    window = feed_coverage(spec, today)
    sessions = list(db.session.execute(feed_query(spec, window)).scalars())
    # A session crossing the cut (long, over midnight) can tip the count: drop a day more.
    return fit_window(sessions, window, max_feed_events(), lambda _s: 1)


def subscribe_page_url() -> str:
    """The page listing the narrower feeds, which a shortened feed points to."""
    return f"{current_app.config['BASE_URL'].rstrip('/')}/calendars/"


@dataclass(frozen=True)
class Fingerprint:
    """A cheap summary of everything feeds show: any change to it changes this."""

    sessions: int
    sessions_changed: datetime | None
    users_changed: datetime | None
    academies_changed: datetime | None

    @property
    def latest(self) -> datetime:
        """The latest change among sessions, people and academies."""
        moments = [self.sessions_changed, self.users_changed, self.academies_changed]
        return max((m for m in moments if m is not None), default=datetime(2000, 1, 1, tzinfo=UTC))


# Plain SQL, built once: an idle poll runs only this, so it skips ORM statement building.
_FINGERPRINT = text(
    "SELECT (SELECT count(*) FROM sessions) AS sessions,"
    " (SELECT max(updated_at) FROM sessions) AS sessions_changed,"
    " (SELECT max(updated_at) FROM users) AS users_changed,"
    " (SELECT max(updated_at) FROM partner_academies) AS academies_changed"
).columns(
    column("sessions", Integer),
    column("sessions_changed", UTCDateTime),
    column("users_changed", UTCDateTime),
    column("academies_changed", UTCDateTime),
)


def data_fingerprint() -> Fingerprint:
    """One small query: session count and the latest change of sessions, users, academies.

    Every change to a session goes through scheduling, which moves `updated_at`; users
    and academies move theirs on any update. Counting sessions notices a deletion.
    """
    return Fingerprint(*db.session.connection().execute(_FINGERPRINT).one())


def current_fingerprint() -> Fingerprint:
    """The fingerprint, read from the database at most every FEED_FINGERPRINT_SECONDS.

    An idle poll then costs no query at all; a commit in this process forgets the
    remembered value at once, and other processes notice a change within that time.
    """
    seconds = current_app.config["FEED_FINGERPRINT_SECONDS"]
    return app_feed_cache().fingerprint(seconds, data_fingerprint)  # type: ignore[return-value]


def _next_midnight(moment: datetime) -> datetime:
    return datetime.combine(moment.astimezone(UTC).date(), time(0), tzinfo=UTC) + timedelta(days=1)


def _latest_end_before(conditions: list, moment: datetime) -> datetime | None:
    """The latest end among the sessions matching `conditions` that ended before
    `moment`: the latest start among them (a backward read of the time index), then the
    ends within LONGEST_SESSION of it, instead of reading every session of the past."""
    ended = [*conditions, Session.starts_at < moment, Session.ends_at < moment]
    latest_start = db.session.execute(
        db.select(Session.starts_at).where(*ended).order_by(Session.starts_at.desc()).limit(1)
    ).scalar()
    if latest_start is None:
        return None
    return db.session.execute(
        db.select(func.max(Session.ends_at)).where(
            *ended, Session.starts_at >= latest_start - LONGEST_SESSION
        )
    ).scalar()


def window_changed_at(spec: FeedSpec, window: FeedWindow, sessions: list[Session]) -> datetime:
    """The last midnight at which the moving window added or dropped one of this feed's
    sessions (midnight of the window's first day at the latest; 2000-01-01 if never)."""
    midnight = datetime.combine(window.today, time(0), tzinfo=UTC)
    moments = [
        _next_midnight(s.starts_at - timedelta(days=DAYS_AHEAD)) for s in sessions
    ]  # when each entered the window at its far end
    conditions = _conditions(spec)
    left = _latest_end_before(conditions, window.start)
    if left is not None:
        moments.append(_next_midnight(left + timedelta(days=DAYS_BACK)))
    cancelled = _latest_end_before(
        [*conditions, Session.status == SessionStatus.CANCELLED], window.cancelled_cutoff
    )
    if cancelled is not None:
        moments.append(_next_midnight(cancelled + timedelta(days=CANCELLED_KEEP_DAYS)))
    past = [m for m in moments if m <= midnight]
    return max(past, default=datetime(2000, 1, 1, tzinfo=UTC))


def published_feed(
    spec: FeedSpec,
    *,
    name: Callable[[], str],
    locale: str,
    time_zone_hint: str | None,
    today: date | None = None,
) -> RenderedFeed:
    """A feed's rendering, from the cache when nothing it shows has changed.

    `name()` gives the calendar's name; it is called only to render (the fingerprint
    covers the academy or lecturer it names). The window is `feed_coverage`'s: complete,
    shortened when the feed holds too much. Last-Modified is the latest of: any change
    to the data feeds show, and the last time the window moved a session in or out; if
    the window was shortened, today's midnight (its ends may shift daily); and never
    earlier than one given before with another body (`settled`). A render may note the
    feed's new version: the caller commits (`versions.keep_versions`).
    """
    window = feed_window(today)
    cache = app_feed_cache()
    fingerprint = current_fingerprint()
    identity = ("feed", spec, locale)
    version = (window.today, fingerprint, time_zone_hint)

    def render() -> RenderedFeed:
        sessions, coverage = feed_sessions(spec, window.today)
        body = render_feed(
            sessions,
            name=name(),
            private=spec.private,
            locale=locale,
            time_zone_hint=time_zone_hint,
            today=window.today,
            window=coverage,
            more_url=subscribe_page_url(),
            events=cache.events,
        )
        changed = max(fingerprint.latest, window_changed_at(spec, window, sessions))
        if coverage.narrowed or body.count(b"BEGIN:VEVENT\r\n") < len(sessions):
            # A shortened window may move every day, with no change to the data.
            changed = max(changed, window.midnight)
        return settled(f"feed:{spec!r}:{locale}", rendered_feed(body, changed))

    return cache.get_or_render(identity, version, render)
