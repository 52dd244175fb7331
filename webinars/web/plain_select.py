"""Selects with long flat option lists, written and checked cheaply.

WTForms 3.3 builds two objects per option (a SelectChoice, then a Choice) and writes each
option's attributes through Markup.format: the schedule's filter (300 lecturers and 40
academies) spent a quarter of the page's time there. For a flat list of (value, label)
pairs this widget writes the same HTML, byte for byte, with plain string formatting;
anything else (option groups, per-option attributes, SelectChoice objects) goes to
WTForms' own widget. (IdSelectField's check of the chosen value does the same.)
"""

from __future__ import annotations

from typing import Any

from markupsafe import Markup, escape
from wtforms import widgets
from wtforms.fields import SelectFieldBase


def flat_pairs(choices: object) -> bool:
    """Whether `choices` is a list of (value, label) pairs, nothing else in it."""
    return isinstance(choices, list | tuple) and all(
        type(choice) is tuple and len(choice) == 2 for choice in choices
    )


class PlainSelect(widgets.Select):
    """widgets.Select, with flat (value, label) choices written without WTForms' per-option
    objects; the output is the same."""

    def __call__(self, field: SelectFieldBase, **kwargs: Any) -> Markup:
        choices = field.choices
        if not flat_pairs(choices):
            return super().__call__(field, **kwargs)
        kwargs.setdefault("id", field.id)
        if self.multiple:
            kwargs["multiple"] = True
        flags = getattr(field, "flags", {})
        for name in dir(flags):
            if name in self.validation_attrs and name not in kwargs:
                kwargs[name] = getattr(flags, name)
        html = [f"<select {widgets.html_params(name=field.name, **kwargs)}>"]
        coerce, data = field.coerce, field.data
        chosen = set(data or ()) if self.multiple else None
        for value, label in choices:
            key = coerce(value)
            selected = key in chosen if chosen is not None else key == data
            shown = str(value) if isinstance(value, bool) else value
            html.append(
                f'<option {"selected " if selected else ""}value="{escape(shown)}">'
                f"{escape(label or value)}</option>"
            )
        html.append("</select>")
        return Markup("".join(html))
