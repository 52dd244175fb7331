"""Whole public pages for anonymous visitors, rendered once and served to everyone alike.

When a popular master class is announced, thousands of students load the home page, the
catalogue and the session's page at once, and every one of them would get the same HTML
for the same address, language and time zone. Those pages are kept here, in each worker
process, and a kept page costs about what /healthz costs.

What a kept page depends on, and how it is dropped:
- the data the pages show (sessions, people, academies): the feeds' data fingerprint
  (domain.calendars.selection.current_fingerprint) is part of the entry's version. A
  commit in this process forgets the fingerprint at once, other processes read it again
  within FEED_FINGERPRINT_SECONDS, so an edit, a cancellation or a new session shows on
  the next request (elsewhere within those seconds);
- seats left (the catalogue): a commit in this process that adds or changes a
  registration drops the pages that show seats at once; in other processes, and for
  holds that run out by the clock, they refresh within PUBLIC_PAGE_CACHE_SECONDS;
- what moves by the clock alone (what has started, what closed): an entry lives at most
  PUBLIC_PAGE_CACHE_SECONDS;
- who asks: only anonymous GETs with no message waiting (a flash) are served from or put
  into the cache; the key is the path and query string, the page's language and the
  visitor's time zone cookie;
- the visitor's own CSRF token (the language switch is a form): the page is kept with a
  placeholder and each answer gets the visitor's own token, never another's.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from functools import wraps
from typing import Any

from flask import Flask, Response, current_app, g, has_app_context, request, session
from flask_babel import get_locale
from flask_login import current_user
from flask_wtf.csrf import generate_csrf
from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session as OrmSession
from sqlalchemy.sql import visitors

from webinars.domain.calendars.selection import current_fingerprint
from webinars.i18n import viewer_zone
from webinars.models import Registration

EXTENSION_KEY = "webinars.page_cache"
# Stands in for the CSRF token in a kept page; replaced by each visitor's own.
TOKEN_PLACEHOLDER = "csrf-token-placeholder-5c1f0e9a"
_TOKEN_BYTES = TOKEN_PLACEHOLDER.encode()


@dataclass(frozen=True)
class KeptPage:
    """A rendered page with the version of the data it shows and when it goes stale."""

    version: Hashable
    expires: float  # time.monotonic()
    body: bytes
    content_type: str


class PageCache:
    """Thread-safe pages by key, least recently used out past `max_bytes`."""

    def __init__(self, max_bytes: int) -> None:
        self.max_bytes = max_bytes
        self._entries: OrderedDict[Hashable, KeptPage] = OrderedDict()
        self._size = 0
        self._lock = threading.Lock()
        self.renders = 0  # pages rendered to be kept: tests and benchmarks read it
        self.seats_changed = 0  # bumped by every commit here that touched a registration

    def get(self, key: Hashable, version: Hashable, now: float) -> KeptPage | None:
        """The page kept for `key` if it was made for `version` and is still fresh."""
        with self._lock:
            page = self._entries.get(key)
            if page is None or page.version != version or page.expires <= now:
                return None
            self._entries.move_to_end(key)
            return page

    def put(self, key: Hashable, page: KeptPage) -> None:
        """Keep a page, replacing the key's older one and the least recently used."""
        with self._lock:
            self.renders += 1
            old = self._entries.pop(key, None)
            if old is not None:
                self._size -= len(old.body)
            if len(page.body) > self.max_bytes:
                return
            self._entries[key] = page
            self._size += len(page.body)
            while self._size > self.max_bytes:
                _key, dropped = self._entries.popitem(last=False)
                self._size -= len(dropped.body)

    def clear(self) -> None:
        """Forget every page."""
        with self._lock:
            self._entries.clear()
            self._size = 0


def app_page_cache() -> PageCache:
    """The current app's cache (one per app: test apps never share pages)."""
    cache = current_app.extensions.get(EXTENSION_KEY)
    if cache is None:
        limit = current_app.config["PUBLIC_PAGE_CACHE_MAX_BYTES"]
        cache = current_app.extensions.setdefault(EXTENSION_KEY, PageCache(limit))
    return cache


