"""The stand-in Zoom account's meetings: create, read, change, delete, list, validate."""

from __future__ import annotations

import re
import string
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

if TYPE_CHECKING:
    from tests.fakes.zoom_account import FakeZoomAccount

ZOOM_TIME = "%Y-%m-%dT%H:%M:%SZ"
LISTED_AGENDA_MAX = 250  # Zoom cuts agendas in lists to 250 characters
_START_TIME = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z?")
_PASSWORD = re.compile(r"[A-Za-z0-9@_*-]{1,10}")
_ALNUM = string.ascii_letters + string.digits
_SETTING_CHOICES: dict[str, tuple[Any, ...]] = {
    "auto_recording": ("local", "cloud", "none"),
    "approval_type": (0, 1, 2),
    "jbh_time": (0, 5, 10, 15),
}
_BOOL_SETTINGS = (
    "waiting_room",
    "join_before_host",
    "mute_upon_entry",
    "host_video",
    "participant_video",
    "meeting_authentication",
)
# What a host gets when the request leaves a setting out (Zoom applies the host's own
# defaults since 2025; these stand for a typical host).
HOST_DEFAULT_SETTINGS: dict[str, Any] = {
    "host_video": False,
    "participant_video": False,
    "join_before_host": False,
    "jbh_time": 0,
    "mute_upon_entry": False,
    "approval_type": 2,
    "audio": "both",
    "auto_recording": "none",
    "waiting_room": True,
    "meeting_authentication": False,
    "alternative_hosts": "",
}


@dataclass
class Reply:
    """One HTTP answer: status, JSON body (None for an empty body) and headers."""

    status: int
    body: Any = None
    headers: dict[str, str] = field(default_factory=dict)


def api_error(status: int, code: int, message: str, **extra: Any) -> Reply:
    """Zoom's API error shape: ``{"code": N, "message": "..."}``."""
    return Reply(status, {"code": code, "message": message, **extra})


def next_midnight_iso(now: datetime) -> str:
    """The next 00:00 UTC as Zoom writes it in ``Retry-After``."""
    midnight = datetime.combine(now.astimezone(UTC).date() + timedelta(days=1), datetime.min.time())
    return midnight.strftime(ZOOM_TIME)


def _invalid(*fields: str) -> Reply:
    errors = [{"field": name, "message": "Invalid field."} for name in fields]
    return api_error(400, 300, "Validation Failed.", errors=errors)


def _not_found(meeting_id: int) -> Reply:
    return api_error(404, 3001, f"Meeting does not exist: {meeting_id}.")


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _bad_fields(body: dict[str, Any]) -> list[str]:
    """The fields Zoom would refuse, in Zoom's ``errors[]`` naming."""
    checks = {
        "topic": lambda v: isinstance(v, str) and len(v) <= 200,
        "agenda": lambda v: isinstance(v, str) and len(v) <= 2000,
        "type": lambda v: v in (1, 2, 3, 8, 10) and _is_int(v),
        "duration": lambda v: _is_int(v) and 1 <= v <= 1440,
        "start_time": lambda v: isinstance(v, str) and _START_TIME.fullmatch(v) is not None,
        "timezone": lambda v: isinstance(v, str) and _known_zone(v),
        "password": lambda v: isinstance(v, str) and _PASSWORD.fullmatch(v) is not None,
    }
    bad = [name for name, ok in checks.items() if name in body and not ok(body[name])]
    if "start_time" not in bad and isinstance(body.get("start_time"), str):
        try:
            datetime.strptime(body["start_time"].rstrip("Z"), "%Y-%m-%dT%H:%M:%S")
        except ValueError:
            bad.append("start_time")
    settings = body.get("settings", {})
    if not isinstance(settings, dict):
        return [*bad, "settings"]
    for name, choices in _SETTING_CHOICES.items():
        if name in settings and settings[name] not in choices:
            bad.append(f"settings.{name}")
    bad += [
        f"settings.{n}" for n in _BOOL_SETTINGS if n in settings and type(settings[n]) is not bool
    ]
    if "alternative_hosts" in settings and not isinstance(settings["alternative_hosts"], str):
        bad.append("settings.alternative_hosts")
    return bad


