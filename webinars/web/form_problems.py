"""The summary above a form that came back with problems: every message, linked to its field.

A person who submitted a long form on a phone sees the first field's message only after
scrolling; the banner at the top says at once that something needs fixing, and what.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from flask import Flask, request
from flask_wtf import FlaskForm
from jinja2 import pass_context
from jinja2.runtime import Context
from wtforms import Field


@dataclass(frozen=True)
class Problem:
    """One message and the field it belongs to (its id, its label)."""

    field_id: str
    label: str
    message: str


def _problems(fields: Any) -> Iterator[Problem]:
    for field in fields:
        if not isinstance(field, Field) or field.type == "CSRFTokenField":
            continue
        if hasattr(field, "entries"):  # a FieldList of sub-forms (guest speakers)
            for entry in field.entries:
                yield from _problems(getattr(entry, "form", [entry]))
            continue
        if hasattr(field, "form") and field.type == "FormField":
            yield from _problems(field.form)
            continue
        for message in field.errors:
            if isinstance(message, str) or not hasattr(message, "items"):
                yield Problem(field.id, str(field.label.text), str(message))


@pass_context
def form_problems(context: Context) -> list[Problem]:
    """Every field message of every form on this page, after a submit (POST)."""
    if request.method != "POST":
        return []
    found: list[Problem] = []
    for value in context.get_all().values():
        if isinstance(value, FlaskForm):
            found.extend(_problems(value))
    return found


def init_app(app: Flask) -> None:
    """Offer form_problems() to every template (base.html shows the summary)."""
    app.jinja_env.globals["form_problems"] = form_problems
