"""Nominations: a coordinator puts their academy's students forward for the seats reserved
for it, one by one or from a CSV file (name, email, programme, year of study).

A file is read and checked first (`read_file`, `check_rows`): the preview says which rows
are wrong and why, and nothing is sent until the coordinator confirms (`nominate`). Each
nominee is registered under the session's lock into the quota only, and gets the usual
confirmation email (double opt-in) in their language, saying who nominated them.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from email_validator import EmailNotValidError, validate_email
from flask_babel import lazy_gettext as _l
from flask_babel import lazy_pgettext

from webinars.domain.partners.quotas import quota_taken
from webinars.domain.registration.register import (
    QuotaFullError,
    RegistrationClosedError,
    RegistrationInput,
    normalise_email,
    register,
)
from webinars.extensions import db
from webinars.models import ACTIVE_STATUSES, Nomination, Registration, SeatQuota, User, utcnow

MAX_ROWS = 500
MAX_FILE_BYTES = 512 * 1024
LANGUAGES = ("en", "ru", "uz")
# Header names accepted for each column (lower case), in the three languages.
COLUMNS = {
    "name": {"name", "full name", "student", "фио", "имя", "студент", "f.i.sh.", "fish", "ism"},
    "email": {"email", "e-mail", "mail", "почта", "эл. почта", "электронная почта", "pochta"},
    "programme": {
        "programme",
        "program",
        "speciality",
        "specialty",
        "направление",
        "специальность",
        "программа",
        "yoʻnalish",
        "yo'nalish",
        "mutaxassislik",
    },
    "year": {"year", "year of study", "курс", "kurs"},
    "language": {"language", "язык", "til"},
}
REQUIRED = ("name", "email", "programme", "year")
# A missing column is named in the reader's language, as the page's own hint names them.
COLUMN_LABELS = {
    "name": lazy_pgettext("CSV column", "name"),
    "email": lazy_pgettext("CSV column", "email"),
    "programme": lazy_pgettext("CSV column", "programme"),
    "year": lazy_pgettext("CSV column", "year"),
}


@dataclass
class NomineeRow:
    """One student as read, and what is wrong with them (empty: fine)."""

    line: int
    name: str
    email: str
    programme: str = ""
    year: str = ""
    language: str = ""
    problems: list[Any] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    def as_csv_row(self) -> list[str]:
        return [self.name, self.email, self.programme, self.year, self.language]


@dataclass
class FileReading:
    """A file read: its rows, the encoding it was read in, and problems with the whole file."""

    rows: list[NomineeRow]
    encoding: str = "utf-8"
    problems: list[Any] = field(default_factory=list)


def _decode(data: bytes) -> tuple[str, str]:
    """UTF-8 (with or without BOM), else Windows-1251 (what Excel saves in the region)."""
    try:
        return data.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError:
        return data.decode("cp1251", errors="replace"), "windows-1251"


def _columns(header: list[str]) -> dict[str, int]:
    found: dict[str, int] = {}
    for index, title in enumerate(header):
        key = title.strip().strip("\ufeff").lower()
        for column, names in COLUMNS.items():
            if key in names and column not in found:
                found[column] = index
    return found


def read_text(text: str, encoding: str = "utf-8") -> FileReading:
    """Rows from CSV text with a header line (comma or semicolon separated)."""
    text = text.strip("\ufeff")
    if not text.strip():
        return FileReading([], encoding, [_l("The file is empty.")])
    first = text.splitlines()[0]
    delimiter = ";" if first.count(";") > first.count(",") else ","
    lines = list(csv.reader(io.StringIO(text), delimiter=delimiter))
    columns = _columns(lines[0])
    missing = [c for c in REQUIRED if c not in columns]
    if missing:
        return FileReading(
            [],
            encoding,
            [
                _l(
                    "Columns missing from the first line: %(names)s. It must name the "
                    "columns: name, email, programme, year.",
                    names=", ".join(str(COLUMN_LABELS[c]) for c in missing),
                )
            ],
        )
    rows = []
    for number, cells in enumerate(lines[1:], start=2):
        if not any(c.strip() for c in cells):
            continue

        def cell(column: str, cells: list[str] = cells) -> str:
            index = columns.get(column)
            return cells[index].strip() if index is not None and index < len(cells) else ""

        rows.append(
            NomineeRow(
                number,
                cell("name"),
                cell("email"),
                cell("programme"),
                cell("year"),
                cell("language").lower(),
            )
        )
    problems: list[Any] = []
    if len(rows) > MAX_ROWS:
        problems.append(_l("At most %(n)d students per file.", n=MAX_ROWS))
    if not rows:
        problems.append(_l("The file has no students under its first line."))
    return FileReading(rows[:MAX_ROWS], encoding, problems)


def read_file(data: bytes) -> FileReading:
    """A CSV file's rows; a file that is not UTF-8 is read as Windows-1251 (and said so)."""
    if len(data) > MAX_FILE_BYTES:
        return FileReading([], "", [_l("The file is too large (at most 512 KB).")])
    text, encoding = _decode(data)
    return read_text(text, encoding)


