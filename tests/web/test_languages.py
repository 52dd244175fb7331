"""Languages: the switcher remembers the choice; pages and dates follow the language."""

from __future__ import annotations

from datetime import date

import pytest
from babel import Locale

import config
from tests.fixtures.app import PASSWORD
from tests.fixtures.markup import by_id, parse, value_of
from webinars.domain.sessions.timezones import utc_to_local
from webinars.extensions import db
from webinars.models import Agreement, AgreementKind, User


def _lang(response) -> str:
    """The lang attribute of the page's <html> element."""
    page = parse(response.get_data(as_text=True))
    return next(e for e in page.iter() if e.tag == "html").attrs["lang"]


def test_language_default_is_english(client):
    assert _lang(client.get("/")) == "en"


def test_language_follows_the_browser_until_chosen(client):
    response = client.get("/", headers={"Accept-Language": "ru-RU,ru;q=0.9,en;q=0.5"})

    assert _lang(response) == "ru"


@pytest.mark.parametrize("lang", ["ru", "uz", "en"])
def test_language_switch_is_remembered_for_an_anonymous_visitor(client, lang):
    response = client.post("/language", data={"lang": lang, "next": "/login"})

    assert response.status_code == 302
    assert response.headers["Location"] == "/login"
    assert _lang(client.get("/login", headers={"Accept-Language": "de"})) == lang
    assert _lang(client.get("/")) == lang


def test_language_switch_ignores_unknown_languages(client):
    client.post("/language", data={"lang": "ru"})

    client.post("/language", data={"lang": "xx"})

    assert _lang(client.get("/")) == "ru"


def test_language_switch_is_stored_in_the_account(app, client, login, make_user):
    user = make_user()
    login(user)

    client.post("/language", data={"lang": "uz"})
    client.post("/logout")

    with app.app_context():
        assert db.session.get(User, user.id).locale == "uz"
    # A new browser, which prefers Russian: the account's choice wins once signed in.
    other = app.test_client()
    other.post("/login", data={"email": user.email, "password": PASSWORD})
    assert _lang(other.get("/manage/", headers={"Accept-Language": "ru"})) == "uz"


def test_language_of_the_account_beats_the_browser_session(app, client, login, make_user):
    user = make_user(locale="ru")
    client.post("/language", data={"lang": "en"})  # chosen in this browser before signing in

    login(user)

    assert _lang(client.get("/manage/")) == "ru"  # the account's own choice decides


@pytest.mark.parametrize("lang", ["en", "ru", "uz"])
def test_dates_follow_the_language(client, make_session, lang):
    session = make_session()
    local = utc_to_local(session.starts_at, session.time_zone)
    names = Locale.parse(lang)
    month = names.months["format"]["abbreviated"][local.month]
    weekday = names.days["format"]["abbreviated"][local.weekday()]
    client.post("/language", data={"lang": lang})

    response = client.get(f"/sessions/{session.id}")

    text = by_id(parse(response.get_data(as_text=True)), "main").text()
    assert _lang(response) == lang
    assert f"{local.day} {month}" in text
    assert weekday in text
    others = {"en", "ru", "uz"} - {lang}
    for other in others:
        other_month = Locale.parse(other).months["format"]["abbreviated"][local.month]
        if other_month.lower() != month.lower():
            assert f"{local.day} {other_month}" not in text


def test_language_of_the_staff_pages_follows_the_account(client, login, make_user, make_session):
    user = make_user(locale="ru")
    session = make_session(actor=user)
    local = utc_to_local(session.starts_at, session.time_zone)
    month = Locale.parse("ru").months["format"]["abbreviated"][local.month]
    login(user)

    for path in ["/manage/", "/manage/schedule", f"/manage/sessions/{session.id}"]:
        response = client.get(path)
        assert _lang(response) == "ru", path
        assert f"{local.day} {month}" in response.get_data(as_text=True), path


def test_titles_in_another_language_carry_a_lang_attribute(client, make_session):
    from tests.fixtures.markup import parse

    make_session(title="Неонатальная желтуха", language="ru")
    make_session(title="Pediatric ECG", language="en")

    page = parse(client.get("/", headers={"Accept-Language": "uz"}).get_data(as_text=True))

    links = {
        e.text(): e.attrs.get("lang") for e in page.iter() if e.tag == "a" and e.parent.tag == "h2"
    }
    assert links == {"Неонатальная желтуха": "ru", "Pediatric ECG": "en"}
    english = parse(client.get("/", headers={"Accept-Language": "en"}).get_data(as_text=True))
    assert "Pediatric ECG" in [
        e.text() for e in english.iter() if e.tag == "a" and "lang" not in e.attrs
    ]


