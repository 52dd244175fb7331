"""WTForms' own messages in the reader's language, for every form of the app.

A validator or field without a `message=` of its own speaks WTForms' words ("This field is
required.", "Invalid email address.", "Not a valid integer value."). WTForms ships a
Russian catalogue but no Uzbek one, so Uzbek readers got English. The messages the app's
fields and validators can emit are marked below, so that `flask translate update` carries
them into the app's catalogue (messages.pot, ru, uz) like any other string; the forms take
their translations from `form_translations`, which serves the app's catalogue and falls back
to WTForms' own for whatever the app does not translate. Every form of the app derives from
`TranslatedForm` (pages) or `TranslatedSubform` (a FormField's rows): WTForms builds a
FormField's form without its parent's meta, so a sub-form needs the provider itself.
"""

from __future__ import annotations

from typing import Any

from flask_babel import get_translations
from flask_wtf import FlaskForm
from flask_wtf.i18n import translations as wtforms_translations
from wtforms import Form


def N_(message: str) -> str:
    """Mark a WTForms message for extraction; WTForms itself asks for its translation."""
    return message


def ngettext_noop(singular: str, plural: str) -> tuple[str, str]:
    """Mark a WTForms plural message for extraction (keyword in webinars.cli)."""
    return singular, plural


# Word for word as WTForms writes them (tests check them against WTForms' own template).
# Only what the app's fields and validators can emit; tests/web/test_form_messages.py
# fails when a form starts using a field or validator whose messages are not listed.
WTFORMS_MESSAGES = (
    N_("This field is required."),  # DataRequired, InputRequired
    N_("Invalid email address."),  # Email
    N_("Invalid URL."),  # URL
    N_("Invalid input."),  # Regexp
    N_("Field must be equal to %(other_name)s."),  # EqualTo
    N_("Field must be between %(min)d and %(max)d characters long."),  # Length
    ngettext_noop(
        "Field must be at least %(min)d character long.",
        "Field must be at least %(min)d characters long.",
    ),
    ngettext_noop(
        "Field cannot be longer than %(max)d character.",
        "Field cannot be longer than %(max)d characters.",
    ),
    ngettext_noop(
        "Field must be exactly %(max)d character long.",
        "Field must be exactly %(max)d characters long.",
    ),
    N_("Number must be at least %(min)s."),  # NumberRange
    N_("Number must be at most %(max)s."),
    N_("Number must be between %(min)s and %(max)s."),
    N_("Not a valid integer value."),  # IntegerField
    N_("Not a valid date value."),  # DateField
    N_("Not a valid datetime value."),  # DateTimeLocalField
    N_("Not a valid time value."),  # TimeField
    N_("Not a valid choice."),  # SelectField, RadioField
    N_("Invalid Choice: could not coerce."),
    N_("Invalid choice(s): one or more data inputs could not be coerced."),  # multiple
    ngettext_noop(
        "'%(value)s' is not a valid choice for this field.",
        "'%(value)s' are not valid choices for this field.",
    ),
)


class FormTranslations:
    """WTForms' translations provider: the app's catalogue for the reader's language, then
    WTForms' own catalogue (through Flask-WTF) for anything the app leaves untranslated."""

    def gettext(self, string: str) -> str:
        translated = get_translations().ugettext(string)
        if translated != string:
            return translated
        return wtforms_translations.gettext(string)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        translated = get_translations().ungettext(singular, plural, n)
        if translated not in (singular, plural):
            return translated
        return wtforms_translations.ngettext(singular, plural, n)


form_translations = FormTranslations()


class _TranslatedMeta:
    def get_translations(self, form: Any) -> FormTranslations:
        return form_translations


class TranslatedForm(FlaskForm):
    """A page's form (CSRF from Flask-WTF) whose built-in messages are translated."""

    class Meta(_TranslatedMeta):
        pass


class TranslatedSubform(Form):
    """A FormField's form (no CSRF of its own) whose built-in messages are translated."""

    class Meta(_TranslatedMeta):
        pass
