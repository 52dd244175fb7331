"""HTTP for calendar feeds: validators, conditional answers, caching headers, log masking.

Reusable by any blueprint that serves a feed (the personal feed lives with registration):
`feed_response()` answers GET, HEAD and conditional requests; `mask_feed_tokens()` keeps
secret feed addresses out of logs.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import NoReturn

from flask import Flask, Response, abort, request
from werkzeug.http import http_date

from webinars.domain.calendars.cache import RenderedFeed, rendered_feed
from webinars.domain.calendars.events import FEED_CONTENT_TYPE
from webinars.domain.calendars.versions import keep_versions, settled
from webinars.models import utcnow
from webinars.web import path_secrets

# Clients poll on their own schedule (Google 8-24 h, Outlook ~3 h); this is for caches
# in between. Private feeds must never sit in a shared cache.
MAX_AGE = 900
# /calendars/academies/<slug>/<token>.ics and /calendars/personal/<token>.ics
_TOKEN_PATHS = (
    path_secrets.secret_after("calendars", "academies", None),
    path_secrets.secret_after("calendars", "personal"),
)


def mask_feed_tokens(text: str) -> str:
    """Replace every feed token in `text` by its first six characters and "…" (in any
    spelling of its path that reaches the feed: see webinars.web.path_secrets)."""
    return path_secrets.mask_secrets(text, *_TOKEN_PATHS)


def http_last_modified(moment: datetime, now: datetime | None = None) -> datetime:
    """Last-Modified in whole seconds: rounded up, so a later change never looks older,
    but never after the response's own Date (RFC 9110, 8.8.2.1)."""
    if moment.microsecond:
        moment = moment.replace(microsecond=0) + timedelta(seconds=1)
    return min(moment, (now or utcnow()).replace(microsecond=0))


def bytes_response(
    body: bytes,
    last_modified: datetime,
    *,
    identity: str,
    private: bool,
    filename: str | None = None,
    vary: tuple[str, ...] = (),
) -> Response:
    """`feed_response` for a body rendered here: its ETag computed and its Last-Modified
    kept from going back (`identity` names the feed, e.g. "personal:<token id>")."""
    feed = settled(identity, rendered_feed(body, last_modified))
    keep_versions()
    return feed_response(feed, private=private, filename=filename, vary=vary)


def feed_response(
    feed: RenderedFeed,
    *,
    private: bool,
    filename: str | None = None,
    vary: tuple[str, ...] = (),
) -> Response:
    """A 200 with the feed, or a 304 when the client's copy is the same body.

    `vary`: the request headers the body depends on (e.g. Accept-Language when the
    language was negotiated), so that a shared cache never hands one person's to another.

    The ETag is strong (a hash of the body); a 304 is sent for a matching
    If-None-Match, or (when the request has none) for an If-Modified-Since not older
    than Last-Modified. HEAD gets the headers only.
    """
    headers = {
        "ETag": f'"{feed.etag}"',
        "Last-Modified": http_date(http_last_modified(feed.last_modified)),
        "Cache-Control": f"{'private' if private else 'public'}, max-age={MAX_AGE}",
    }
    if private:
        headers["X-Robots-Tag"] = "noindex, nofollow"
    if filename:
        headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    if request.if_none_match and request.if_none_match.contains_weak(feed.etag):
        # The commonest poll: answered without touching the body (RFC 9110 13.1.2).
        response = Response(status=304, headers=headers)
    else:
        response = Response(feed.body, content_type=FEED_CONTENT_TYPE, headers=headers)
        response = response.make_conditional(request)
    response.vary.update(vary)
    return response


def feed_error(status: int, message: str) -> NoReturn:
    """Stop with a short plain-text answer (a poller or a person pasting a feed URL reads
    it; never a login page): 400 for a bad filter, 404 unknown, 410 revoked."""
    abort(Response(message + "\n", status, mimetype="text/plain"))


class FeedTokenFilter(path_secrets.SecretPathFilter):
    """Masks feed tokens in log records (access logs print every path)."""

    def mask(self, text: str) -> str:
        """`text` with its feed tokens masked."""
        return mask_feed_tokens(text)


def init_app(app: Flask) -> None:
    """Install the token mask on the app's logger and the servers' access logs."""
    path_secrets.install(app, FeedTokenFilter())
