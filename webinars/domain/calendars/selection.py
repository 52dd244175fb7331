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
from webinars.domain.calendars.events import (
    CANCELLED_KEEP_DAYS,
    DAYS_AHEAD,
    DAYS_BACK,
    FeedWindow,
    feed_window,
    language_name,
    render_feed,
)
from webinars.domain.calendars.versions import settled
from webinars.domain.sessions.filters import taught_by, with_academy
from webinars.domain.sessions.kinds import KIND_LABELS
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


def feed_query(spec: FeedSpec, window: FeedWindow) -> Select[tuple[Session]]:
    """The sessions of a feed inside its window, with what the events show loaded."""
    cancelled_gone = (Session.status == SessionStatus.CANCELLED) & (
        Session.ends_at < window.cancelled_cutoff
    )
    return (
        db.select(Session)
        .where(*_conditions(spec))
        .where(Session.ends_at >= window.start, Session.starts_at < window.end)
        .where(~cancelled_gone)
        .options(
            selectinload(Session.lecturers),
            selectinload(Session.academies),
            selectinload(Session.guest_speakers),
        )
        .order_by(Session.starts_at, Session.id)
    )


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


def window_changed_at(spec: FeedSpec, window: FeedWindow, sessions: list[Session]) -> datetime:
    """The last midnight at which the moving window added or dropped one of this feed's
    sessions (midnight of the window's first day at the latest; 2000-01-01 if never)."""
    midnight = datetime.combine(window.today, time(0), tzinfo=UTC)
    moments = [
        _next_midnight(s.starts_at - timedelta(days=DAYS_AHEAD)) for s in sessions
    ]  # when each entered the window at its far end
    conditions = _conditions(spec)
    left = db.session.execute(
        db.select(func.max(Session.ends_at)).where(*conditions, Session.ends_at < window.start)
    ).scalar()
    if left is not None:
        moments.append(_next_midnight(left + timedelta(days=DAYS_BACK)))
    cancelled = db.session.execute(
        db.select(func.max(Session.ends_at)).where(
            *conditions,
            Session.status == SessionStatus.CANCELLED,
            Session.ends_at < window.cancelled_cutoff,
        )
    ).scalar()
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
    covers the academy or lecturer it names). Last-Modified is the latest of: any
    change to the data feeds show, and the last time the window moved a session in or
    out; if the size limit left sessions out, today's midnight (the kept set may shift
    daily); and never earlier than one given before with another body (`settled`).
    A render may note the feed's new version: the caller commits.
    """
    window = feed_window(today)
    cache = app_feed_cache()
    fingerprint = current_fingerprint()
    identity = ("feed", spec, locale)
    version = (window.today, fingerprint, time_zone_hint)

    def render() -> RenderedFeed:
        sessions = list(db.session.execute(feed_query(spec, window)).scalars())
        body = render_feed(
            sessions,
            name=name(),
            private=spec.private,
            locale=locale,
            time_zone_hint=time_zone_hint,
            today=window.today,
            events=cache.events,
        )
        changed = max(fingerprint.latest, window_changed_at(spec, window, sessions))
        if body.count(b"BEGIN:VEVENT\r\n") < len(sessions):
            changed = max(changed, datetime.combine(window.today, time(0), tzinfo=UTC))
        return settled(f"feed:{spec!r}:{locale}", rendered_feed(body, changed))

    return cache.get_or_render(identity, version, render)