def _known_zone(name: str) -> bool:
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return False
    return True


class MeetingBook:
    """The meetings of one fake account, keyed by their 64-bit ids."""

    def __init__(self, account: FakeZoomAccount) -> None:
        self.account = account
        self.meetings: dict[int, dict[str, Any]] = {}
        self._page_tokens: dict[str, tuple[str, int]] = {}

    def _new_id(self) -> int:
        while True:
            meeting_id = self.account.rng.randrange(10**10, 10**11)  # 11 digits
            if meeting_id not in self.meetings:
                return meeting_id

    def _start(self, text: str | None, zone: str) -> datetime | None:
        """The UTC start: ``Z`` means UTC, otherwise local time in ``zone``."""
        if not text:
            return None
        local = datetime.strptime(text.rstrip("Z"), "%Y-%m-%dT%H:%M:%S")
        tz = UTC if text.endswith("Z") else ZoneInfo(zone)
        return local.replace(tzinfo=tz).astimezone(UTC)

    def _alternative_hosts(self, value: str, host: dict[str, Any]) -> str:
        # Zoom accepts only licensed users of the account: the stand-in drops the others
        # silently, which is one reason callers read a meeting back after a change.
        kept = []
        for email in filter(None, (e.strip() for e in value.split(";"))):
            user = self.account.find_user(email)
            if user and user["id"] != host["id"] and user["email"] not in kept:
                kept.append(user["email"])
        return ";".join(kept)

    def _apply(self, meeting: dict[str, Any], body: dict[str, Any], creating: bool) -> None:
        now = self.account.clock()
        for name in ("topic", "agenda", "type", "duration", "timezone", "password"):
            if name in body:
                meeting[name] = body[name]
        start = self._start(body.get("start_time"), meeting["timezone"])
        if creating and (start is None or start < now):
            start = now  # a missing or past start means "now" for a new meeting
        if start is not None and start >= now:  # a past start in a PATCH is ignored
            meeting["start_time"] = start.strftime(ZOOM_TIME)
        settings = {**meeting["settings"], **body.get("settings", {})}
        if settings["waiting_room"]:
            settings["join_before_host"] = False  # Zoom switches it off silently
        host = self.account.users[meeting["host_id"]]
        settings["alternative_hosts"] = self._alternative_hosts(settings["alternative_hosts"], host)
        meeting["settings"] = settings

    def _public(self, meeting: dict[str, Any]) -> dict[str, Any]:
        public = {k: v for k, v in meeting.items() if k != "settings"}
        public["settings"] = dict(meeting["settings"])
        zak = "".join(self.account.rng.choices(_ALNUM, k=24))  # the start link expires: fresh
        public["start_url"] = f"https://zoom.example/s/{meeting['id']}?zak={zak}"
        return public

    def _account_refusals(self, body: dict[str, Any]) -> list[str]:
        # Zoom keeps its own list of time zones; IANA names missing from it are refused.
        zone = body.get("timezone")
        return ["timezone"] if zone in self.account.unknown_time_zones else []

    def create(self, host: dict[str, Any], body: Any) -> Reply:
        """POST /users/{userId}/meetings: 201 with the meeting."""
        if not isinstance(body, dict):
            return api_error(400, 300, "Request Body should be a valid JSON object.")
        if bad := _bad_fields(body) + self._account_refusals(body):
            return _invalid(*bad)
        if limited := self.account.count_create_or_update(host["id"]):
            return limited
        rng = self.account.rng
        meeting_id = self._new_id()
        encrypted = "".join(rng.choices(_ALNUM, k=32))
        meeting: dict[str, Any] = {
            "id": meeting_id,
            "uuid": "".join(rng.choices(_ALNUM, k=22)) + "==",
            "host_id": host["id"],
            "host_email": host["email"],
            "topic": "Zoom Meeting",
            "type": 2,
            "status": "waiting",
            "duration": 60,
            "timezone": host["timezone"],
            "agenda": "",
            "created_at": self.account.clock().strftime(ZOOM_TIME),
            "password": "".join(rng.choices(_ALNUM, k=6)),  # default_password is on
            "settings": dict(HOST_DEFAULT_SETTINGS),
            "pre_schedule": False,
        }
        self._apply(meeting, body, creating=True)
        digits = "".join(rng.choices(string.digits, k=6))
        meeting.update(
            h323_password=digits,
            pstn_password=digits,
            encrypted_password=encrypted,
            join_url=f"https://zoom.example/j/{meeting_id}?pwd={encrypted}",
        )
        self.meetings[meeting_id] = meeting
        return Reply(201, self._public(meeting))

    def get(self, meeting_id: int) -> Reply:
        """GET /meetings/{meetingId}."""
        meeting = self.meetings.get(meeting_id)
        return Reply(200, self._public(meeting)) if meeting else _not_found(meeting_id)

    def update(self, meeting_id: int, body: Any) -> Reply:
        """PATCH /meetings/{meetingId}: 204 with an empty body."""
        meeting = self.meetings.get(meeting_id)
        if meeting is None:
            return _not_found(meeting_id)
        if not isinstance(body, dict):
            return api_error(400, 300, "Request Body should be a valid JSON object.")
        if bad := _bad_fields(body) + self._account_refusals(body):
            return _invalid(*bad)
        if limited := self.account.count_create_or_update(meeting["host_id"]):
            return limited
        self._apply(meeting, body, creating=False)
        return Reply(204)

    def delete(self, meeting_id: int) -> Reply:
        """DELETE /meetings/{meetingId}: 204; a live meeting cannot be deleted (3002)."""
        meeting = self.meetings.get(meeting_id)
        if meeting is None:
            return _not_found(meeting_id)
        if meeting["status"] == "started":
            return api_error(400, 3002, f"Meeting {meeting_id} is in progress.")
        del self.meetings[meeting_id]
        return Reply(204)

    def list_for(self, host: dict[str, Any], query: Mapping[str, str]) -> Reply:
        """GET /users/{userId}/meetings?type=...: pages of at most 300 (default 30)."""
        kind = query.get("type", "scheduled")
        size = query.get("page_size", "30")
        if not size.isdigit() or not 1 <= int(size) <= 300:
            return _invalid("page_size")
        now = self.account.clock()
        mine = [m for m in self.meetings.values() if m["host_id"] == host["id"]]
        if kind in ("upcoming", "upcoming_meetings"):  # not yet over, live ones included
            mine = [m for m in mine if _end(m) > now]
        elif kind == "live":
            mine = [m for m in mine if m["status"] == "started"]
        elif kind != "scheduled":
            mine = []
        mine.sort(key=lambda m: (m["start_time"], m["id"]))
        offset = 0
        if token := query.get("next_page_token"):
            if self._page_tokens.get(token, ("", 0))[0] != host["id"]:
                return _invalid("next_page_token")
            offset = self._page_tokens[token][1]
        page = mine[offset : offset + int(size)]
        next_token = ""
        if offset + int(size) < len(mine):
            next_token = "".join(self.account.rng.choices(_ALNUM, k=32))
            self._page_tokens[next_token] = (host["id"], offset + int(size))
        return Reply(
            200,
            {
                "page_size": int(size),
                "total_records": len(mine),
                "next_page_token": next_token,
                "meetings": [_listed(m) for m in page],
            },
        )


def _end(meeting: dict[str, Any]) -> datetime:
    start = datetime.strptime(meeting["start_time"], ZOOM_TIME).replace(tzinfo=UTC)
    return start + timedelta(minutes=meeting["duration"])


def _listed(meeting: dict[str, Any]) -> dict[str, Any]:
    keys = ("uuid", "id", "host_id", "topic", "type", "start_time", "duration", "timezone")
    item = {k: meeting[k] for k in keys}
    item["agenda"] = meeting["agenda"][:LISTED_AGENDA_MAX]
    item.update(created_at=meeting["created_at"], join_url=meeting["join_url"])
    return item
