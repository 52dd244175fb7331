"""The list pages' filter forms (the catalogue, the staff schedule) read as the domain's
session filters: the same fields mean the same narrowing on both."""

from __future__ import annotations

from flask_wtf import FlaskForm

from webinars.domain.sessions.filters import SessionFilters


def session_filters(form: FlaskForm, user_id: int | None = None) -> SessionFilters:
    """The filters a form asks for; a field with an error (a reversed range, a date that
    is no date) narrows nothing, the others still do. Fields a form lacks (the catalogue
    has no lecturer, status or "mine") narrow nothing either."""

    def value(name: str):
        field = getattr(form, name, None)
        return None if field is None or field.errors else field.data

    reversed_range = bool(getattr(form, "date_to", None) and form.date_to.errors)
    return SessionFilters(
        kind=value("kind"),
        language=value("language"),
        academy_id=value("academy"),
        lecturer_id=value("lecturer"),
        first_day=None if reversed_range else value("date_from"),
        last_day=value("date_to"),
        status=value("status") or None,
        title_words=value("q"),
        mine_of=user_id if value("mine") else None,
    )
