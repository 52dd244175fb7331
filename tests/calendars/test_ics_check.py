"""The checks themselves: each must fail on the fault it is there to catch."""

from __future__ import annotations

import pytest

from tests.calendars.ics_check import check_feed, ical_instants, lint

GOOD = (
    "BEGIN:VCALENDAR\r\n"
    "VERSION:2.0\r\n"
    "PRODID:-//test//test//EN\r\n"
    "BEGIN:VTIMEZONE\r\n"
    "TZID:Asia/Samarkand\r\n"
    "BEGIN:STANDARD\r\n"
    "DTSTART:20260101T000000\r\n"
    "TZOFFSETFROM:+0500\r\n"
    "TZOFFSETTO:+0500\r\n"
    "TZNAME:+05\r\n"
    "END:STANDARD\r\n"
    "END:VTIMEZONE\r\n"
    "BEGIN:VEVENT\r\n"
    "UID:session-1@example.org\r\n"
    "DTSTAMP:20261101T100000Z\r\n"
    "LAST-MODIFIED:20261101T100000Z\r\n"
    "SEQUENCE:0\r\n"
    "DTSTART;TZID=Asia/Samarkand:20261201T140000\r\n"
    "DTEND;TZID=Asia/Samarkand:20261201T153000\r\n"
    "SUMMARY:Детская кардиология\r\n"
    "END:VEVENT\r\n"
    "END:VCALENDAR\r\n"
)


def test_good_calendar_passes_all_three_layers():
    check_feed(GOOD.encode())
    (start, end) = ical_instants(GOOD.encode())["session-1@example.org"]
    assert (start.isoformat(), end.isoformat()) == (
        "2026-12-01T09:00:00+00:00",
        "2026-12-01T10:30:00+00:00",
    )


@pytest.mark.parametrize(
    "fault, body",
    [
        ("bare LF", GOOD.replace("\r\n", "\n").encode()),
        ("BOM", b"\xef\xbb\xbf" + GOOD.encode()),
        ("long line", GOOD.replace("SUMMARY:", "SUMMARY:" + "x" * 80).encode()),
        (
            "split UTF-8 character",
            GOOD.encode().replace(
                "Детская".encode(), "Детская".encode()[:3] + b"\r\n " + "Детская".encode()[3:]
            ),
        ),
        ("floating time", GOOD.replace("DTSTART;TZID=Asia/Samarkand:", "DTSTART:").encode()),
        (
            "TZID=UTC",
            GOOD.replace(
                "TZID=Asia/Samarkand:20261201T153000", "TZID=UTC:20261201T153000"
            ).encode(),
        ),
        ("missing UID", GOOD.replace("UID:session-1@example.org\r\n", "").encode()),
        ("missing DTSTAMP", GOOD.replace("DTSTAMP:20261101T100000Z\r\n", "").encode()),
        (
            "DTSTAMP is not LAST-MODIFIED",
            GOOD.replace("LAST-MODIFIED:20261101T1", "LAST-MODIFIED:20261102T1").encode(),
        ),
        ("DTEND with DURATION", GOOD.replace("SUMMARY:", "DURATION:PT1H\r\nSUMMARY:").encode()),
        ("no VTIMEZONE", GOOD.replace("TZID:Asia/Samarkand", "TZID:Europe/Samara").encode()),
        ("missing SEQUENCE", GOOD.replace("SEQUENCE:0\r\n", "").encode()),
    ],
)
def test_lint_catches(fault, body):
    with pytest.raises((AssertionError, UnicodeDecodeError)):
        lint(body)


def test_strict_parser_refuses_what_lint_might_miss():
    bad_status = GOOD.replace("SUMMARY:", "STATUS:MAYBE\r\nSUMMARY:").encode()
    with pytest.raises(Exception):  # noqa: B017 - any refusal by the parser will do
        ical_instants(bad_status)
