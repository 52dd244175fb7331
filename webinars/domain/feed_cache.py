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
from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from datetime import datetime

from flask import current_app

DEFAULT_MAX_BYTES = 64 * 1024 * 1024
EXTENSION_KEY = "webinars.feed_cache"


@dataclass(frozen=True)
class RenderedFeed:
    """A feed's bytes with the validators HTTP needs."""

    body: bytes
    etag: str  # strong: the body's SHA-256, unquoted
    last_modified: datetime


def rendered_feed(body: bytes, last_modified: datetime) -> RenderedFeed:
    """Wrap freshly rendered bytes, computing their strong ETag."""
    return RenderedFeed(body, hashlib.sha256(body).hexdigest(), last_modified)


class FeedCache:
    """A thread-safe map of feed identity -> (version, rendering), bounded in bytes."""

    def __init__(self, max_bytes: int = DEFAULT_MAX_BYTES) -> None:
        self.max_bytes = max_bytes
        self._entries: OrderedDict[Hashable, tuple[Hashable, RenderedFeed]] = OrderedDict()
        self._size = 0
        self._lock = threading.Lock()
        self.renders = 0  # how many times a feed was rendered: tests and benchmarks read it

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

    def get_or_render(
        self, identity: Hashable, version: Hashable, render: Callable[[], RenderedFeed]
    ) -> RenderedFeed:
        """The cached rendering for `version`, or a new one from `render()`, kept."""
        cached = self.get(identity, version)
        if cached is not None:
            return cached
        feed = render()
        with self._lock:
            self.renders += 1
        self.put(identity, version, feed)
        return feed


def app_feed_cache() -> FeedCache:
    """The current app's cache (one per app, so test apps never share renderings)."""
    cache = current_app.extensions.get(EXTENSION_KEY)
    if cache is None:
        limit = current_app.config.get("FEED_CACHE_MAX_BYTES", DEFAULT_MAX_BYTES)
        cache = current_app.extensions.setdefault(EXTENSION_KEY, FeedCache(limit))
    return cache
