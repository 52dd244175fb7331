"""What a student sees on a phone: the session's time in the partner cities and in their own."""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo

from playwright.sync_api import expect

from tests.fixtures.browser import PHONE


def test_visitor_sees_the_time_in_their_own_zone_at_once_and_later(
    new_page, make_session, make_academy
) -> None:
    session = make_session(academy_ids=[make_academy().id])
    berlin = session.starts_at.astimezone(ZoneInfo("Europe/Berlin"))
    page = new_page(PHONE, timezone_id="Europe/Berlin")
    url = f"/sessions/{session.id}"

    page.goto(url)

    # First visit: the server does not know the zone yet; the page's script adds it.
    viewer = page.locator("#place-times li.viewer")
    expect(viewer).to_have_text(f"{berlin:%H:%M} Berlin (you)")
    places = page.locator("#place-times li").all_inner_texts()
    assert places == ["14:00 Samarkand", "13:00 Izhevsk", f"{berlin:%H:%M} Berlin (you)"]
    # Next request: the browser's zone came back in a cookie, and the server shows it itself.
    html = page.request.get(url).text()
    assert f"{berlin:%H:%M}</time> Berlin" in html


def test_visitor_in_a_listed_city_is_marked_not_repeated(new_page, make_session) -> None:
    session = make_session()
    page: Any = new_page(PHONE, timezone_id="Europe/Samara")

    page.goto(f"/sessions/{session.id}")

    expect(page.locator("#place-times li.viewer")).to_have_text("13:00 Izhevsk (you)")
    assert page.locator("#place-times li").all_inner_texts() == [
        "14:00 Samarkand",
        "13:00 Izhevsk (you)",
    ]
