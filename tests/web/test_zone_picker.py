"""The zone picker: canonical zones only, grouped by country, named in the page's language,
searchable, and set to the lecturer's own zone on a new session."""

from __future__ import annotations

from tests.fixtures.markup import by_id, parse
from webinars.models import Role


def _groups(page) -> dict[str, list[tuple[str, str]]]:
    select = by_id(page, "time_zone")
    return {
        group.attrs["label"]: [
            (o.attrs["value"], o.text()) for o in group.iter() if o.tag == "option"
        ]
        for group in select.iter()
        if group.tag == "optgroup"
    }


def test_zone_picker_in_russian_by_country_without_aliases(client, login, make_user, make_academy):
    make_academy(city="Izhevsk", city_ru="Ижевск", time_zone="Europe/Samara")
    lecturer = make_user(Role.LECTURER, time_zone="Asia/Almaty", locale="ru")
    login(lecturer)

    page = parse(client.get("/manage/sessions/new").text)

    groups = _groups(page)
    labels = list(groups)
    assert labels[0] == "Наша кафедра и партнёры"
    assert groups[labels[0]] == [
        ("Asia/Samarkand", "Самарканд (Asia/Samarkand)"),
        ("Europe/Samara", "Ижевск (Europe/Samara)"),
    ]
    assert ("Asia/Almaty", "Алматы (Asia/Almaty)") in groups["Казахстан"]
    assert ("Asia/Tashkent", "Ташкент (Asia/Tashkent)") in groups["Узбекистан"]
    assert labels.index("Германия") < labels.index("Казахстан") < labels.index("Россия")
    every = {value for options in groups.values() for value, _label in options}
    assert {"Africa/Asmera", "Asia/Calcutta", "US/Eastern", "Europe/Kiev"} & every == set()
    assert "Africa/Asmara" in every and "Asia/Kolkata" in every
    assert len(every) == sum(len(options) for options in groups.values())  # each once
    assert "data-searchable" in by_id(page, "time_zone").attrs
    # A new session starts in the lecturer's own zone.
    chosen = [v for v, _label in groups["Казахстан"] if v == "Asia/Almaty"]
    assert chosen and by_id(page, "time_zone").attrs.get("name") == "time_zone"
    selected = [
        o.attrs["value"]
        for o in by_id(page, "time_zone").iter()
        if o.tag == "option" and "selected" in o.attrs
    ]
    assert selected == ["Asia/Almaty"]


def test_zone_picker_in_uzbek_names_cities_in_uzbek(client, login, make_user):
    login(make_user(Role.LECTURER, locale="uz"))

    groups = _groups(parse(client.get("/manage/sessions/new").text))

    assert groups["Kafedramiz va hamkorlar"] == [("Asia/Samarkand", "Samarqand (Asia/Samarkand)")]
    assert ("Asia/Tashkent", "Toshkent (Asia/Tashkent)") in groups["Oʻzbekiston"]


def test_zone_picker_keeps_an_old_alias_already_saved(client, login, make_user, make_session):
    lecturer = make_user(Role.LECTURER)
    session = make_session(actor=lecturer, time_zone="Asia/Calcutta")
    login(lecturer)

    groups = _groups(parse(client.get(f"/manage/sessions/{session.id}/edit").text))

    assert groups["Saved before"] == [("Asia/Calcutta", "Asia/Calcutta")]
