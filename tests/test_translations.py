"""Translations: every string the source marks is translated into Russian and Uzbek (Latin).

The strings are extracted from the source here, in-process, with babel.cfg and the keywords
`flask translate extract` uses: the committed messages.pot is checked against them, not
trusted (a stale template let untranslated strings pass). The catalogues are read with
Babel's own parser; pages are rendered through the app, which reads the compiled .mo files
(`make translations` builds them; `make test` does it first).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog, Message
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_keywords, parse_mapping_cfg
from babel.messages.pofile import read_po
from flask import Flask
from flask_babel import force_locale, ngettext

from tests.fixtures.markup import parse
from webinars.cli import BABEL_CFG, EXTRA_KEYWORDS, POT, ROOT_DIR, TRANSLATIONS

LANGUAGES = ["ru", "uz"]
# Plural-Forms per CLDR: Russian one/few/many, Uzbek one/other.
PLURAL_FORMS = {
    "ru": (
        3,
        "(n%10==1 && n%100!=11 ? 0 : n%10>=2 && n%10<=4 && (n%100<10 || n%100>=20) ? 1 : 2)",
    ),
    "uz": (2, "(n != 1)"),
}
# Strings that rightly stay the same in a language: product names and the like.
SAME_AS_ENGLISH = {
    "ru": {"Zoom", "UTC", "Outlook.com"},
    "uz": {
        "Zoom",
        "UTC",
        "Outlook.com",
        "Apple Calendar",
        "Apple Calendar (iPhone, iPad, Mac)",
        "Google Calendar",
    },
}
# %(name)s, %(count)d, %s, %d (Python format) and {name} (str.format).
PLACEHOLDER = re.compile(r"%\(\w+\)[-#0 +]*\d*(?:\.\d+)?[a-zA-Z]|%[sdif]|\{\w*\}")
HTML_TAG = re.compile(r"</?[a-zA-Z][^>]*>")
# Uzbek Latin: oʻ and gʻ take U+02BB, the tutuq belgisi is U+02BC; never an ASCII or
# typographic apostrophe, a backtick or an acute accent in their place.
WRONG_APOSTROPHES = re.compile("['\u2018\u2019`\u00b4]")
TURNED_COMMA = "\u02bb"


def _read(path: Path, locale: str | None = None) -> Catalog:
    with path.open("rb") as f:
        return read_po(f, locale=locale, abort_invalid=True)


def _po_path(lang: str) -> Path:
    return TRANSLATIONS / lang / "LC_MESSAGES" / "messages.po"


def _extract() -> Catalog:
    """The strings the source marks for translation now, as `flask translate extract` finds
    them (same mapping, same keywords), with where each one is."""
    with BABEL_CFG.open() as f:
        method_map, options_map = parse_mapping_cfg(f, str(BABEL_CFG))
    keywords = {**DEFAULT_KEYWORDS, **parse_keywords(EXTRA_KEYWORDS)}
    catalog = Catalog()
    reading: list[str] = []
    try:
        for path, line, message, comments, context in extract_from_dir(
            ROOT_DIR,
            method_map,
            options_map,
            keywords,
            callback=lambda path, *_: reading.append(path),
        ):
            catalog.add(message, None, [(path, line)], auto_comments=comments, context=context)
    except Exception as exc:  # Jinja's error does not say which template it was
        raise AssertionError(f"cannot extract the strings of {reading[-1]}: {exc}") from exc
    return catalog


def _named(message: Message) -> str:
    """A message for a failure's list: its text (singular), context and first place."""
    where = ":".join(str(part) for part in message.locations[0]) if message.locations else ""
    context = f" [{message.context}]" if message.context else ""
    return f"{_ids(message)[0]!r}{context} ({where})"


def _ids(message: Message) -> tuple[str, ...]:
    return message.id if isinstance(message.id, tuple) else (message.id,)


def _strings(message: Message) -> tuple[str, ...]:
    return message.string if isinstance(message.string, tuple) else (message.string,)


@pytest.fixture(scope="module")
def source() -> Catalog:
    return _extract()


@pytest.fixture(scope="module")
def template() -> Catalog:
    return _read(POT)


@pytest.fixture(scope="module", params=LANGUAGES)
def catalog(request: pytest.FixtureRequest) -> Catalog:
    return _read(_po_path(request.param), locale=request.param)


def test_translations_source_has_strings(source):
    assert len([m for m in source if m.id]) > 100


