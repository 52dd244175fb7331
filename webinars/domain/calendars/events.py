"""iCalendar output for sessions: the events that every feed and download is made of.

What calendar clients need, and why each rule is here, is in shared/calendar/FEEDS.md.
In short: a UID that never changes; DTSTAMP = LAST-MODIFIED = the session's last change
and SEQUENCE from the database (never the clock); zone-aware times with a VTIMEZONE
built for the dates used; cancelled sessions kept, marked and prefixed for a while;
join links only where the reader may see them; and the same bytes for the same data in
every process, so that ETags hold.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import UTC, date, datetime, timedelta
from urllib.parse import urlsplit

from babel import Locale
from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from icalendar import Calendar, Event, vDuration, vText, vUri

from webinars.domain.calendars.cache import EventMemo
from webinars.domain.calendars.vtimezone import vtimezones, written_zone
from webinars.domain.calendars.window import FeedWindow, feed_window, fit_window, window_description
from webinars.domain.sessions.conferencing import join_links as links_of
from webinars.domain.sessions.kinds import KIND_LABELS
from webinars.domain.sessions.timezones import zone_info
from webinars.models import Session, SessionStatus, Visibility

PRODID = "-//Samarkand Children's Diseases Department//Webinars//EN"
FEED_CONTENT_TYPE = "text/calendar; charset=utf-8; method=PUBLISH"
MAX_FEED_BYTES = 1_000_000  # Google lost events from a 2 MB feed
DESCRIPTION_LIMIT = 600  # characters of the session's description; the page has the rest
REFRESH_INTERVAL = timedelta(hours=1)
ZONE_RESERVE = 1_000  # bytes set aside for a VTIMEZONE when a zone is first used


def calendar_host(base_url: str | None = None) -> str:
    """The host part of BASE_URL, used in every UID."""
    return urlsplit(base_url or current_app.config["BASE_URL"]).hostname or "localhost"


def session_uid(session: Session, base_url: str | None = None) -> str:
    """The event's UID, the same in every feed, download and emailed invitation, forever."""
    return f"session-{session.id}@{calendar_host(base_url)}"


def session_page_url(session: Session, base_url: str | None = None) -> str:
    """The public page of a session, on BASE_URL."""
    return f"{(base_url or current_app.config['BASE_URL']).rstrip('/')}/sessions/{session.id}"


def event_summary(session: Session) -> str:
    """The title; for a cancelled session, prefixed so that every client shows it."""
    if session.is_cancelled:
        return _("Cancelled: %(title)s", title=session.title)
    return session.title


def language_name(code: str, locale: str) -> str:
    """A language's name in `locale` (CLDR), e.g. 'ru' in 'uz': 'rus'."""
    name = Locale.parse(locale).languages.get(code)
    return name or code


def _people_lines(session: Session, locale: str) -> list[str]:
    lines = [f"{KIND_LABELS[session.kind]} · {language_name(session.language, locale)}"]
    lecturers = sorted(session.lecturers, key=lambda u: (u.name, u.id))
    if lecturers:
        lines.append(_("Lecturers: %(names)s", names=", ".join(u.name for u in lecturers)))
    guests = [
        f"{g.name} ({g.affiliation})" if g.affiliation else g.name
        for g in sorted(session.guest_speakers, key=lambda g: (g.position, g.id))
    ]
    if guests:
        lines.append(_("Guest speakers: %(names)s", names=", ".join(guests)))
    academies = sorted(session.academies, key=lambda a: (a.name_en, a.id))
    if academies:
        names = ", ".join(a.name_in(locale) for a in academies)
        lines.append(_("With: %(names)s", names=names))
    return lines


def event_description(session: Session, link: str | None, page_url: str | None, locale: str) -> str:
    """The event's text: the join link (or the page) first, then who, then what."""
    head: list[str] = []
    if session.is_cancelled:
        head.append(_("This session is cancelled."))
        if session.cancel_reason:
            head.append(_("Reason: %(reason)s", reason=session.cancel_reason))
    elif link:
        head.append(link)
    if page_url:
        head.append(page_url if not link else _("Details: %(url)s", url=page_url))
    text = (session.description or "").strip()
    if len(text) > DESCRIPTION_LIMIT:
        text = text[:DESCRIPTION_LIMIT].rstrip() + "…"
    parts = ["\n".join(head), "\n".join(_people_lines(session, locale)), text]
    return "\n\n".join(p for p in parts if p)


