"""The state and rules of the stand-in Zoom account: OAuth, users, meetings, limits.

``FakeZoomAccount.handle`` takes one HTTP request and returns a ``Reply``; the server in
``zoom_server`` puts it on the wire. The behaviour follows ZOOM-FACTS.md; where Zoom's
documentation is silent the choice is noted in a comment.
"""

from __future__ import annotations

import base64
import json
import random
import re
import string
import threading
import time
from collections import deque
from collections.abc import Callable, Mapping
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import parse_qs

from tests.fakes.zoom_meetings import MeetingBook, Reply, api_error, next_midnight_iso

DAILY_LIMIT_MESSAGE = (
    "You have exceeded the daily rate limit ({limit}) of Meeting Create/Update API requests "
    "permitted for this particular user. You may resume these requests at GMT 00:00:00."
)
QPS_MESSAGE = "You have reached the maximum per-second rate limit for this API. Try again later."


def token_error(status: int, error: str, reason: str) -> Reply:
    """Zoom's OAuth error shape: ``{"reason": "...", "error": "..."}``."""
    return Reply(status, {"reason": reason, "error": error})


def _now() -> datetime:
    return datetime.now(UTC).replace(microsecond=0)


class FakeZoomAccount:
    """One Zoom account with a few licensed users. Thread-safe: one lock guards everything."""

    def __init__(
        self,
        *,
        account_id: str = "fake-account-id",
        client_id: str = "fake-client-id",
        client_secret: str = "fake-client-secret",
        seed: int = 0,
    ) -> None:
        self.account_id = account_id
        self.client_id = client_id
        self.client_secret = client_secret
        self._seed = seed
        self.lock = threading.RLock()
        self.reset()

    def reset(self) -> None:
        """Back to a fresh account: default users, no meetings, no tokens, default limits."""
        with self.lock:
            self.rng = random.Random(self._seed)
            self.clock: Callable[[], datetime] = _now
            self.token_lifetime = 3600  # seconds; tests shorten it to watch renewal
            self.token_api_url: str | None = None  # sent as api_url in token replies when set
            self.daily_limit = 100  # creates + updates per host per UTC day
            self.per_second_limit: int | None = None  # off unless a test turns it on
            self.per_second_retry_after = False  # whether a QPS 429 carries Retry-After
            self.unknown_time_zones: set[str] = set()  # zones Zoom's own list lacks (code 300)
            self.tokens: dict[str, datetime] = {}
            self.token_requests = 0
            self.daily_counts: dict[tuple[str, str], int] = {}
            self._recent: deque[float] = deque()
            self.users: dict[str, dict[str, Any]] = {}
            self.book = MeetingBook(self)
            for n in (1, 2, 3):
                self.add_user(f"host{n}@example.edu", "Host", str(n))
            self.add_user("lecturer@example.edu", "Guest", "Lecturer")

    # -- users ----------------------------------------------------------------------------

    def add_user(self, email: str, first_name: str = "", last_name: str = "") -> dict[str, Any]:
        """Add a licensed user to the account and return it."""
        with self.lock:
            user_id = "".join(self.rng.choices(string.ascii_letters + string.digits, k=22))
            user = {
                "id": user_id,
                "first_name": first_name,
                "last_name": last_name,
                "display_name": f"{first_name} {last_name}".strip(),
                "email": email,
                "type": 2,
                "role_name": "Member",
                "pmi": self.rng.randrange(10**9, 10**10),
                "use_pmi": False,
                "timezone": "America/New_York",
                "verified": 1,
                "language": "en-US",
                "status": "active",
                "account_id": self.account_id,
                "created_at": self.clock().strftime("%Y-%m-%dT%H:%M:%SZ"),
            }
            self.users[user_id] = user
            return user

    def remove_user(self, id_or_email: str) -> None:
        """Delete a user, and its meetings with it (what Zoom does when an admin deletes a
        user without first handing the meetings to someone else)."""
        with self.lock:
            user = self.find_user(id_or_email)
            if user is None:
                raise KeyError(id_or_email)
            del self.users[user["id"]]
            for meeting_id, meeting in list(self.book.meetings.items()):
                if meeting["host_id"] == user["id"]:
                    del self.book.meetings[meeting_id]

    def find_user(self, id_or_email: str) -> dict[str, Any] | None:
        """A user by Zoom id or by email (emails compare without case)."""
        if id_or_email in self.users:
            return self.users[id_or_email]
        wanted = id_or_email.lower()
        return next((u for u in self.users.values() if u["email"].lower() == wanted), None)

    # -- tokens ---------------------------------------------------------------------------

    def expire_all_tokens(self) -> None:
        """Every token issued so far is expired from now on (the next call gets 401 code 124)."""
        with self.lock:
            past = self.clock() - timedelta(seconds=1)
            self.tokens = dict.fromkeys(self.tokens, past)

    def _issue_token(self, headers: Mapping[str, str], body: bytes) -> Reply:
        self.token_requests += 1
        if not self._good_basic_auth(headers.get("authorization", "")):
            return token_error(401, "invalid_client", "Invalid client_id or client_secret")
        form = {k: v[0] for k, v in parse_qs(body.decode("utf-8", "replace")).items()}
        if form.get("grant_type") != "account_credentials":
            # Zoom reads the grant from the form body; query-string-only requests fail too.
            return token_error(400, "unsupported_grant_type", "Unsupported grant type")
        if not form.get("account_id"):
            return token_error(400, "invalid_request", "Missing account_id")
        if form["account_id"] != self.account_id:
            return token_error(400, "invalid_grant", "Invalid account_id")
        value = "fake." + "".join(self.rng.choices(string.ascii_letters + string.digits, k=40))
        self.tokens[value] = self.clock() + timedelta(seconds=self.token_lifetime)
        reply = {
            "access_token": value,
            "token_type": "bearer",
            "expires_in": self.token_lifetime,
            "scope": "meeting:read:admin meeting:write:admin user:read:admin",
        }
        if self.token_api_url:
            reply["api_url"] = self.token_api_url
        return Reply(200, reply)

    def _good_basic_auth(self, header: str) -> bool:
        scheme, _, encoded = header.partition(" ")
        if scheme.lower() != "basic":
            return False
        try:
            decoded = base64.b64decode(encoded, validate=True).decode("utf-8")
        except ValueError:
            return False
        return decoded == f"{self.client_id}:{self.client_secret}"

    def _check_bearer(self, headers: Mapping[str, str]) -> Reply | None:
        scheme, _, value = headers.get("authorization", "").partition(" ")
        expires_at = self.tokens.get(value) if scheme.lower() == "bearer" else None
        if expires_at is None:
            return api_error(401, 124, "Invalid access token.")
        if expires_at <= self.clock():
            return api_error(401, 124, "Access token is expired.")
        return None

    # -- limits ---------------------------------------------------------------------------

    def _per_second_limited(self) -> Reply | None:
        if not self.per_second_limit:
            return None
        now = time.monotonic()
        while self._recent and now - self._recent[0] >= 1.0:
            self._recent.popleft()
        if len(self._recent) >= self.per_second_limit:
            headers = {"X-RateLimit-Category": "Light", "X-RateLimit-Type": "QPS"}
            if self.per_second_retry_after:
                later = self.clock() + timedelta(seconds=1)
                headers["Retry-After"] = later.strftime("%Y-%m-%dT%H:%M:%SZ")
            return Reply(429, {"code": 429, "message": QPS_MESSAGE}, headers)
        self._recent.append(now)
        return None

    def count_create_or_update(self, host_id: str) -> Reply | None:
        """Count one create/update for the host today; the 429 reply once over the limit.

        The stand-in counts accepted calls only (Zoom does not say whether refused ones count).
        """
        day = self.clock().date().isoformat()
        used = self.daily_counts.get((host_id, day), 0)
        if used >= self.daily_limit:
            headers = {
                "X-RateLimit-Category": "Medium",
                "X-RateLimit-Type": "Daily-limit",
                "X-RateLimit-Limit": str(self.daily_limit),
                "X-RateLimit-Remaining": "0",
                "Retry-After": next_midnight_iso(self.clock()),
            }
            message = DAILY_LIMIT_MESSAGE.format(limit=self.daily_limit)
            return Reply(429, {"code": 429, "message": message}, headers)
        self.daily_counts[(host_id, day)] = used + 1
        return None

    # -- routing --------------------------------------------------------------------------

    def handle(
        self,
        method: str,
        path: str,
        query: Mapping[str, str],
        headers: Mapping[str, str],
        body: bytes,
    ) -> Reply:
        """Answer one request. ``headers`` must have lower-case names."""
        with self.lock:
            if path == "/oauth/token":
                if method != "POST":
                    return Reply(405, {"reason": "Method not allowed", "error": "invalid_request"})
                return self._issue_token(headers, body)
            if not path.startswith("/v2/"):
                return api_error(404, 404, "Not Found")
            denied = self._check_bearer(headers) or self._per_second_limited()
            if denied:
                return denied
            return self._route(method, path[len("/v2") :], query, body)

    def _route(self, method: str, path: str, query: Mapping[str, str], body: bytes) -> Reply:
        if match := re.fullmatch(r"/users/([^/]+)/meetings", path):
            user = self.find_user(match.group(1))
            if user is None:
                return api_error(404, 1001, f"User does not exist: {match.group(1)}.")
            if method == "POST":
                return self.book.create(user, _json_body(body))
            if method == "GET":
                return self.book.list_for(user, query)
        elif match := re.fullmatch(r"/users/([^/]+)", path):
            user = self.find_user(match.group(1))
            if user is None:
                return api_error(404, 1001, f"User does not exist: {match.group(1)}.")
            if method == "GET":
                return Reply(200, dict(user))
        elif match := re.fullmatch(r"/meetings/([^/]+)", path):
            raw_id = match.group(1)
            meeting_id = int(raw_id) if raw_id.isdigit() else -1
            if method == "GET":
                return self.book.get(meeting_id)
            if method == "PATCH":
                return self.book.update(meeting_id, _json_body(body))
            if method == "DELETE":
                return self.book.delete(meeting_id)
        else:
            return api_error(404, 404, "Not Found")
        return api_error(405, 405, "Method Not Allowed")


def route_of(path: str) -> str:
    """The route template of a request path, for call counts: ``/v2/meetings/{meetingId}``."""
    path = re.sub(r"^/v2/meetings/[^/]+", "/v2/meetings/{meetingId}", path)
    return re.sub(r"^/v2/users/[^/]+", "/v2/users/{userId}", path)


def _json_body(body: bytes) -> Any:
    try:
        return json.loads(body) if body else None
    except (ValueError, UnicodeDecodeError):
        return None
