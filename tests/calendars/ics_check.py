"""Three layers of checks on iCalendar output (see shared/calendar/FEEDS.md).

1. `lint()`: the byte-level rules no parser enforces (CRLF, 75-octet folding without a
   split character, no BOM, no floating times, UID/DTSTAMP/SEQUENCE present, DTSTAMP =
   LAST-MODIFIED, no DTEND with DURATION, one VTIMEZONE per TZID used, calendar names).
2. `icalendar_instants()`: a re-parse with `icalendar` that must report no errors.
3. `ical_instants()`: a strict parse with the independent `ical` package.
Each parser's UTC instants must agree: `check_feed()` runs all three and compares.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, datetime

from ical.calendar_stream import IcsCalendarStream
from icalendar import Calendar

CRLF = b"\r\n"
_DATE_TIME = re.compile(r"^\d{8}T\d{6}Z?$")


@dataclass
class Line:
    """One unfolded content line: NAME;PARAMS:VALUE."""

    name: str
    params: dict[str, str]
    value: str


@dataclass
class Component:
    name: str
    lines: list[Line] = field(default_factory=list)
    children: list[Component] = field(default_factory=list)

    def all(self, name: str) -> list[Line]:
        return [line for line in self.lines if line.name == name]

    def one(self, name: str) -> Line:
        found = self.all(name)
        assert len(found) == 1, f"{self.name}: {name} appears {len(found)} times"
        return found[0]

    def walk(self, name: str) -> list[Component]:
        found = [self] if self.name == name else []
        for child in self.children:
            found.extend(child.walk(name))
        return found


def _split(line: str) -> Line:
    # Split NAME;PARAM=...:VALUE, with quoted parameter values that may hold ':' or ';'.
    in_quotes, colon = False, -1
    for index, char in enumerate(line):
        if char == '"':
            in_quotes = not in_quotes
        elif char == ":" and not in_quotes:
            colon = index
            break
    assert colon > 0, f"no ':' in content line {line!r}"
    name, *params = re.split(r';(?=(?:[^"]*"[^"]*")*[^"]*$)', line[:colon])
    parsed = {}
    for param in params:
        key, _, value = param.partition("=")
        parsed[key.upper()] = value
    return Line(name.upper(), parsed, line[colon + 1 :])


def physical_lines(body: bytes) -> list[bytes]:
    """The raw lines of the body, checking CRLF endings on the way."""
    assert body.endswith(CRLF), "the body must end with CRLF"
    lines = body[: -len(CRLF)].split(CRLF)
    for raw in lines:
        assert b"\n" not in raw and b"\r" not in raw, f"bare CR or LF in {raw[:60]!r}"
    return lines


def lint(body: bytes, feed: bool = True) -> Component:
    """Byte-level rules; returns the parsed tree for further checks. Raises AssertionError.

    `feed`: also DTSTAMP = LAST-MODIFIED (an emailed invitation stamps its own time).
    """
    assert not body.startswith(b"\xef\xbb\xbf"), "no BOM"
    assert body.startswith(b"BEGIN:VCALENDAR\r\n"), "nothing before BEGIN:VCALENDAR"
    logical: list[str] = []
    for raw in physical_lines(body):
        assert len(raw) <= 75, f"line of {len(raw)} octets: {raw[:40]!r}"
        text = raw.decode("utf-8")  # a split UTF-8 character fails here
        if raw.startswith((b" ", b"\t")):
            assert logical, "a continuation line cannot come first"
            logical[-1] += text[1:]
        else:
            logical.append(text)
    stack: list[Component] = []
    root: Component | None = None
    for text in logical:
        line = _split(text)
        if line.name == "BEGIN":
            component = Component(line.value)
            if stack:
                stack[-1].children.append(component)
            else:
                assert root is None, "one VCALENDAR only"
                root = component
            stack.append(component)
        elif line.name == "END":
            assert stack and stack[-1].name == line.value, f"unbalanced END:{line.value}"
            stack.pop()
        else:
            assert stack, f"property outside any component: {text}"
            stack[-1].lines.append(line)
    assert root is not None and not stack and root.name == "VCALENDAR"
    _lint_calendar(root, feed)
    return root


def _lint_calendar(calendar: Component, feed: bool) -> None:
    assert calendar.one("VERSION").value == "2.0"
    assert calendar.one("PRODID").value
    methods = calendar.all("METHOD")
    assert len(methods) <= 1
    tzids = [tz.one("TZID").value for tz in calendar.walk("VTIMEZONE")]
    assert len(tzids) == len(set(tzids)), f"one VTIMEZONE per zone: {tzids}"
    used: set[str] = set()
    for event in calendar.walk("VEVENT"):
        used |= _lint_event(event, set(tzids), feed)
    assert used == set(tzids), f"VTIMEZONEs {sorted(tzids)} for zones used {sorted(used)}"


def _lint_event(event: Component, tzids: set[str], feed: bool) -> set[str]:
    uid = event.one("UID").value
    assert uid, "an event needs a UID"
    stamp = event.one("DTSTAMP")
    assert stamp.value.endswith("Z"), "DTSTAMP is in UTC"
    if feed:
        assert event.one("LAST-MODIFIED").value == stamp.value, "DTSTAMP = LAST-MODIFIED"
    assert int(event.one("SEQUENCE").value) >= 0
    assert not (event.all("DTEND") and event.all("DURATION")), f"{uid}: DTEND with DURATION"
    zones: set[str] = set()
    for name in ("DTSTART", "DTEND"):
        line = event.one(name)
        assert _DATE_TIME.match(line.value), f"{uid}: {name} is a date-time: {line.value}"
        tzid = line.params.get("TZID")
        if tzid is None:
            assert line.value.endswith("Z"), f"{uid}: floating {name} {line.value}"
        else:
            assert tzid.upper() != "UTC", f"{uid}: TZID=UTC"
            assert not line.value.endswith("Z"), f"{uid}: TZID with a UTC time"
            assert tzid in tzids, f"{uid}: no VTIMEZONE for {tzid}"
            zones.add(tzid)
    return zones


def icalendar_instants(body: bytes) -> dict[str, tuple[datetime, datetime]]:
    """Re-parse with icalendar; no component may report an error. UID -> UTC start, end."""
    calendar = Calendar.from_ical(body)
    errors = [(c.name, c.errors) for c in calendar.walk() if c.errors]
    assert errors == [], f"icalendar reported {errors}"
    return {
        str(e["UID"]): (e.decoded("DTSTART").astimezone(UTC), e.decoded("DTEND").astimezone(UTC))
        for e in calendar.walk("VEVENT")
    }


def ical_instants(body: bytes) -> dict[str, tuple[datetime, datetime]]:
    """Strict parse with the `ical` package. UID -> UTC start, end."""
    calendar = IcsCalendarStream.calendar_from_ics(body.decode("utf-8"))
    return {e.uid: (e.dtstart.astimezone(UTC), e.dtend.astimezone(UTC)) for e in calendar.events}


def check_feed(body: bytes, feed: bool = True) -> Component:
    """All three layers, and the same UTC instants through both parsers."""
    tree = lint(body, feed)
    through_icalendar = icalendar_instants(body)
    through_ical = ical_instants(body)
    assert through_icalendar == through_ical
    assert len(through_ical) == len(tree.walk("VEVENT")), "UIDs are unique"
    return tree


def events_by_uid(tree: Component) -> dict[str, Component]:
    """The VEVENTs of a linted feed by UID."""
    return {e.one("UID").value: e for e in tree.walk("VEVENT")}


def unescape(value: str) -> str:
    """A TEXT value as written (RFC 5545 3.3.11 escapes undone)."""
    return (
        value.replace("\\n", "\n")
        .replace("\\N", "\n")
        .replace("\\,", ",")
        .replace("\\;", ";")
        .replace("\\\\", "\\")
    )
