"""The id selects' widget writes what WTForms' own Select writes, only cheaper."""

from __future__ import annotations

import pytest
from flask_babel import force_locale
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from werkzeug.datastructures import MultiDict
from wtforms import Form, SelectField, widgets

from webinars.web.bounds import IdSelectField, IdSelectMultipleField
from webinars.web.plain_select import PlainSelect


class Filters(Form):
    lecturer = IdSelectField("Lecturer")
    lecturers = IdSelectMultipleField("Lecturers")
    word = SelectField("Word", widget=PlainSelect())


CHOICES = [(0, _l("All lecturers")), (7, 'Ann "A" <Smith> & Co'), (12, "Ботир"), (3, "")]


@pytest.mark.parametrize(
    ("data", "kwargs"),
    [
        (MultiDict(), {}),
        (MultiDict({"lecturer": "7", "lecturers": ["12", "3"]}), {}),
        (MultiDict({"lecturer": "12"}), {"class": "form-select", "data-searchable": ""}),
        (MultiDict({"lecturer": "99"}), {"required": True}),
    ],
)
def test_plain_select_writes_what_wtforms_writes(app, data, kwargs):
    with app.test_request_context():
        form = Filters(data)
        for field in (form.lecturer, form.lecturers):
            field.choices = CHOICES
        form.word.choices = [("", "Any"), ("a&b", "A & B"), ("x", "X")]
        for field, stock in (
            (form.lecturer, widgets.Select()),
            (form.lecturers, widgets.Select(multiple=True)),
            (form.word, widgets.Select()),
        ):
            assert field(**kwargs) == stock(field, **kwargs)
            assert field(**kwargs).count("<option") == len(field.choices)


def test_plain_select_marks_the_chosen_options(app):
    with app.test_request_context():
        form = Filters(MultiDict({"lecturer": "7", "lecturers": ["12", "3"]}))
        form.lecturer.choices = form.lecturers.choices = CHOICES
        single, multiple = str(form.lecturer()), str(form.lecturers())
    assert single.count(" selected ") == 1
    assert '<option selected value="7">Ann &#34;A&#34; &lt;Smith&gt; &amp; Co</option>' in single
    assert multiple.count(" selected ") == 2
    assert '<option selected value="12">Ботир</option>' in multiple


def test_plain_select_leaves_groups_and_option_attributes_to_wtforms(app):
    with app.test_request_context():
        form = Filters()
        form.word.choices = {"Group": [("a", "A", {"data-place": "Kazan"})]}
        html = str(form.word())
    assert '<optgroup label="Group">' in html
    assert 'data-place="Kazan"' in html


@pytest.mark.parametrize(
    ("value", "error"),
    [
        ("7", None),
        ("0", None),
        ("8", "Not a valid choice."),
        (str(2**40), "Invalid Choice: could not coerce."),
    ],
)
def test_id_select_accepts_only_its_choices(app, value, error):
    with app.test_request_context():
        form = Filters(MultiDict({"lecturer": value}))
        form.lecturer.choices = CHOICES
        form.lecturer.validate(form)
    assert form.lecturer.errors == ([error] if error else [])


class AppFilters(FlaskForm):
    """As the app's forms are: FlaskForm, whose WTForms messages have no Uzbek catalogue."""

    class Meta:
        csrf = False

    lecturer = IdSelectField("Lecturer")


@pytest.mark.parametrize(
    ("lang", "error"),
    [
        ("en", "Not a valid choice."),
        ("ru", "Выберите один из вариантов в списке."),
        ("uz", "Roʻyxatdagi variantlardan birini tanlang."),
    ],
)
def test_id_select_refuses_a_choice_in_the_readers_language(app, lang, error):
    with app.test_request_context(), force_locale(lang):
        form = AppFilters(MultiDict({"lecturer": "8"}))
        form.lecturer.choices = CHOICES
        form.lecturer.validate(form)
    assert form.lecturer.errors == [error]


def test_a_plain_text_list_is_kept_and_still_writes_what_wtforms_writes(app):
    # Plain-text labels (a lecturer list read once per process): written once, kept, and
    # every later request marks its own choice.
    plain = [(0, "All"), (7, 'Ann "A" <Smith> & Co'), (12, "Ботир"), (3, "")]
    with app.test_request_context():
        for chosen in ("7", "12", "7", ""):
            form = Filters(MultiDict({"lecturer": chosen} if chosen else {}))
            form.lecturer.choices = plain
            stock = widgets.Select()(form.lecturer)
            assert str(form.lecturer()) == str(stock)
            assert str(form.lecturer()).count(" selected ") == (1 if chosen else 0)


def test_translated_labels_are_written_in_each_readers_language(app):
    # A lazy label reads differently per language: never kept as one text.
    from flask_babel import force_locale

    with app.test_request_context():
        form = Filters()
        form.word.choices = [("", _l("All lecturers")), ("x", "X")]
        with force_locale("en"):
            english = str(form.word())
        with force_locale("ru"):
            russian = str(form.word())
    assert ">All lecturers<" in english
    assert ">Все преподаватели<" in russian