def _event_time(moment: datetime, zone: str | None) -> datetime:
    if zone is None:
        return moment.astimezone(UTC)
    return moment.astimezone(zone_info(zone))


def build_event(
    session: Session, *, link: str | None, locale: str, base_url: str | None = None
) -> Event:
    """One VEVENT. `link` is the join link for readers who may see it, else None.

    Call inside `force_locale(locale)`: the labels are translated.
    """
    event = Event()
    changed = session.updated_at.astimezone(UTC)
    event.add("uid", session_uid(session, base_url))
    event.add("dtstamp", changed)
    event.add("last-modified", changed)
    event.add("sequence", session.sequence)
    zone = written_zone(session.time_zone, session.starts_at, session.ends_at)
    event.add("dtstart", _event_time(session.starts_at, zone))
    event.add("dtend", _event_time(session.ends_at, zone))
    event.add("summary", event_summary(session))
    public = session.visibility is Visibility.PUBLIC
    page_url = session_page_url(session, base_url) if public else None
    event.add("description", event_description(session, link, page_url, locale))
    event.add("categories", [str(KIND_LABELS[session.kind])])
    event.add("status", "CANCELLED" if session.is_cancelled else "CONFIRMED")
    if page_url:
        event.add("url", vUri(page_url))
    if link:
        event.add("location", vText(link))
        event.add(
            "conference",
            vUri(link),
            parameters={"VALUE": "URI", "FEATURE": ["AUDIO", "VIDEO"], "LABEL": _("Join")},
        )
    return event


def event_key(session: Session, link: str | None, locale: str, base_url: str) -> tuple:
    """Everything an event's bytes depend on: equal keys give equal bytes."""
    return (
        session.id,
        session.updated_at,
        session.sequence,
        session.status,
        session.visibility,
        session.kind,
        session.title,
        session.description,
        session.language,
        session.starts_at,
        session.ends_at,
        session.time_zone,
        session.cancel_reason,
        tuple((u.id, u.name) for u in session.lecturers),
        tuple((g.id, g.position, g.name, g.affiliation) for g in session.guest_speakers),
        tuple((a.id, a.name_en, a.name_ru, a.name_uz) for a in session.academies),
        link,
        locale,
        base_url,
    )


