"""Meeting bodies built from plain values, and finding a session's meeting by its marker."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from webinars.zoom import (
    build_meeting_body,
    find_meeting_by_marker,
    marker_session_id,
    meetings_for_session,
    session_marker,
)

START = datetime(2026, 9, 14, 15, 0, tzinfo=ZoneInfo("Asia/Tashkent"))


def make_body(**fields: Any) -> dict[str, Any]:
    values: dict[str, Any] = {
        "session_id": 3,
        "topic": "Modern cryptography",
        "start": START,
        "duration_minutes": 60,
        "timezone": "Asia/Tashkent",
    }
    values.update(fields)
    return build_meeting_body(**values)


def test_build_meeting_body_without_a_zone_leaves_timezone_out() -> None:
    body = make_body(timezone=None)

    assert "timezone" not in body
    assert body["start_time"] == "2026-09-14T10:00:00Z"


def utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def test_build_meeting_body_sends_start_in_utc_with_z() -> None:
    body = make_body()

    assert body["start_time"] == "2026-09-14T10:00:00Z"
    assert (body["type"], body["duration"], body["timezone"]) == (2, 60, "Asia/Tashkent")


def test_build_meeting_body_naive_start_rejected() -> None:
    with pytest.raises(ValueError, match="time zone"):
        make_body(start=datetime(2026, 9, 14, 15, 0))


def test_build_meeting_body_long_topic_cut_at_a_word() -> None:
    topic = "Advanced topics in distributed systems and their failure modes " * 5

    title = make_body(topic=topic)["topic"]

    assert len(title) <= 200
    assert title.endswith(" Advanced…")  # the next word did not fit whole
    assert topic.startswith(title[:-1])


def test_build_meeting_body_topic_with_emoji_counts_utf16_units() -> None:
    title = make_body(topic="🎓" * 150)["topic"]

    assert utf16_len(title) <= 200
    assert title.encode("utf-8").decode("utf-8") == title  # no half characters


def test_build_meeting_body_topic_cut_keeps_no_dangling_combining_mark() -> None:
    topic = "e\u0301" * 150  # "é" written as a letter plus a combining accent

    title = make_body(topic=topic)["topic"]

    assert len(title) <= 200
    assert title[:-1] == "e\u0301" * 99


def test_build_meeting_body_agenda_starts_with_marker_within_limit() -> None:
    agenda = make_body(session_id=77, agenda="word " * 1000)["agenda"]

    assert agenda.startswith("[webinars:session-77]\nword")
    assert len(agenda) <= 2000


def test_build_meeting_body_without_agenda_carries_marker_alone() -> None:
    assert make_body(session_id=8)["agenda"] == "[webinars:session-8]"


def test_build_meeting_body_waiting_room_turns_off_join_before_host() -> None:
    with_room = make_body(waiting_room=True, join_before_host=True)["settings"]
    without = make_body(waiting_room=False, join_before_host=True)["settings"]

    assert (with_room["waiting_room"], with_room["join_before_host"]) == (True, False)
    assert (without["waiting_room"], without["join_before_host"]) == (False, True)


def test_build_meeting_body_joins_alternative_hosts_with_semicolons() -> None:
    hosts = [" a@example.edu", "b@example.edu", "a@example.edu ", ""]

    settings = make_body(alternative_hosts=hosts)["settings"]

    assert settings["alternative_hosts"] == "a@example.edu;b@example.edu"
    assert make_body()["settings"]["alternative_hosts"] == ""


def test_build_meeting_body_passes_recording_mute_and_password() -> None:
    body = make_body(auto_recording="cloud", mute_upon_entry=False, password="Ab3@x_*-9")

    assert body["settings"]["auto_recording"] == "cloud"
    assert body["settings"]["mute_upon_entry"] is False
    assert body["password"] == "Ab3@x_*-9"
    assert "password" not in make_body()


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"duration_minutes": 0}, "1 minute"),
        ({"duration_minutes": 1441}, "1440"),
        ({"timezone": "Mars/Olympus_Mons"}, "unknown time zone"),
        ({"auto_recording": "youtube"}, "local, cloud, none"),
        ({"password": "elevenchars"}, "at most 10"),
        ({"password": "no spaces"}, "at most 10"),
        ({"topic": "   "}, "title"),
    ],
)
def test_build_meeting_body_refuses_values_zoom_would_refuse(
    fields: dict[str, Any], message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        make_body(**fields)


def test_find_meeting_by_marker_matches_only_its_session() -> None:
    meetings = [
        {"id": 11111111111, "agenda": "[webinars:session-12]\nOther"},
        {"id": 22222222222, "agenda": "[webinars:session-1]\nOurs"},
        {"id": 33333333333, "agenda": None},
    ]

    found = find_meeting_by_marker(meetings, 1)

    assert found is not None
    assert found["id"] == 22222222222
    assert find_meeting_by_marker(meetings, 2) is None


def test_meetings_for_session_lists_duplicates_oldest_id_first() -> None:
    meetings = [
        {"id": 98765432109, "agenda": "[webinars:session-4]"},
        {"id": 12345678901, "agenda": "[webinars:session-4]\nagain"},
    ]

    assert [m["id"] for m in meetings_for_session(meetings, 4)] == [12345678901, 98765432109]


def test_session_marker_namespace_separates_installations() -> None:
    meetings = [{"id": 1, "agenda": "[staging:session-4]"}]

    assert session_marker(4, "staging") == "[staging:session-4]"
    assert find_meeting_by_marker(meetings, 4) is None
    assert find_meeting_by_marker(meetings, 4, "staging") == meetings[0]


def test_build_meeting_body_start_converted_from_any_zone() -> None:
    start = datetime(2026, 3, 29, 1, 30, tzinfo=UTC)

    assert make_body(start=start.astimezone(ZoneInfo("Europe/Berlin")))["start_time"] == (
        "2026-03-29T01:30:00Z"
    )


@pytest.mark.parametrize(
    ("agenda", "namespace", "expected"),
    [
        ("[webinars:session-42]\nNeonatal care", "webinars", 42),
        ("  [webinars:session-7]", "webinars", 7),
        ("[staging:session-42]\nNeonatal care", "webinars", None),
        ("See [webinars:session-42] for details", "webinars", None),  # quoted, not ours
        ("", "webinars", None),
        (None, "webinars", None),
    ],
)
def test_marker_session_id_reads_only_a_leading_marker(agenda, namespace, expected) -> None:
    assert marker_session_id(agenda, namespace) == expected