def test_translations_template_lists_exactly_the_strings_in_the_source(source, template):
    # Stale: `flask translate update` extracts afresh and merges into ru and uz.
    def keys(catalog: Catalog) -> set[str]:
        return {repr(_ids(m)) + (f" [{m.context}]" if m.context else "") for m in catalog if m.id}

    missing = sorted(keys(source) - keys(template))
    stale = sorted(keys(template) - keys(source))

    assert missing == [], "missing from messages.pot:\n" + "\n".join(missing)
    assert stale == [], "in messages.pot, no longer in the source:\n" + "\n".join(stale)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_translations_catalogue_parses_as_its_language(lang):
    catalog = _read(_po_path(lang), locale=lang)

    assert str(catalog.locale) == lang
    assert catalog.num_plurals == PLURAL_FORMS[lang][0]
    assert catalog.plural_expr == PLURAL_FORMS[lang][1]


def test_translations_every_string_in_the_source_is_translated(source, catalog):
    missing = []
    for entry in source:
        if not entry.id:
            continue
        found = catalog.get(entry.id, context=entry.context)
        if (
            found is None
            or found.fuzzy
            or _ids(found) != _ids(entry)
            or not all(s.strip() for s in _strings(found))
        ):
            missing.append(_named(entry))

    assert missing == [], f"not translated into {catalog.locale}:\n" + "\n".join(missing)


def test_translations_plural_entries_fill_every_form(catalog):
    short = [
        m.id for m in catalog if m.id and m.pluralizable and len(_strings(m)) != catalog.num_plurals
    ]

    assert short == []


def test_translations_keep_placeholders(catalog):
    wrong = []
    for m in catalog:
        if not m.id:
            continue
        # Every plural form must name the count: in Russian the "one" form serves 21, 31...
        wanted = sorted(PLACEHOLDER.findall(_ids(m)[-1]))
        for s in _strings(m):
            if sorted(PLACEHOLDER.findall(s)) != wanted:
                wrong.append((m.id, s))

    assert wrong == []


def test_translations_keep_html_and_edge_spaces(catalog):
    wrong = []
    for m in catalog:
        if not m.id:
            continue
        source = _ids(m)[0]
        edges = (source[:1].isspace(), source[-1:].isspace())
        tags = sorted(HTML_TAG.findall(source))
        for s in _strings(m):
            if (s[:1].isspace(), s[-1:].isspace()) != edges or sorted(HTML_TAG.findall(s)) != tags:
                wrong.append((m.id, s))

    assert wrong == []


def test_translations_are_not_left_in_english(catalog):
    lang = str(catalog.locale)
    copied = [
        m.id
        for m in catalog
        if m.id and not m.pluralizable and m.string == m.id and m.id not in SAME_AS_ENGLISH[lang]
    ]

    assert copied == []


def test_translations_have_no_fuzzy_or_obsolete_entries(catalog):
    assert [m.id for m in catalog if m.id and m.fuzzy] == []
    assert list(catalog.obsolete) == []


def test_translations_uzbek_uses_modifier_letters():
    catalog = _read(_po_path("uz"), locale="uz")
    wrong = []
    for m in catalog:
        for s in _strings(m) if m.id else ():
            misplaced = [
                i for i, ch in enumerate(s) if ch == TURNED_COMMA and s[i - 1 : i] not in "oOgG"
            ]
            if WRONG_APOSTROPHES.search(s) or misplaced:
                wrong.append(s)

    assert wrong == []


@pytest.mark.parametrize(
    ("count", "expected"),
    [
        (1, "Осталось 1 место"),
        (3, "Осталось 3 места"),
        (5, "Осталось 5 мест"),
        (21, "Осталось 21 место"),
        (12, "Осталось 12 мест"),
    ],
)
def test_translations_russian_plural_forms_follow_the_count(app: Flask, count, expected):
    with app.test_request_context(), force_locale("ru"):
        assert ngettext("%(num)d seat left", "%(num)d seats left", count) == expected


def _h1(response) -> str:
    page = parse(response.get_data(as_text=True))
    return next(e for e in page.iter() if e.tag == "h1").text()


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("ru", "Предстоящие лекции, вебинары и мастер-классы"),
        ("uz", "Boʻlajak maʼruzalar, vebinarlar va mahorat darslari"),
    ],
)
def test_translations_public_index_renders_in_the_chosen_language(client, lang, expected):
    client.post("/language", data={"lang": lang})

    response = client.get("/")

    assert response.status_code == 200
    assert _h1(response) == expected


def test_translations_login_page_renders_in_russian(client):
    client.post("/language", data={"lang": "ru"})

    assert _h1(client.get("/login")) == "Вход для сотрудников"


def test_translations_staff_dashboard_renders_in_the_accounts_language(client, login, make_user):
    user = make_user(name="Aziza Karimova", locale="uz")
    login(user)

    response = client.get("/manage/")

    assert response.status_code == 200
    assert _h1(response) == "Assalomu alaykum, Aziza Karimova"
