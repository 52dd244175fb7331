"""What the project sends Zoom for a session, and how it finds its own meetings again.

Zoom has no idempotency key: when the reply to a create is lost, the meeting may exist
all the same. Every meeting therefore carries a marker naming its session,
``[webinars:session-<id>]``, as the first line of its agenda. It goes first rather than
last because Zoom cuts agendas to 250 characters when it lists a host's meetings.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

MEETING_TYPE_SCHEDULED = 2
TOPIC_MAX = 200
AGENDA_MAX = 2000
DURATION_MIN, DURATION_MAX = 1, 1440
PASSWORD_MAX = 10
AUTO_RECORDING = ("local", "cloud", "none")
DEFAULT_MARKER_NAMESPACE = "webinars"

_PASSWORD_CHARS = re.compile(r"[A-Za-z0-9@_*-]+")
_NAMESPACE_CHARS = re.compile(r"[a-z0-9-]+")


def session_marker(session_id: int, namespace: str = DEFAULT_MARKER_NAMESPACE) -> str:
    """The tag that ties a Zoom meeting to a session, e.g. ``[webinars:session-42]``.

    ``namespace`` tells apart installations sharing one Zoom account (staging, production).
    """
    if not _NAMESPACE_CHARS.fullmatch(namespace):
        raise ValueError("the marker namespace takes lowercase letters, digits and dashes")
    return f"[{namespace}:session-{int(session_id)}]"


def meetings_for_session(
    meetings: Iterable[Mapping[str, Any]],
    session_id: int,
    namespace: str = DEFAULT_MARKER_NAMESPACE,
) -> list[Mapping[str, Any]]:
    """Every meeting whose agenda carries the session's marker, oldest id first.

    More than one means duplicates were made: keep one and delete the rest.
    """
    marker = session_marker(session_id, namespace)
    found = [m for m in meetings if marker in str(m.get("agenda") or "")]
    return sorted(found, key=lambda m: int(m.get("id") or 0))


def find_meeting_by_marker(
    meetings: Iterable[Mapping[str, Any]],
    session_id: int,
    namespace: str = DEFAULT_MARKER_NAMESPACE,
) -> Mapping[str, Any] | None:
    """The meeting made for ``session_id`` among ``meetings`` (a host's list), or None."""
    found = meetings_for_session(meetings, session_id, namespace)
    return found[0] if found else None


def marker_session_id(agenda: str | None, namespace: str = DEFAULT_MARKER_NAMESPACE) -> int | None:
    """The session id in an agenda that starts with this installation's marker, or None.

    Only the start counts: the marker is always written first, and a description that
    merely quotes a marker further down does not make a meeting ours.
    """
    if not agenda or not _NAMESPACE_CHARS.fullmatch(namespace):
        return None
    match = re.match(rf"\[{re.escape(namespace)}:session-(\d{{1,18}})\]", agenda.lstrip())
    return int(match.group(1)) if match else None


def zoom_time(moment: datetime) -> str:
    """An aware datetime as Zoom's UTC form ``yyyy-MM-ddTHH:mm:ssZ``."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError("the start time must carry a time zone")
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _utf16_len(text: str) -> int:
    # Zoom counts like Java's String.length(): a character outside the BMP counts twice.
    return len(text.encode("utf-16-le")) // 2


def clip_text(text: str, limit: int, ellipsis: str = "…") -> str:
    """Shorten ``text`` to ``limit`` UTF-16 units, at a word boundary when one is near.

    Never splits a character, nor a letter from its combining accents.
    """
    if _utf16_len(text) <= limit:
        return text
    budget = limit - _utf16_len(ellipsis)
    clipped: list[str] = []
    used = 0
    for char in text:
        size = _utf16_len(char)
        if used + size > budget:
            break
        clipped.append(char)
        used += size
    if len(clipped) < len(text) and unicodedata.combining(text[len(clipped)]):
        # The cut fell inside a letter with accents: drop the letter rather than change it.
        while clipped and unicodedata.combining(clipped[-1]):
            clipped.pop()
        if clipped:
            clipped.pop()
    if clipped and clipped[-1].isalnum():
        cut = "".join(clipped)
        space = cut.rfind(" ")
        if space >= len(cut) - 20:  # a word boundary close by reads better
            clipped = list(cut[:space])
    return "".join(clipped).rstrip() + ellipsis


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _agenda_with_marker(agenda: str, marker: str) -> str:
    text = agenda.strip()
    if not text:
        return marker
    room = AGENDA_MAX - len(marker) - 1
    return f"{marker}\n{clip_text(text, room)}"


def _check_password(password: str) -> str:
    if len(password) > PASSWORD_MAX or not _PASSWORD_CHARS.fullmatch(password):
        raise ValueError("a Zoom passcode has at most 10 characters: letters, digits and @ - _ *")
    return password


def build_meeting_body(
    *,
    session_id: int,
    topic: str,
    start: datetime,
    duration_minutes: int,
    timezone: str | None,
    agenda: str = "",
    waiting_room: bool = True,
    join_before_host: bool = False,
    mute_upon_entry: bool = True,
    auto_recording: str = "none",
    alternative_hosts: Sequence[str] = (),
    password: str | None = None,
    marker_namespace: str = DEFAULT_MARKER_NAMESPACE,
) -> dict[str, Any]:
    """The JSON body for creating (POST) or changing (PATCH) a session's meeting.

    The topic is made one line and shortened to 200 characters; the agenda gets the
    session marker and is kept within 2,000. ``start`` must be timezone-aware and is sent
    in UTC; ``timezone`` (an IANA name) is how Zoom shows the time to people, and None
    leaves it out (Zoom then shows the host's own zone). Join before
    host is always off while the waiting room is on. ``alternative_hosts`` is always sent
    (empty clears them on a PATCH). Raises ``ValueError`` for values Zoom would refuse and
    that cannot be shortened without changing their meaning.
    """
    title = clip_text(_one_line(topic), TOPIC_MAX)
    if not title:
        raise ValueError("a meeting needs a title")
    if isinstance(duration_minutes, bool) or not DURATION_MIN <= duration_minutes <= DURATION_MAX:
        raise ValueError("a Zoom meeting lasts from 1 minute to 24 hours (1440 minutes)")
    if timezone is not None:
        try:
            ZoneInfo(timezone)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(f"unknown time zone: {timezone!r}") from exc
    if auto_recording not in AUTO_RECORDING:
        raise ValueError(f"automatic recording is one of {', '.join(AUTO_RECORDING)}")
    hosts = list(dict.fromkeys(h.strip() for h in alternative_hosts if h and h.strip()))
    body: dict[str, Any] = {
        "topic": title,
        "type": MEETING_TYPE_SCHEDULED,
        "start_time": zoom_time(start),
        "duration": int(duration_minutes),
        "agenda": _agenda_with_marker(agenda, session_marker(session_id, marker_namespace)),
        "settings": {
            "waiting_room": waiting_room,
            "join_before_host": join_before_host and not waiting_room,
            "mute_upon_entry": mute_upon_entry,
            "auto_recording": auto_recording,
            "alternative_hosts": ";".join(hosts),
            "approval_type": 2,  # no Zoom registration: the project registers students
        },
    }
    if timezone is not None:
        body["timezone"] = timezone
    if password:
        body["password"] = _check_password(password)
    return body
