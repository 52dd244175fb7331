"""A small Zoom Meetings API client: Server-to-Server OAuth over ``requests``.

The client makes one attempt per call (plus one retry with a new token after a 401) and
raises a typed ``ZoomError`` otherwise; it never sleeps. Background jobs decide when to
try again with ``next_retry_at``.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import quote

import requests

from webinars.observability.metrics import ZOOM_CALLS

from .errors import (
    CODE_MEETING_NOT_FOUND,
    ZoomError,
    ZoomNotFound,
    ZoomTransientError,
    error_from_response,
    error_from_token_response,
)
from .tokens import AccessToken, MemoryTokenStore, TokenStore

DEFAULT_OAUTH_URL = "https://zoom.us/oauth/token"
DEFAULT_API_BASE_URL = "https://api.zoom.us/v2"
DEFAULT_TIMEOUT = 10.0
MAX_PAGE_SIZE = 300
_MAX_PAGES = 100  # a guard against a server that keeps handing out page tokens

log = logging.getLogger(__name__)


def _utcnow() -> datetime:
    return datetime.now(UTC)


def _with_api_version(url: str) -> str:
    """Zoom's token reply names the regional host (``https://api.zoom.us``); calls need /v2."""
    url = url.rstrip("/")
    return url if url.endswith("/v2") else f"{url}/v2"