def _calendar_shell(name: str, time_zone_hint: str | None, description: str | None) -> Calendar:
    calendar = Calendar()
    calendar.add("version", "2.0")
    calendar.add("prodid", PRODID)
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("name", name)
    calendar.add("x-wr-calname", name)
    if description:
        # RFC 7986's DESCRIPTION, and X-WR-CALDESC for Apple and Google.
        calendar.add("description", description)
        calendar.add("x-wr-caldesc", description)
    if time_zone_hint:
        calendar.add("x-wr-timezone", time_zone_hint)
    # Set by hand: the plain setter drops VALUE=DURATION and an X- property would
    # otherwise be written as "1:00:00".
    calendar.add("refresh-interval", vDuration(REFRESH_INTERVAL), parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", vDuration(REFRESH_INTERVAL))
    return calendar


def render_feed(
    sessions: Iterable[Session],
    *,
    name: str,
    private: bool,
    locale: str,
    join_links: Mapping[int, str | None] | None = None,
    base_url: str | None = None,
    time_zone_hint: str | None = None,
    today: date | None = None,
    windowed: bool = True,
    window: FeedWindow | None = None,
    more_url: str | None = None,
    max_bytes: int = MAX_FEED_BYTES,
    events: EventMemo | None = None,
) -> bytes:
    """A whole calendar (VCALENDAR) of `sessions`, as the bytes to send.

    - `name`: the calendar's name (NAME and X-WR-CALNAME), already in `locale`.
    - `private`: False for public feeds, which never carry a join link (passing
      `join_links` then is an error). True for feeds whose reader may join: each
      event's link is `join_links[session.id]` when `join_links` is given (e.g. only
      the sessions a student holds a confirmed seat for), else the sessions' own links
      (`conferencing.join_links`, one query for all of them).
    - `locale`: "en", "ru" or "uz", for every label and the "Cancelled:" prefix.
    - `base_url`: for UIDs and page links (default: the app's BASE_URL).
    - `time_zone_hint`: X-WR-TIMEZONE, a hint for clients that want one.
    - `today`: the UTC date that fixes the window (default: today). Drafts are always
      left out; with `windowed`, so is everything outside `window` (default:
      `feed_window(today)`), and the feed says its window in DESCRIPTION/X-WR-CALDESC.
    - `more_url`: where a feed whose window had to shrink points for other dates.
    - `max_bytes`: the output stays under this. A windowed feed drops whole days (the
      furthest ahead first, then the oldest past) and states the shorter window; a
      single download (not windowed) drops the last events.
    - `events`: a memo of rendered events (e.g. `app_feed_cache().events`), so that
      only sessions that changed render again.

    The output depends only on these arguments and the sessions' data: the same input
    gives the same bytes in any process.
    """
    if not private and join_links is not None:
        raise ValueError("a public feed carries no join links")
    today = today or datetime.now(UTC).date()
    window = window or feed_window(today)
    chosen = [
        s
        for s in sessions
        if s.status is not SessionStatus.DRAFT and (not windowed or window.includes(s))
    ]
    base_url = base_url or current_app.config["BASE_URL"]
    if private and join_links is None:
        join_links = links_of(chosen)
    with force_locale(locale):
        rendered: dict[int, bytes] = {}
        for session in chosen:
            link = None
            if private and not session.is_cancelled:
                link = join_links.get(session.id)
            key = event_key(session, link, locale, base_url)
            data = events.get(key) if events is not None else None
            if data is None:
                data = build_event(session, link=link, locale=locale, base_url=base_url).to_ical()
                if events is not None:
                    events.put(key, data)
            rendered[session.id] = data
    if not windowed:
        return _assemble(_calendar_shell(name, time_zone_hint, None), chosen, rendered, max_bytes)
    # The shell's size with the longest description a narrowed window can have, and a
    # VTIMEZONE's reserve per zone: what the events may use of max_bytes.
    longest = window_description(window.shortened(), locale, more_url)
    overhead = len(_calendar_shell(name, time_zone_hint, longest).to_ical()) + 200
    overhead += ZONE_RESERVE * len({s.time_zone for s in chosen})
    while True:
        chosen, window = fit_window(
            chosen, window, max_bytes - overhead, lambda s: len(rendered[s.id])
        )
        description = window_description(window, locale, more_url)
        shell = _calendar_shell(name, time_zone_hint, description)
        body = _splice(shell, [(s, rendered[s.id]) for s in chosen])
        if len(body) <= max_bytes or not chosen:
            return body
        overhead += len(body) - max_bytes  # the reserve was too small: a zone with many rules


def _assemble(
    shell: Calendar, sessions: list[Session], rendered: Mapping[int, bytes], max_bytes: int
) -> bytes:
    """Put the events into the shell by start, dropping the last ones until it fits."""
    kept = sorted(sessions, key=lambda s: (s.starts_at, s.id))
    while True:
        body = _splice(shell.copy(), [(s, rendered[s.id]) for s in kept])
        if len(body) <= max_bytes or not kept:
            return body
        kept.pop()


def _splice(shell: Calendar, kept: list[tuple[Session, bytes]]) -> bytes:
    for zone in vtimezones((s.time_zone, s.starts_at, s.ends_at) for s, _data in kept):
        shell.add_component(zone)
    head = shell.to_ical()
    end = b"END:VCALENDAR\r\n"
    events = sorted(kept, key=lambda item: (item[0].starts_at, item[0].id))
    return head[: -len(end)] + b"".join(data for _s, data in events) + end
