"""The subscribe pages: one-click links per calendar app and a copyable address."""

from __future__ import annotations

import html
import re
from urllib.parse import parse_qs, quote, urlsplit

from webinars.models import Role
from webinars.web.feed_links import subscribe_links


def _links(page: str) -> list[str]:
    return [html.unescape(h) for h in re.findall(r'href="([^"]+)"', page)]


def test_subscribe_links_for_each_app():
    links = subscribe_links("https://webinars.example.uz/calendars/all.ics?kind=webinar", "All")
    assert links.webcal == "webcal://webinars.example.uz/calendars/all.ics?kind=webinar"
    assert links.google == "https://calendar.google.com/calendar/r?cid=" + quote(
        links.webcal, safe=""
    )
    for link, host in (
        (links.outlook, "outlook.live.com"),
        (links.office365, "outlook.office.com"),
    ):
        parts = urlsplit(link)
        assert (parts.netloc, parts.path) == (host, "/calendar/0/addfromweb")
        assert parse_qs(parts.query) == {"url": [links.https], "name": ["All"]}


def test_subscribe_page_offers_every_app_and_the_address(client, add_session):
    add_session()
    response = client.get("/calendars/")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    links = _links(page)
    assert "webcal://localhost/calendars/all.ics" in links
    assert (
        "https://calendar.google.com/calendar/r?cid=webcal%3A%2F%2Flocalhost%2Fcalendars%2Fall.ics"
        in links
    )
    assert any(
        link.startswith("https://outlook.live.com/calendar/0/addfromweb?url=") for link in links
    )
    assert any(
        link.startswith("https://outlook.office.com/calendar/0/addfromweb?url=") for link in links
    )
    assert 'readonly value="http://localhost/calendars/all.ics"' in page
    assert 'data-copy="#feed-url"' in page
    assert "Add Subscribed Calendar" in page  # the instructions


def test_filters_change_the_links(client):
    page = client.get("/calendars/?kind=master_class&lang=ru&locale=uz").get_data(as_text=True)
    assert (
        'value="http://localhost/calendars/all.ics?kind=master_class&amp;lang=ru&amp;locale=uz"'
        in page
    )


def test_bad_filter_is_shown_beside_its_field(client):
    response = client.get("/calendars/?kind=party")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "Not a valid choice" in page
    assert 'value="http://localhost/calendars/all.ics"' in page


def test_academy_and_lecturer_pages(client, add_session, make_academy, make_user):
    academy = make_academy(slug="izhevsk", name_en="Izhevsk Academy", language="ru")
    lecturer = make_user(Role.LECTURER, name="Aziza Karimova")
    add_session(academy_ids=[academy.id], lecturer_ids=[lecturer.id])
    index = client.get("/calendars/").get_data(as_text=True)
    assert "/calendars/academies/izhevsk" in index
    assert f"/calendars/lecturers/{lecturer.id}-aziza-karimova" in index
    academy_page = client.get("/calendars/academies/izhevsk").get_data(as_text=True)
    assert "webcal://localhost/calendars/academies/izhevsk.ics" in _links(academy_page)
    lecturer_page = client.get(f"/calendars/lecturers/{lecturer.id}-aziza-karimova")
    assert f"webcal://localhost/calendars/lecturers/{lecturer.id}-aziza-karimova.ics" in _links(
        lecturer_page.get_data(as_text=True)
    )
    assert client.get("/calendars/academies/nowhere").status_code == 404
    assert client.get("/calendars/lecturers/999999").status_code == 404


def test_pages_link_to_calendars(client, add_session):
    session_id = add_session()
    assert "/calendars/" in _links(client.get("/").get_data(as_text=True))
    session_links = _links(client.get(f"/sessions/{session_id}").get_data(as_text=True))
    assert f"/sessions/{session_id}/calendar.ics?locale=en" in session_links
