"""A session's attendance list as a spreadsheet: CSV (UTF-8) or XLSX.

The same columns as the page, in the same order, headed and filled in the reader's
language (yes/no, why, the lecturer's decision); times in UTC (ISO 8601). Text a
spreadsheet would read as a formula (a leading =, +, - or @) is quoted.
"""

from __future__ import annotations

import csv
import io

from flask_babel import lazy_gettext as _l
from flask_babel import lazy_pgettext
from openpyxl import Workbook

from webinars.domain.attendance.sheet import Sheet
from webinars.models import Presence

COLUMNS = (
    lazy_pgettext("person", "Name"),
    _l("Email"),
    _l("Walk-in"),
    _l("Attended"),
    _l("Why"),
    _l("Minutes in Zoom"),
    _l("Share of the session (%)"),
    _l("Check-in time (UTC)"),
    _l("Decision"),
    _l("Reason"),
    _l("Names in Zoom"),
)
# Why a person counts as attended or not (domain.attendance.sheet.REASONS), in words.
REASON_LABELS = {
    "override": _l("Decided by a lecturer"),
    "checked_in": _l("Checked in"),
    "zoom": _l("Time in Zoom"),
    "too_short": _l("Too little time in Zoom"),
    "suggestion": _l("Name match to confirm"),
    "no_record": _l("No check-in and no time in Zoom"),
    "frozen": _l("Details forgotten"),
}
DECISION_LABELS = {Presence.ATTENDED: _l("Attended"), Presence.ABSENT: _l("Absent")}


def _cell(value: str | None) -> str:
    text = value or ""
    return f"'{text}" if text[:1] in ("=", "+", "-", "@") else text


def _yes_no(value: bool) -> str:
    return str(_l("yes") if value else _l("no"))


def headings() -> list[str]:
    """The header row, in the current language."""
    return [str(label) for label in COLUMNS]


def rows_of(sheet: Sheet) -> list[list[object]]:
    """One list of values per person, in COLUMNS' order."""
    return [
        [
            _cell(row.name),
            _cell(row.email),
            _yes_no(row.walk_in),
            _yes_no(row.attended),
            str(REASON_LABELS.get(row.reason, row.reason)),
            row.minutes,
            row.share,
            row.checked_in_at.isoformat() if row.checked_in_at else "",
            str(DECISION_LABELS[row.override]) if row.override else "",
            _cell(row.override_reason),
            _cell("; ".join(row.zoom_names)),
        ]
        for row in sheet.rows
    ]


def attendance_csv(sheet: Sheet) -> str:
    """The list as CSV text."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(headings())
    writer.writerows(rows_of(sheet))
    return out.getvalue()


def attendance_xlsx(sheet: Sheet) -> bytes:
    """The list as an Excel workbook (one sheet, a header row)."""
    book = Workbook(write_only=True)
    page = book.create_sheet("attendance")
    page.append(headings())
    for values in rows_of(sheet):
        page.append(values)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
