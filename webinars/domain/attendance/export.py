"""A session's attendance list as a spreadsheet: CSV (UTF-8) or XLSX.

The same columns as the page, in the same order. Text a spreadsheet would read as a
formula (a leading =, +, - or @) is quoted.
"""

from __future__ import annotations

import csv
import io

from openpyxl import Workbook

from webinars.domain.attendance.sheet import Sheet

COLUMNS = (
    "name",
    "email",
    "walk_in",
    "attended",
    "reason",
    "zoom_minutes",
    "share_percent",
    "checked_in_at",
    "override",
    "override_reason",
    "zoom_names",
)


def _cell(value: str | None) -> str:
    text = value or ""
    return f"'{text}" if text[:1] in ("=", "+", "-", "@") else text


def rows_of(sheet: Sheet) -> list[list[object]]:
    """One list of values per person, in COLUMNS' order."""
    return [
        [
            _cell(row.name),
            _cell(row.email),
            "yes" if row.walk_in else "no",
            "yes" if row.attended else "no",
            row.reason,
            row.minutes,
            row.share,
            row.checked_in_at.isoformat() if row.checked_in_at else "",
            row.override.value if row.override else "",
            _cell(row.override_reason),
            _cell("; ".join(row.zoom_names)),
        ]
        for row in sheet.rows
    ]


def attendance_csv(sheet: Sheet) -> str:
    """The list as CSV text."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(COLUMNS)
    writer.writerows(rows_of(sheet))
    return out.getvalue()


def attendance_xlsx(sheet: Sheet) -> bytes:
    """The list as an Excel workbook (one sheet, a header row)."""
    book = Workbook(write_only=True)
    page = book.create_sheet("attendance")
    page.append(list(COLUMNS))
    for values in rows_of(sheet):
        page.append(values)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
