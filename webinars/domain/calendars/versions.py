"""Last-Modified that only moves forward, for every feed and download.

Each answer's Last-Modified is worked out from the data (the latest change among what
the feed shows), but data can only say when something still there changed: when an
event leaves a feed (a registration cancelled, a session set back to draft or made
partners-only, an academy taken off a session, a session leaving the window, a row
deleted), the latest remaining change may be older than the Last-Modified a client
already holds, and that client's `If-Modified-Since` would then get 304 for ever.

So every feed remembers the hash of the body it last answered with and the
Last-Modified it gave. The same body keeps its Last-Modified (in every process); a new
body gets the later of the data's time and one second after the remembered one. A
client's `If-Modified-Since` is never later than a Last-Modified it was given, so any
new body is answered in full. A render notes at most one row; `keep_versions` commits it.
"""

from __future__ import annotations

import hashlib
from collections.abc import Collection
from dataclasses import replace
from datetime import datetime, timedelta

from sqlalchemy.exc import IntegrityError

from webinars.domain.calendars.cache import FEEDS_UNCHANGED, RenderedFeed
from webinars.extensions import db
from webinars.models import FeedVersion

STEP = timedelta(seconds=1)  # HTTP dates have whole seconds
FORGET_BATCH = 500  # keys per DELETE: well inside every database's parameter limit


def whole_seconds(moment: datetime) -> datetime:
    """`moment` rounded up to a whole second, so a later change never looks older."""
    if moment.microsecond:
        return moment.replace(microsecond=0) + STEP
    return moment


def feed_key(identity: str) -> str:
    """The stored key of a feed's identity (a hash: a token or an email never lands in it)."""
    return hashlib.sha256(identity.encode("utf-8")).hexdigest()


def forget_versions(identities: Collection[str]) -> int:
    """Delete the remembered versions of feeds that no longer answer with a body (e.g. a
    replaced personal address, now 410 Gone). Returns how many rows went; the caller
    commits."""
    keys = [feed_key(identity) for identity in identities]
    gone = 0
    for start in range(0, len(keys), FORGET_BATCH):
        result = db.session.execute(
            db.delete(FeedVersion).where(FeedVersion.key.in_(keys[start : start + FORGET_BATCH])),
            execution_options={"synchronize_session": False},
        )
        gone += result.rowcount or 0
    return gone


def settled(identity: str, feed: RenderedFeed) -> RenderedFeed:
    """`feed` with a Last-Modified that is never earlier than one given before for it.

    `identity` names the feed and every choice that changes its body except the data
    (filters, language, reader), e.g. "personal:<token id>".
    """
    key = feed_key(identity)
    computed = whole_seconds(feed.last_modified)
    row = db.session.get(FeedVersion, key)
    if row is None:
        db.session.add(FeedVersion(key=key, etag=feed.etag, last_modified=computed))
        return replace(feed, last_modified=computed)
    if row.etag == feed.etag:
        return replace(feed, last_modified=row.last_modified)
    moved = max(computed, row.last_modified + STEP)
    row.etag, row.last_modified = feed.etag, moved
    return replace(feed, last_modified=moved)


def keep_versions() -> None:
    """Commit the versions renders noted, if any (a GET's only write).

    Such a commit changes nothing feeds show, so the feed fingerprint remembered in
    this process stays valid. Two processes rendering the same new feed at once both
    note it; the second commit then fails on the key and is dropped: the first one's
    row says the same.
    """
    pending = [*db.session.new, *db.session.dirty]
    if not pending:
        return
    if all(isinstance(row, FeedVersion) for row in pending):
        db.session.info[FEEDS_UNCHANGED] = True
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
    finally:
        db.session.info.pop(FEEDS_UNCHANGED, None)
