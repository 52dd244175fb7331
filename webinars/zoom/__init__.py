"""The Zoom integration's lower layer: API client, token stores, retry timing, webhooks.

Knows nothing of Flask: ``setup`` reads the Zoom settings from any mapping (the app's
config) and builds the token store and the ``ZoomClient`` the domain and the jobs use.
"""

from __future__ import annotations

from .client import DEFAULT_API_BASE_URL, DEFAULT_OAUTH_URL, ZoomClient
from .errors import (
    ZoomAuthError,
    ZoomError,
    ZoomNotFound,
    ZoomRateLimited,
    ZoomTransientError,
    ZoomValidationError,
)
from .meetings import (
    build_meeting_body,
    find_meeting_by_marker,
    marker_session_id,
    meetings_for_session,
    session_marker,
    zoom_time,
)
from .retry import backoff_delay, next_retry_at, next_utc_midnight
from .tokens import AccessToken, FileTokenStore, MemoryTokenStore, RedisTokenStore, TokenStore
from .webhooks import (
    WebhookRejected,
    event_id,
    meeting_id_of,
    parse_envelope,
    url_validation_response,
    verify_signature,
)

__all__ = [
    "DEFAULT_API_BASE_URL",
    "DEFAULT_OAUTH_URL",
    "AccessToken",
    "FileTokenStore",
    "MemoryTokenStore",
    "RedisTokenStore",
    "TokenStore",
    "WebhookRejected",
    "ZoomAuthError",
    "ZoomClient",
    "ZoomError",
    "ZoomNotFound",
    "ZoomRateLimited",
    "ZoomTransientError",
    "ZoomValidationError",
    "backoff_delay",
    "build_meeting_body",
    "event_id",
    "find_meeting_by_marker",
    "marker_session_id",
    "meeting_id_of",
    "meetings_for_session",
    "next_retry_at",
    "next_utc_midnight",
    "parse_envelope",
    "session_marker",
    "url_validation_response",
    "verify_signature",
    "zoom_time",
]