def _cacheable() -> bool:
    """An anonymous GET with no flashed message waiting: the same page for everyone."""
    return (
        request.method in ("GET", "HEAD")
        and current_app.config["PUBLIC_PAGE_CACHE_SECONDS"] > 0
        and not current_user.is_authenticated
        and "_flashes" not in session
    )


def _key() -> Hashable:
    args = tuple(sorted(request.args.items(multi=True)))
    return (request.path, args, str(get_locale()), viewer_zone())


def _answer(page: KeptPage) -> Response:
    """The kept page with this visitor's own CSRF token in it."""
    body = page.body.replace(_TOKEN_BYTES, generate_csrf().encode())
    return Response(body, content_type=page.content_type)


def public_page(*, seats: bool = False) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Serve an anonymous visitor the kept page when it is current, else render, keep
    and serve it; anyone else gets the view as it is. `seats`: the page shows seats
    left, so a registration committed here drops it too."""

    def decorate(view: Callable[..., Any]) -> Callable[..., Any]:
        return _cached(view, seats)

    return decorate


def _cached(view: Callable[..., Any], seats: bool) -> Callable[..., Any]:
    @wraps(view)
    def cached(*args: Any, **kwargs: Any) -> Any:
        if not _cacheable():
            return view(*args, **kwargs)
        cache = app_page_cache()
        version = (current_fingerprint(), cache.seats_changed if seats else None)
        key, now = _key(), time.monotonic()
        kept = cache.get(key, version, now)
        if kept is not None:
            return _answer(kept)
        token_field = current_app.config.get("WTF_CSRF_FIELD_NAME", "csrf_token")
        made_before = token_field in g  # Flask-WTF keeps the token it made in g
        g.page_cache_placeholder = True
        try:
            response = current_app.make_response(view(*args, **kwargs))
        finally:
            g.page_cache_placeholder = False
        real_token = not made_before and token_field in g  # e.g. a form's own field
        if response.status_code != 200 or response.mimetype != "text/html" or real_token:
            return _without_placeholder(response)
        seconds = current_app.config["PUBLIC_PAGE_CACHE_SECONDS"]
        kept = KeptPage(version, now + seconds, response.get_data(), response.content_type)
        cache.put(key, kept)
        return _answer(kept)

    return cached


def _without_placeholder(response: Response) -> Response:
    """An answer that is not kept (an error page): with the visitor's token after all."""
    if not response.direct_passthrough and not response.is_streamed:
        data = response.get_data()
        if _TOKEN_BYTES in data:
            response.set_data(data.replace(_TOKEN_BYTES, generate_csrf().encode()))
    return response


def _note_registrations(conn: Any, statement: Any, *_args: Any) -> None:
    """Remember (until the commit) that this app context wrote to the registrations
    table: ORM flushes and the core statements registration uses alike."""
    if not getattr(statement, "is_dml", False) or not has_app_context():
        return
    # Also inside a CTE: on PostgreSQL a sign-up inserts its registration in a WITH of
    # the statement that queues its email (domain.registration.rows).
    if any(element is _TABLE for element in visitors.iterate(statement)):
        g.page_cache_seats = True


def _seats_committed(_orm_session: OrmSession) -> None:
    """A committed registration change: pages showing seats left are out of date."""
    if has_app_context() and g.pop("page_cache_seats", False):
        cache = current_app.extensions.get(EXTENSION_KEY)
        if cache is not None:
            cache.seats_changed += 1


def _seats_rolled_back(_orm_session: OrmSession) -> None:
    if has_app_context():
        g.pop("page_cache_seats", None)


_TABLE = Registration.__table__
event.listen(Engine, "after_execute", _note_registrations)
event.listen(OrmSession, "after_commit", _seats_committed)
event.listen(OrmSession, "after_rollback", _seats_rolled_back)


def _csrf_token() -> str:
    """csrf_token() in templates: the placeholder while a page is rendered to be kept."""
    if g.get("page_cache_placeholder"):
        return TOKEN_PLACEHOLDER
    return generate_csrf()


def init_app(app: Flask) -> None:
    """Let templates rendered for the cache carry the placeholder instead of a token
    (Flask-WTF offers csrf_token both as a global and from a context processor)."""
    app.jinja_env.globals["csrf_token"] = _csrf_token
    app.context_processor(lambda: {"csrf_token": _csrf_token})
