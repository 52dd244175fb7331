"""The list pages' filter forms (the catalogue, the staff schedule) read as the domain's
session filters: the same fields mean the same narrowing on both."""

from __future__ import annotations

from flask_wtf import FlaskForm

from webinars.domain.sessions.filters import SessionFilters


def session_filters(form: FlaskForm) -> SessionFilters:
    """The filters a validated form asks for (a form without a lecturer field: none)."""
    lecturer = getattr(form, "lecturer", None)
    return SessionFilters(
        kind=form.kind.data,
        language=form.language.data,
        academy_id=form.academy.data,
        lecturer_id=lecturer.data if lecturer is not None else None,
        first_day=form.date_from.data,
        last_day=form.date_to.data,
    )