def test_site_and_department_names_per_language(app, client, make_session):
    app.config.update(  # a department that names itself in Uzbek, not in Russian
        SITE_NAME_RU="Международные лекции кафедры",
        HOME_NAME="Children's Diseases Department",
        HOME_NAME_RU=None,
        HOME_NAME_UZ="Bolalar kasalliklari kafedrasi",
    )
    from webinars.domain.sessions.places import home_name

    russian = client.get("/", headers={"Accept-Language": "ru"}).get_data(as_text=True)
    english = client.get("/", headers={"Accept-Language": "en"}).get_data(as_text=True)

    assert "Международные лекции кафедры</a>" in russian
    assert "International lectures</a>" in english  # the default, in English
    assert home_name(app.config, "uz") == "Bolalar kasalliklari kafedrasi"
    assert home_name(app.config, "ru") == app.config["HOME_NAME"]  # unset: the English one


@pytest.mark.parametrize(
    ("path", "listed"),
    [("/cooperation", "Ижевская академия, Ижевск"), ("/calendars/", "Ижевская академия (Ижевск)")],
)
def test_public_pages_name_partner_cities_and_the_department_in_the_readers_language(
    app, client, make_academy, path, listed
):
    academy = make_academy(name_ru="Ижевская академия", city="Izhevsk", city_ru="Ижевск")
    app.config["HOME_NAME_RU"] = "Кафедра детских болезней"
    with app.app_context():
        db.session.add(
            Agreement(
                academy_id=academy.id,
                kind=AgreementKind.MOBILITY,
                signed_on=date(2025, 3, 1),
                is_public=True,
            )
        )
        db.session.commit()

    html = client.get(path, headers={"Accept-Language": "ru"}).get_data(as_text=True)
    text = " ".join(parse(html).text().split())

    assert listed in text
    assert "Izhevsk" not in text
    if path == "/cooperation":
        assert "Кафедра детских болезней ведёт занятия" in text


def test_account_without_a_language_offers_the_one_the_page_is_in(app, client, login, make_user):
    user = make_user(locale=None)
    login(user)
    russian = {"Accept-Language": "ru"}

    page = parse(client.get("/account", headers=russian).get_data(as_text=True))

    assert value_of(page, "locale") == "ru"
    # Saving the form as shown (a new password, say) keeps the reader in Russian.
    client.post(
        "/account",
        headers=russian,
        data={
            "name": value_of(page, "name"),
            "time_zone": value_of(page, "time_zone"),
            "locale": value_of(page, "locale"),
            "new_password": "another-password-1",
            "confirm": "another-password-1",
        },
    )
    with app.app_context():
        assert db.session.get(User, user.id).locale == "ru"


@pytest.mark.parametrize(
    ("language", "name"),
    [
        ("en", "Department of Children's Diseases, Samarkand"),
        ("ru", "Кафедра детских болезней, Самарканд"),
        ("uz", "Bolalar kasalliklari kafedrasi, Samarqand"),
    ],
)
def test_the_default_department_is_named_in_the_pages_language(client, language, name):
    page = client.get("/cooperation", headers={"Accept-Language": language})

    assert name in page.get_data(as_text=True).replace("&#39;", "'")


def test_a_department_set_by_home_name_keeps_its_name_where_no_translation_is_set(
    monkeypatch,
):
    monkeypatch.delenv("HOME_NAME_RU", raising=False)
    monkeypatch.setenv("HOME_NAME", "Pediatrics Department")
    monkeypatch.setenv("HOME_NAME_UZ", "Pediatriya kafedrasi")

    assert config._home_name() == "Pediatrics Department"
    assert config._home_name("RU") is None  # pages then show HOME_NAME
    assert config._home_name("UZ") == "Pediatriya kafedrasi"


def test_the_default_department_has_its_names_from_the_environment_too(monkeypatch):
    for setting in ("HOME_NAME", "HOME_NAME_RU", "HOME_NAME_UZ"):
        monkeypatch.delenv(setting, raising=False)
    monkeypatch.setenv("HOME_NAME_UZ", "Bolalar kasalliklari kafedrasi")

    assert config._home_name("RU") == "Кафедра детских болезней, Самарканд"
    assert config._home_name("UZ") == "Bolalar kasalliklari kafedrasi"