def _check_one(row: NomineeRow, seen: set[str], registered: set[str]) -> None:
    if not row.name:
        row.problems.append(_l("The name is missing."))
    elif len(row.name) > 200:
        row.problems.append(_l("The name is too long."))
    try:
        email = validate_email(row.email, check_deliverability=False).normalized
    except EmailNotValidError:
        row.problems.append(_l("The email address is not valid."))
    else:
        row.email = normalise_email(email)
        if row.email in seen:
            row.problems.append(_l("This email is on an earlier row too."))
        elif row.email in registered:
            row.problems.append(_l("This student is already registered for the session."))
        seen.add(row.email)
    if row.year and not (row.year.isdigit() and 1 <= int(row.year) <= 10):
        row.problems.append(_l("The year of study must be a number from 1 to 10."))
    if row.language and row.language not in LANGUAGES:
        row.problems.append(_l("The language must be en, ru or uz."))
    if len(row.programme) > 200:
        row.problems.append(_l("The programme is too long."))


def check_rows(rows: list[NomineeRow], quota: SeatQuota, now: datetime | None = None) -> int:
    """Flag each row's problems, in place; rows past the seats left are flagged too.

    Returns the seats left in the quota now.
    """
    now = now or utcnow()
    registered = set(
        db.session.execute(
            db.select(Registration.email).where(
                Registration.session_id == quota.session_id,
                Registration.status.in_(ACTIVE_STATUSES),
            )
        ).scalars()
    )
    left = max(0, quota.seats - quota_taken(quota.id, now)) if quota.is_open(now) else 0
    seen: set[str] = set()
    good = 0
    for row in rows:
        _check_one(row, seen, registered)
        if row.ok:
            good += 1
            if good > left:
                row.problems.append(
                    _l("More students than reserved seats left (%(left)d).", left=left)
                )
    return left


@dataclass
class NominationResult:
    """What confirming did: the rows nominated, and those refused at the last moment."""

    nominated: list[NomineeRow] = field(default_factory=list)
    refused: list[NomineeRow] = field(default_factory=list)


def nominate(
    quota: SeatQuota,
    rows: list[NomineeRow],
    coordinator: User,
    default_language: str,
    now: datetime | None = None,
) -> NominationResult:
    """Nominate the rows (checked first again): each is registered into the quota under
    the session's lock and emailed to confirm. A row the quota has no seat for any more,
    or that is already registered, is refused and said why; the others go ahead."""
    now = now or utcnow()
    check_rows(rows, quota, now)
    result = NominationResult()
    for row in rows:
        if not row.ok:
            result.refused.append(row)
            continue
        data = RegistrationInput(
            full_name=row.name,
            email=row.email,
            locale=row.language or default_language,
            academy_id=quota.academy_id,
            programme=row.programme or None,
            year_of_study=int(row.year) if row.year else None,
        )
        try:
            # Refusals are raised before anything is written: no savepoint is needed.
            outcome = register(quota.session_id, data, now, nominated=True)
        except QuotaFullError:
            row.problems.append(_l("No reserved seat is left for this student."))
            result.refused.append(row)
            continue
        except RegistrationClosedError:
            row.problems.append(_l("The session takes no registrations now."))
            result.refused.append(row)
            continue
        if outcome.repeat:  # registered meanwhile: they were sent their link again
            row.problems.append(_l("This student is already registered for the session."))
            result.refused.append(row)
            continue
        db.session.add(
            Nomination(
                quota_id=quota.id,
                registration_id=outcome.registration_id,
                nominated_by_id=coordinator.id,
                created_at=now,
            )
        )
        result.nominated.append(row)
    return result


def rows_as_text(rows: list[NomineeRow]) -> str:
    """Rows as CSV text with a header, to carry a checked file to its confirmation."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["name", "email", "programme", "year", "language"])
    for row in rows:
        writer.writerow(row.as_csv_row())
    return buffer.getvalue()


def may_nominate(user: User, quota: SeatQuota) -> bool:
    """Only the quota's academy's coordinators nominate into it."""
    return (
        user.is_authenticated
        and user.is_active
        and user.is_coordinator
        and user.academy_id is not None
        and user.academy_id == quota.academy_id
    )
