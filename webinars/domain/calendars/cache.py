"""Rendered feeds kept in memory, so a poll that finds nothing new costs almost nothing.

Each feed (its identity: which feed, filters, language) keeps its latest rendering with
the version it was made for: the feed's day and a fingerprint of the data that feeds
show. A new version renders again and replaces the old one, so a change is seen on the
next poll, and stale renderings never pile up. The cache lives in each worker process
(one per app):
every worker renders a feed once per change, and all of them render the same bytes.
"""

from __future__ import annotations

import hashlib
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from datetime import datetime

from flask import current_app, has_app_context
from sqlalchemy import event
from sqlalchemy.orm import Session as OrmSession

from webinars.observability.metrics import FEED_REQUESTS

EXTENSION_KEY = "webinars.feed_cache"
# Set in a database session's `info` by a commit that writes only feed versions
# (domain.calendars.versions): it changes nothing feeds show, so the fingerprint stays.
FEEDS_UNCHANGED = "webinars.feeds_unchanged"


@dataclass(frozen=True)
class RenderedFeed:
    """A feed's bytes with the validators HTTP needs."""

    body: bytes
    etag: str  # strong: the body's SHA-256, unquoted
    last_modified: datetime


def rendered_feed(body: bytes, last_modified: datetime) -> RenderedFeed:
    """Wrap freshly rendered bytes, computing their strong ETag."""
    return RenderedFeed(body, hashlib.sha256(body).hexdigest(), last_modified)


class EventMemo:
    """Rendered VEVENT bytes by everything that goes into them, least recently used out.

    Shared by every feed of an app: after a change, only the changed events render
    again, whichever feeds show them.
    """

    def __init__(self, max_entries: int = 50_000) -> None:
        self.max_entries = max_entries
        self._entries: OrderedDict[Hashable, bytes] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Hashable) -> bytes | None:
        """The bytes rendered for `key`, or None."""
        with self._lock:
            data = self._entries.get(key)
            if data is not None:
                self._entries.move_to_end(key)
            return data

    def put(self, key: Hashable, data: bytes) -> None:
        """Remember an event's bytes."""
        with self._lock:
            self._entries[key] = data
            self._entries.move_to_end(key)
            while len(self._entries) > self.max_entries:
                self._entries.popitem(last=False)

    def clear(self) -> None:
        """Forget every event."""
        with self._lock:
            self._entries.clear()


class FeedCache:
    """A thread-safe map of feed identity -> (version, rendering), bounded in bytes."""

    def __init__(self, max_bytes: int) -> None:
        self.max_bytes = max_bytes
        self._entries: OrderedDict[Hashable, tuple[Hashable, RenderedFeed]] = OrderedDict()
        self._size = 0
        self._lock = threading.Lock()
        self.renders = 0  # how many times a feed was rendered: tests and benchmarks read it
        self._fingerprint: tuple[float, Hashable] | None = None  # (expires, value)
        self.events = EventMemo()

    def get(self, identity: Hashable, version: Hashable) -> RenderedFeed | None:
        """The rendering of `identity` made for `version`, or None."""
        with self._lock:
            entry = self._entries.get(identity)
            if entry is None or entry[0] != version:
                return None
            self._entries.move_to_end(identity)
            return entry[1]

    def put(self, identity: Hashable, version: Hashable, feed: RenderedFeed) -> None:
        """Keep a rendering, replacing older versions and the least recently used feeds."""
        with self._lock:
            old = self._entries.pop(identity, None)
            if old is not None:
                self._size -= len(old[1].body)
            if len(feed.body) > self.max_bytes:
                return
            self._entries[identity] = (version, feed)
            self._size += len(feed.body)
            while self._size > self.max_bytes:
                _identity, (_version, dropped) = self._entries.popitem(last=False)
                self._size -= len(dropped.body)

    def clear(self) -> None:
        """Forget every rendering."""
        with self._lock:
            self._entries.clear()
            self._size = 0
            self._fingerprint = None
        self.events.clear()

    def fingerprint(self, seconds: float, compute: Callable[[], Hashable]) -> Hashable:
        """The data fingerprint, computed at most once every `seconds` (0: every time).

        A commit in this process forgets it at once (see `forget_fingerprint`); other
        processes see a change within `seconds`.
        """
        now = time.monotonic()
        memo = self._fingerprint
        if seconds > 0 and memo is not None and now < memo[0]:
            return memo[1]
        value = compute()
        if seconds > 0:
            self._fingerprint = (now + seconds, value)
        return value

    def forget_fingerprint(self) -> None:
        """Make the next poll read the fingerprint from the database."""
        self._fingerprint = None

    def get_or_render(
        self, identity: Hashable, version: Hashable, render: Callable[[], RenderedFeed]
    ) -> RenderedFeed:
        """The cached rendering for `version`, or a new one from `render()`, kept."""
        cached = self.get(identity, version)
        if cached is not None:
            FEED_REQUESTS.labels("hit").inc()
            return cached
        FEED_REQUESTS.labels("render").inc()
        feed = render()
        with self._lock:
            self.renders += 1
        self.put(identity, version, feed)
        return feed


def _forget_after_commit(session: OrmSession) -> None:
    """Any commit in this process may have changed what feeds show."""
    if session.info.pop(FEEDS_UNCHANGED, False):
        return
    if has_app_context():
        cache = current_app.extensions.get(EXTENSION_KEY)
        if cache is not None:
            cache.forget_fingerprint()


event.listen(OrmSession, "after_commit", _forget_after_commit)


def app_feed_cache() -> FeedCache:
    """The current app's cache (one per app, so test apps never share renderings)."""
    cache = current_app.extensions.get(EXTENSION_KEY)
    if cache is None:
        limit = current_app.config["FEED_CACHE_MAX_BYTES"]
        cache = current_app.extensions.setdefault(EXTENSION_KEY, FeedCache(limit))
    return cache
