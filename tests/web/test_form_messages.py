"""WTForms' own messages ("This field is required." ...) speak the reader's language.

WTForms has no Uzbek catalogue: a validator without a `message=` of its own showed Uzbek
readers English. The app's forms take those messages from the app's catalogue
(webinars/web/translated_forms.py), and WTForms' own for anything else.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from babel.messages.pofile import read_po
from flask_babel import force_locale
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from werkzeug.datastructures import MultiDict
from wtforms import Form, fields, validators
from wtforms.fields.core import UnboundField
from wtforms.i18n import messages_path

import webinars
from tests.fixtures.markup import errors_beside, parse, value_of
from webinars.models import Role
from webinars.web.manage.forms import SessionForm
from webinars.web.translated_forms import WTFORMS_MESSAGES, TranslatedForm, TranslatedSubform

REQUIRED = "This field is required."
LENGTH = (
    "Field must be between %(min)d and %(max)d characters long.",
    (
        "Field must be at least %(min)d character long.",
        "Field must be at least %(min)d characters long.",
    ),
    (
        "Field cannot be longer than %(max)d character.",
        "Field cannot be longer than %(max)d characters.",
    ),
    (
        "Field must be exactly %(max)d character long.",
        "Field must be exactly %(max)d characters long.",
    ),
)
CHOICE = ("Not a valid choice.", "Invalid Choice: could not coerce.")
# What each WTForms field or validator the app uses can say to a reader, by its exact class
# (a subclass may add messages: SelectMultipleField does). "Choices cannot be None." and
# EqualTo's "Invalid field name" are left out: they are a form's programming errors, not
# anything a reader can cause.
EMITS: dict[type, tuple[Any, ...]] = {
    validators.DataRequired: (REQUIRED,),
    validators.InputRequired: (REQUIRED,),
    validators.Optional: (),
    validators.Length: LENGTH,
    validators.NumberRange: (
        "Number must be at least %(min)s.",
        "Number must be at most %(max)s.",
        "Number must be between %(min)s and %(max)s.",
    ),
    validators.Email: ("Invalid email address.",),
    validators.URL: ("Invalid URL.",),
    validators.Regexp: ("Invalid input.",),
    validators.EqualTo: ("Field must be equal to %(other_name)s.",),
    fields.StringField: (),
    fields.TextAreaField: (),
    fields.PasswordField: (),
    fields.EmailField: (),
    fields.URLField: (),
    fields.BooleanField: (),
    FileField: (),
    fields.FieldList: (),
    fields.FormField: (),
    fields.IntegerField: ("Not a valid integer value.",),
    fields.DateField: ("Not a valid date value.",),
    fields.DateTimeLocalField: ("Not a valid datetime value.",),
    fields.TimeField: ("Not a valid time value.",),
    fields.SelectField: CHOICE,
    fields.RadioField: CHOICE,
    fields.SelectMultipleField: (
        "Invalid choice(s): one or more data inputs could not be coerced.",
        (
            "'%(value)s' is not a valid choice for this field.",
            "'%(value)s' are not valid choices for this field.",
        ),
    ),
}


def _app_forms() -> set[type[Form]]:
    for module in pkgutil.walk_packages(webinars.__path__, "webinars."):
        importlib.import_module(module.name)
    found: set[type[Form]] = set()
    pending = list(Form.__subclasses__())
    while pending:
        cls = pending.pop()
        pending.extend(cls.__subclasses__())
        if cls.__module__.startswith("webinars."):
            found.add(cls)
    return found


def _parts(unbound: UnboundField) -> Iterator[type | object]:
    """A field's class and its validators, and those of a FieldList's entries."""
    yield unbound.field_class
    given = unbound.kwargs.get("validators") or (unbound.args[1:2] or [None])[0] or ()
    yield from given
    for arg in unbound.args:
        if isinstance(arg, UnboundField):
            yield from _parts(arg)


def _emitted(part: type | object) -> tuple[Any, ...]:
    """What a field or validator can say: its nearest WTForms class's messages (the app's
    own classes and validating functions add only the app's own strings)."""
    cls = part if isinstance(part, type) else type(part)
    for base in cls.__mro__:
        if base.__module__.startswith(("wtforms.", "flask_wtf.")):
            assert base in EMITS, f"{base.__qualname__}: list the messages it can emit"
            return EMITS[base]
    return ()


