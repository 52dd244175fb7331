"""The typed errors the Zoom client raises, and how a Zoom reply becomes one.

Callers act on the type: retry later (``ZoomTransientError``, ``ZoomRateLimited``), tell
the lecturer what to fix (``ZoomValidationError``), treat the meeting as gone
(``ZoomNotFound``), or tell an admin the credentials are wrong (``ZoomAuthError``).
Anything else Zoom refuses is a plain ``ZoomError`` with Zoom's ``code``.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime
from typing import Any

import requests

# Zoom's API error codes the project acts on (see ZOOM-FACTS.md).
CODE_INVALID_TOKEN = 124
CODE_VALIDATION = 300
CODE_USER_NOT_FOUND = 1001
CODE_MEETING_NOT_FOUND = 3001
CODE_MEETING_IN_PROGRESS = 3002
CODE_RATE_LIMITED = 429

# Plain words for the request fields a lecturer controls, with what Zoom accepts.
_FIELD_WORDS: dict[str, tuple[str, str]] = {
    "topic": ("the title", "at most 200 characters"),
    "agenda": ("the description", "at most 2,000 characters"),
    "duration": ("the duration", "between 1 minute and 24 hours"),
    "start_time": ("the start time", "a date and time in the future"),
    "timezone": ("the time zone", "a time zone name such as Europe/Berlin"),
    "password": (
        "the passcode",
        "at most 10 letters, digits or @ - _ *, following the account's passcode rules",
    ),
    "settings.alternative_hosts": (
        "the alternative hosts",
        "licensed Zoom users of the same account",
    ),
    "settings.auto_recording": ("the recording setting", "local, cloud or none"),
}


class ZoomError(Exception):
    """Zoom refused or failed a call; ``code`` is Zoom's error code when it gave one."""

    retryable: bool = False

    def __init__(self, message: str, *, code: int | None = None, status: int | None = None):
        super().__init__(message)
        self.message = message
        self.code = code
        self.status = status

    def __repr__(self) -> str:
        name = type(self).__name__
        return f"{name}(code={self.code!r}, status={self.status!r}, message={self.message!r})"


class ZoomAuthError(ZoomError):
    """The credentials are wrong or the app lacks access: an admin must fix the configuration."""


class ZoomNotFound(ZoomError):
    """The meeting or user does not exist (codes 3001, 1001)."""


class ZoomValidationError(ZoomError):
    """Zoom rejected the request body (code 300).

    ``message`` is English plain words for the lecturer; ``fields`` keeps Zoom's
    ``(field, message)`` pairs so a page can render its own translated text.
    """

    def __init__(
        self,
        message: str,
        *,
        fields: list[tuple[str, str]] | None = None,
        code: int | None = CODE_VALIDATION,
        status: int | None = 400,
    ):
        super().__init__(message, code=code, status=status)
        self.fields = fields or []


class ZoomTransientError(ZoomError):
    """5xx, a timeout or a network failure: try again later.

    After a create, the meeting may exist even though no reply came back: look for the
    session's marker among the host's meetings before creating again.
    """

    retryable = True


class ZoomRateLimited(ZoomError):
    """HTTP 429. ``retry_at`` comes from Zoom's ``Retry-After`` (an ISO date-time) when sent;
    ``daily`` is true for the per-host limit of 100 creates and updates a day."""

    retryable = True

    def __init__(
        self,
        message: str,
        *,
        retry_at: datetime | None = None,
        daily: bool = False,
        code: int | None = CODE_RATE_LIMITED,
        status: int | None = 429,
    ):
        super().__init__(message, code=code, status=status)
        self.retry_at = retry_at
        self.daily = daily


def parse_retry_after(value: str | None, now: datetime | None = None) -> datetime | None:
    """Read a ``Retry-After`` header as an aware UTC datetime, or None when absent or unreadable.

    Zoom sends an ISO date-time; plain HTTP allows seconds or an HTTP date, so both are
    accepted too.
    """
    if not value or not value.strip():
        return None
    text = value.strip()
    if text.isdigit():
        return (now or datetime.now(UTC)) + timedelta(seconds=int(text))
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        try:
            moment = parsedate_to_datetime(text)
        except (TypeError, ValueError, IndexError):
            return None
    if moment.tzinfo is None:  # Zoom means GMT
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


def describe_validation(errors: list[tuple[str, str]], fallback: str) -> str:
    """Turn Zoom's ``errors[]`` into one sentence a lecturer can act on."""
    if not errors:
        return f"Zoom did not accept the meeting details: {fallback}"
    parts = []
    for field, zoom_message in errors:
        words, hint = _FIELD_WORDS.get(field, (f"the field “{field}”", ""))
        part = f"{words} ({hint})" if hint else words
        if zoom_message and zoom_message.strip().rstrip(".").lower() != "invalid field":
            part = f"{part}: {zoom_message.strip().rstrip('.')}"
        parts.append(part)
    return "Zoom did not accept " + "; ".join(parts) + "."


def _body_of(response: requests.Response) -> Mapping[str, Any]:
    try:
        body = response.json()
    except ValueError:
        return {}
    return body if isinstance(body, Mapping) else {}


def error_from_response(response: requests.Response) -> ZoomError:
    """Build the typed error for a failed API reply (``{"code": N, "message": ...}`` bodies)."""
    body = _body_of(response)
    status = response.status_code
    code = body.get("code") if isinstance(body.get("code"), int) else None
    message = str(body.get("message") or response.reason or f"HTTP {status}")
    if status == 429 or code == CODE_RATE_LIMITED:
        limit_type = response.headers.get("X-RateLimit-Type", "")
        daily = limit_type.lower() == "daily-limit" or "daily" in message.lower()
        retry_at = parse_retry_after(response.headers.get("Retry-After"))
        return ZoomRateLimited(message, retry_at=retry_at, daily=daily, code=code, status=status)
    if status >= 500:
        return ZoomTransientError(message, code=code, status=status)
    if code == CODE_VALIDATION:
        raw_errors = body.get("errors") if isinstance(body.get("errors"), list) else []
        fields = [
            (str(item.get("field", "")), str(item.get("message", "")))
            for item in raw_errors
            if isinstance(item, Mapping)
        ]
        return ZoomValidationError(
            describe_validation(fields, message), fields=fields, code=code, status=status
        )
    if status == 404 or code in (CODE_MEETING_NOT_FOUND, CODE_USER_NOT_FOUND):
        return ZoomNotFound(message, code=code, status=status)
    if status in (401, 403) or code == CODE_INVALID_TOKEN:
        return ZoomAuthError(message, code=code, status=status)
    return ZoomError(message, code=code, status=status)


def error_from_token_response(response: requests.Response) -> ZoomError:
    """Build the typed error for a failed token reply (``{"reason", "error"}`` bodies)."""
    body = _body_of(response)
    status = response.status_code
    reason = str(body.get("reason") or body.get("message") or response.reason or "")
    kind = str(body.get("error") or "")
    message = f"Zoom refused the token request: {reason or kind or f'HTTP {status}'}"
    if status == 429:
        retry_at = parse_retry_after(response.headers.get("Retry-After"))
        return ZoomRateLimited(message, retry_at=retry_at, status=status)
    if status >= 500:
        return ZoomTransientError(message, status=status)
    return ZoomAuthError(message, status=status)
