"""Selects with long flat option lists, written and checked cheaply.

WTForms 3.3 builds two objects per option (a SelectChoice, then a Choice) and writes each
option's attributes through Markup.format: the schedule's filter (300 lecturers and 40
academies) spent a quarter of the page's time there. For a flat list of (value, label)
pairs this widget writes the same HTML, byte for byte, with plain string formatting;
anything else (option groups, per-option attributes, SelectChoice objects) goes to
WTForms' own widget. (IdSelectField's check of the chosen value does the same.)

The same list comes back on every request (the lecturers until one changes): when every
label is plain text (not a lazy translation, which depends on the reader's language),
its options are written once per distinct list and kept, each both chosen and not.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache
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
        if _plain_text(choices):
            options = _written_options(tuple(choices), coerce)
        else:
            options = tuple(_option(value, label, coerce) for value, label in choices)
        if chosen is None:
            html.extend(selected if key == data else plain for key, plain, selected in options)
        else:
            html.extend(selected if key in chosen else plain for key, plain, selected in options)
        html.append("</select>")
        return Markup("".join(html))


def _plain_text(choices: list[tuple[Any, Any]] | tuple[tuple[Any, Any], ...]) -> bool:
    """Whether every value is a number or text and every label plain text (kept as is)."""
    return all(type(value) in (int, str) and type(label) is str for value, label in choices)


def _option(value: Any, label: Any, coerce: Callable[[Any], Any]) -> tuple[Any, str, str]:
    """(the coerced value, the option not chosen, the option chosen)."""
    shown = str(value) if isinstance(value, bool) else value
    rest = f'value="{escape(shown)}">{escape(label or value)}</option>'
    return coerce(value), f"<option {rest}", f"<option selected {rest}"


@lru_cache(maxsize=64)
def _written_options(
    choices: tuple[tuple[Any, str], ...], coerce: Callable[[Any], Any]
) -> tuple[tuple[Any, str, str], ...]:
    """_option for each choice of a plain-text list, once per distinct list."""
    return tuple(_option(value, label, coerce) for value, label in choices)
