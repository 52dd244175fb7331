"""Numbers and files from a request, bounded before anything reaches the database.

A page number, an id or a count typed into a query string or a form is checked here, on
every route: a number past what a column holds is refused as invalid input (it would
otherwise fail in the database driver as a 500: PostgreSQL's `bigint out of range`,
SQLite's `int too large`), and a file sent where the app takes none is refused with a
message instead of reaching a text field as an object that has no length.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any, TypeVar

from flask import Flask, current_app, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from werkzeug.exceptions import BadRequest
from wtforms import IntegerField, SelectField, SelectMultipleField, ValidationError

from webinars.web.plain_select import PlainSelect, flat_pairs

MAX_ROW_ID = 2**31 - 1  # INTEGER primary keys, on PostgreSQL and SQLite alike
MAX_PAGE = 10_000  # far past any list this app shows; offsets stay small
MAX_NUMBER = 2**31 - 1  # any other whole number a form or a query string holds

NO_FILES = _l("A file was sent where this form takes text: type the text into the form instead.")
OUT_OF_RANGE = _l("This number is out of range.")
# A whole number as typed: ASCII digits only. Python's int() and str.isdigit() also take
# other scripts' digits and superscripts ("²" is a digit to isdigit), which no one types
# as a page number or an id.
WHOLE_NUMBER = re.compile(r"[+-]?[0-9]+")


def whole_number(value: object, low: int = -MAX_NUMBER, high: int = MAX_NUMBER) -> int:
    """`value` as an int within [low, high]; ValueError for anything else."""
    if isinstance(value, bool):
        raise ValueError("not a number")
    if isinstance(value, int):
        number = value
    elif isinstance(value, str) and len(value.strip()) <= 12:
        if not WHOLE_NUMBER.fullmatch(value.strip()):
            raise ValueError("not a number")  # words, floats, "nan", "²", "1_000"
        number = int(value)
    else:
        raise ValueError("not a number, or far too long to be one in range")
    if not low <= number <= high:
        raise ValueError("out of range")
    return number


def row_id(value: object) -> int:
    """A select's id (0 is “none”, as in the filters' “All …”); ValueError past the range.

    Used as `coerce=` of every id select, so that an id past the range is a form error
    (“Not a valid choice”), never a query."""
    return whole_number(value, 0, MAX_ROW_ID)


def arg_number(name: str, default: int, low: int, high: int) -> int:
    """A whole number from the query string (the first, if repeated): `default` when it is
    missing or no number at all, else clamped into [low, high]."""
    text = (request.args.get(name) or "").strip()
    try:
        number = whole_number(text)
    except ValueError:
        if not WHOLE_NUMBER.fullmatch(text):
            return default
        number = low if text.startswith("-") else high  # a number, just far too big
    return min(max(number, low), high)


def arg_row_id(name: str) -> int | None:
    """A row id from the query string (the first, if repeated); None when missing, no
    number, or past the id range (such a row cannot exist)."""
    try:
        return whole_number((request.args.get(name) or "").strip(), 1, MAX_ROW_ID)
    except ValueError:
        return None


def page_number() -> int:
    """The `page` of a paginated list: 1 when missing or no number, at most MAX_PAGE."""
    return arg_number("page", 1, 1, MAX_PAGE)


class BoundedIntegerField(IntegerField):
    """An IntegerField that refuses, with a message, a number no column can hold."""

    def process_formdata(self, valuelist: list[Any]) -> None:
        if not valuelist:
            return
        super().process_formdata(valuelist)  # "Not a valid integer value." for words
        try:
            self.data = whole_number(self.data)
        except ValueError as exc:
            self.data = None
            raise ValueError(str(OUT_OF_RANGE)) from exc


class IdSelectField(SelectField):
    """A select of row ids: values past the id range are invalid choices."""

    widget = PlainSelect()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("coerce", row_id)
        super().__init__(*args, **kwargs)
        # Bootstrap-Flask's render_field gives the select style (form-select, with its
        # arrow) by the field's type name, and anything else the text-box style: the
        # academy pickers looked like text fields nobody would think to open.
        self.type = "SelectField"

    def pre_validate(self, form: Any) -> None:
        """WTForms' check that the value is one of the choices, without building an
        object per choice (a filter holds 300 lecturers) when they are plain pairs."""
        if self.process_errors or not self.validate_choice or not flat_pairs(self.choices):
            super().pre_validate(form)
            return
        if not any(self.coerce(value) == self.data for value, _label in self.choices):
            # The app's catalogue, not WTForms' own: that has no Uzbek.
            message = self.invalid_choice_message or _("Not a valid choice.")
            raise ValidationError(message)


class IdSelectMultipleField(SelectMultipleField):
    """A multiple select of row ids: values past the id range are invalid choices."""

    widget = PlainSelect(multiple=True)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("coerce", row_id)
        super().__init__(*args, **kwargs)


class FilesRefused(BadRequest):
    """A 400 whose description is written for people (the error page shows it)."""

    explained = True


View = TypeVar("View", bound=Callable[..., Any])


def accepts_files(*fields: str) -> Callable[[View], View]:
    """Mark a view that takes uploads, and in which of its fields; a file in any other
    field (a text field, say) is still refused."""

    def mark(view: View) -> View:
        view.accepted_files = frozenset(fields)  # type: ignore[attr-defined]
        return view

    return mark


def _refuse_files() -> None:
    """A file is taken only in the fields a view declares (accepts_files); anywhere else it
    is refused before a form reads it (Flask-WTF would hand it to a text field as an
    object that has no length)."""
    if not request.files:
        return
    view = current_app.view_functions.get(request.endpoint or "")
    accepted = getattr(view, "accepted_files", frozenset())
    if any(name not in accepted for name in request.files):
        raise FilesRefused(description=str(NO_FILES))


def init_app(app: Flask) -> None:
    """Refuse files on every route, but in the fields a view takes them in."""
    app.before_request(_refuse_files)