def test_form_messages_every_app_form_takes_the_apps_translations():
    forms = _app_forms()
    untranslated = sorted(
        f"{f.__module__}.{f.__qualname__}"
        for f in forms
        if f not in (TranslatedForm, TranslatedSubform)
        and not issubclass(f, (TranslatedForm, TranslatedSubform))
    )

    assert len(forms) > 40
    assert untranslated == []


def test_form_messages_every_message_the_forms_can_emit_is_marked():
    emitted: set[Any] = set()
    for form in _app_forms():
        for name in dir(form):
            unbound = getattr(form, name, None)
            if isinstance(unbound, UnboundField):
                for part in _parts(unbound):
                    emitted.update(_emitted(part))

    assert emitted == set(WTFORMS_MESSAGES)


def test_form_messages_are_worded_as_wtforms_writes_them():
    with (Path(messages_path()) / "wtforms.pot").open("rb") as f:
        wtforms_own = {m.id for m in read_po(f) if m.id}

    assert [m for m in WTFORMS_MESSAGES if m not in wtforms_own] == []


def test_form_messages_flask_wtf_forms_use_the_base():
    # The page forms also keep Flask-WTF's CSRF: TranslatedForm is a FlaskForm.
    assert issubclass(TranslatedForm, FlaskForm)


UZ = {
    "required": "Bu maydonni toʻldirish shart.",
    "email": "Elektron pochta manzili notoʻgʻri.",
    "too long": "Koʻpi bilan 200 ta belgi boʻlishi mumkin.",
    "not a number": ["Butun son kiriting.", "Son 1 dan 10 gacha boʻlishi kerak."],
}
RU = {
    "required": "Обязательное поле.",
    "email": "Неверный адрес электронной почты.",
    "too long": "Значение не должно содержать более 200 символов.",
    "not a number": ["Неверное целое число.", "Число должно быть от 1 до 10."],
}
EN = {
    "required": "This field is required.",
    "email": "Invalid email address.",
    "too long": "Field cannot be longer than 200 characters.",
    "not a number": ["Not a valid integer value.", "Number must be between 1 and 10."],
}
USER = {
    "name": "Akmal Yusupov",
    "email": "akmal@example.org",
    "role": "lecturer",
    "academy_id": "0",
    "time_zone": "Asia/Samarkand",
    "active": "y",
    "password": "long enough",
}
USER_CASES = {"required": {"name": ""}, "email": {"email": "akmal at example"}}
USER_CASES["too long"] = {"name": "Я" * 201}
FIELD = {"required": "name", "email": "email", "too long": "name"}


@pytest.fixture(params=["uz", "ru", "en"])
def admin_in(request, client, login, make_user):
    """An administrator whose account reads the pages in the parametrised language."""
    login(make_user(Role.ADMIN, email="admin@example.org", locale=request.param))
    return request.param, client


@pytest.mark.parametrize("case", ["required", "email", "too long"])
def test_form_messages_account_form_speaks_the_readers_language(admin_in, case):
    lang, client = admin_in
    data = {**USER, **USER_CASES[case]}

    response = client.post("/admin/users/new", data=data)

    assert response.status_code == 200
    page = parse(response.get_data(as_text=True))
    expected = {"uz": UZ, "ru": RU, "en": EN}[lang][case]
    assert errors_beside(page, FIELD[case]) == [expected]
    assert value_of(page, FIELD[case]) == data[FIELD[case]]


def test_form_messages_number_field_speaks_the_readers_language(admin_in):
    lang, client = admin_in

    response = client.post("/admin/cooperation", data={"years_shown": "four"})

    assert response.status_code == 200
    page = parse(response.get_data(as_text=True))
    assert (
        errors_beside(page, "years_shown") == {"uz": UZ, "ru": RU, "en": EN}[lang]["not a number"]
    )
    assert value_of(page, "years_shown") == "four"


def test_form_messages_subform_rows_speak_the_readers_language(app):
    # WTForms builds a FormField's form without its parent's meta: the row needs its own.
    with app.test_request_context(method="POST"), force_locale("uz"):
        form = SessionForm(formdata=MultiDict({"guests-0-name": "Я" * 201}), meta={"csrf": False})
        row = form.guests[0].form  # built by FormField, as on the session page
        row.name.validate(row)

        assert row.name.errors == [UZ["too long"]]