class ZoomClient:
    """Calls Zoom's Meetings API for one account.

    ``api_base_url``, when given, wins over the ``api_url`` a token reply may carry; without
    either the client uses ``https://api.zoom.us/v2``. ``timeout`` (seconds) applies to
    every call, the token request included. Meeting ids are 64-bit integers.
    """

    def __init__(
        self,
        account_id: str,
        client_id: str,
        client_secret: str,
        *,
        token_store: TokenStore | None = None,
        oauth_url: str = DEFAULT_OAUTH_URL,
        api_base_url: str | None = None,
        timeout: float = DEFAULT_TIMEOUT,
        session: requests.Session | None = None,
        clock: Callable[[], datetime] = _utcnow,
    ) -> None:
        self.account_id = account_id
        self.client_id = client_id
        self._client_secret = client_secret
        self.token_store: TokenStore = token_store or MemoryTokenStore()
        self.oauth_url = oauth_url
        self.api_base_url = api_base_url.rstrip("/") if api_base_url else None
        self.timeout = timeout
        self._session = session or requests.Session()
        self._clock = clock

    def __repr__(self) -> str:  # never show the secret
        return f"ZoomClient(account_id={self.account_id!r}, client_id={self.client_id!r})"

    # -- meetings -------------------------------------------------------------------------

    def create_meeting(self, host: str, body: Mapping[str, Any]) -> dict[str, Any]:
        """Schedule a meeting for ``host`` (Zoom user id or email); returns Zoom's meeting.

        Not idempotent: after a ``ZoomTransientError`` the meeting may exist anyway, so look
        for the session's marker (``find_meeting_by_marker``) before creating again.
        """
        response = self._call("POST", f"/users/{_quote_user(host)}/meetings", json=dict(body))
        return _json_object(response)

    def get_meeting(self, meeting_id: int) -> dict[str, Any]:
        """Read a meeting (including a fresh ``start_url`` for the host)."""
        return _json_object(self._call("GET", _meeting_path(meeting_id)))

    def update_meeting(self, meeting_id: int, body: Mapping[str, Any]) -> None:
        """Change a meeting. Zoom answers 204 and may silently ignore some fields (a past
        ``start_time`` for one), so read the meeting back when the result matters."""
        self._call("PATCH", _meeting_path(meeting_id), json=dict(body))

    def delete_meeting(
        self, meeting_id: int, *, notify_hosts: bool = False, notify_registrants: bool = False
    ) -> None:
        """Delete a meeting; a meeting Zoom no longer knows counts as deleted."""
        params = {
            "schedule_for_reminder": _flag(notify_hosts),
            "cancel_meeting_reminder": _flag(notify_registrants),
        }
        try:
            self._call("DELETE", _meeting_path(meeting_id), params=params)
        except ZoomError as exc:
            if isinstance(exc, ZoomNotFound) or exc.code == CODE_MEETING_NOT_FOUND:
                log.info("Zoom meeting %s was already gone", meeting_id)
                return
            raise

    def list_upcoming_meetings(
        self, host: str, *, page_size: int = MAX_PAGE_SIZE
    ) -> list[dict[str, Any]]:
        """All of ``host``'s upcoming meetings, following ``next_page_token``.

        Zoom cuts each listed ``agenda`` to 250 characters; the session marker sits at the
        start of the agenda for that reason.
        """
        meetings: list[dict[str, Any]] = []
        params: dict[str, Any] = {"type": "upcoming", "page_size": min(page_size, MAX_PAGE_SIZE)}
        seen_tokens: set[str] = set()
        path = f"/users/{_quote_user(host)}/meetings"
        for _ in range(_MAX_PAGES):
            page = _json_object(self._call("GET", path, params=params))
            items = page.get("meetings")
            if isinstance(items, list):
                meetings.extend(item for item in items if isinstance(item, dict))
            next_token = page.get("next_page_token")
            if not next_token or next_token in seen_tokens:
                break
            seen_tokens.add(next_token)
            params = {**params, "next_page_token": next_token}
        return meetings

    def get_user(self, host: str) -> dict[str, Any]:
        """Read a Zoom user by id or email (raises ``ZoomNotFound`` when unknown)."""
        return _json_object(self._call("GET", f"/users/{_quote_user(host)}"))

    # -- plumbing -------------------------------------------------------------------------

    def _call(
        self,
        method: str,
        path: str,
        *,
        json: Any = None,
        params: Mapping[str, Any] | None = None,
    ) -> requests.Response:
        token = self._token()
        response = self._send(method, path, token, json=json, params=params)
        if response.status_code == 401:
            # Zoom revoked or expired the token early: fetch another and retry just once.
            log.info("Zoom answered 401 to %s %s; renewing the token", method, path)
            token = self._token(rejected=token.value)
            response = self._send(method, path, token, json=json, params=params)
        if response.status_code >= 400:
            raise error_from_response(response)
        return response

    def _send(
        self,
        method: str,
        path: str,
        token: AccessToken,
        *,
        json: Any,
        params: Mapping[str, Any] | None,
    ) -> requests.Response:
        url = self._base_url(token) + path
        headers = {"Authorization": f"Bearer {token.value}", "Accept": "application/json"}
        log.debug("Zoom %s %s", method, path)
        return self._request(method, url, headers=headers, json=json, params=params)

    def _request(self, method: str, url: str, **kwargs: Any) -> requests.Response:
        try:
            response = self._session.request(method, url, timeout=self.timeout, **kwargs)
        except requests.Timeout as exc:
            ZOOM_CALLS.labels(method, "timeout").inc()
            raise ZoomTransientError(f"Zoom did not answer within {self.timeout:g} s") from exc
        except (
            requests.ConnectionError,
            requests.exceptions.ChunkedEncodingError,
            requests.exceptions.ContentDecodingError,
        ) as exc:
            ZOOM_CALLS.labels(method, "connection_error").inc()
            raise ZoomTransientError(f"The connection to Zoom failed: {exc}") from exc
        except requests.RequestException as exc:  # a bad URL in the configuration
            ZOOM_CALLS.labels(method, "request_error").inc()
            raise ZoomError(f"Could not call Zoom: {exc}") from exc
        ZOOM_CALLS.labels(method, "ok" if response.ok else str(response.status_code)).inc()
        return response

    def _base_url(self, token: AccessToken) -> str:
        if self.api_base_url:
            return self.api_base_url
        if token.api_url:
            return _with_api_version(token.api_url)
        return DEFAULT_API_BASE_URL

    def _token(self, rejected: str | None = None) -> AccessToken:
        """A usable token: the shared one while fresh, else a new one fetched under the lock."""
        token = self.token_store.get()
        if token and token.value != rejected and token.is_fresh(self._clock()):
            return token
        with self.token_store.renewal_lock():
            token = self.token_store.get()  # another process may have renewed meanwhile
            if token and token.value != rejected and token.is_fresh(self._clock()):
                return token
            return self._fetch_token()

    def _fetch_token(self) -> AccessToken:
        asked_at = self._clock()
        response = self._request(
            "POST",
            self.oauth_url,
            auth=(self.client_id, self._client_secret),
            data={"grant_type": "account_credentials", "account_id": self.account_id},
            headers={"Accept": "application/json"},
        )
        if response.status_code != 200:
            raise error_from_token_response(response)
        body = _json_object(response)
        value = body.get("access_token")
        if not isinstance(value, str) or not value:
            raise ZoomTransientError("Zoom's token reply carried no access token")
        lifetime = body.get("expires_in")
        known = isinstance(lifetime, int | float) and not isinstance(lifetime, bool)
        seconds = max(0, lifetime) if known else 3600  # Zoom's documented lifetime
        api_url = body.get("api_url") if isinstance(body.get("api_url"), str) else None
        expires_at = asked_at + timedelta(seconds=seconds)
        self.token_store.put(value, api_url, expires_at)
        log.info("Fetched a new Zoom access token (valid %s s)", seconds)
        return AccessToken(value, api_url, expires_at)


def _quote_user(host: str) -> str:
    if not host or host == "me":
        # Server-to-Server apps must name the host; "me" would be the app's own user.
        raise ValueError("name the Zoom host by user id or email")
    return quote(host, safe="@")


def _meeting_path(meeting_id: int) -> str:
    if isinstance(meeting_id, bool) or not isinstance(meeting_id, int) or meeting_id <= 0:
        raise ValueError(f"not a Zoom meeting id: {meeting_id!r}")
    return f"/meetings/{meeting_id}"


def _flag(value: bool) -> str:
    return "true" if value else "false"


def _json_object(response: requests.Response) -> dict[str, Any]:
    try:
        body = response.json()
    except ValueError as exc:
        raise ZoomTransientError("Zoom sent a reply that is not JSON") from exc
    if not isinstance(body, dict):
        raise ZoomTransientError("Zoom sent a reply that is not a JSON object")
    return body
