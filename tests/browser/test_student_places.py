"""A student reads every time in their own place first, in their language: the catalogue
and the registration page in Russian (and Uzbek) with Izhevsk chosen, on a phone."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from tests.fixtures.browser import PHONE
from webinars.models import SessionKind


@pytest.fixture
def izhevsk_session(make_academy, make_session) -> dict[str, Any]:
    izhevsk = make_academy(
        name_en="Izhevsk State Medical Academy",
        name_ru="Ижевская государственная медицинская академия",
        name_uz="Ijevsk davlat tibbiyot akademiyasi",
        city="Izhevsk",
        city_ru="Ижевск",
        city_uz="Ijevsk",
        time_zone="Europe/Samara",
    )
    shymkent = make_academy(
        name_en="South Kazakhstan Medical Academy",
        country="KZ",
        city="Shymkent",
        city_ru="Шымкент",
        city_uz="Chimkent",
        time_zone="Asia/Almaty",
    )
    session = make_session(
        title="Неонатальная желтуха",
        kind=SessionKind.MASTER_CLASS,
        capacity=20,
        academy_ids=[izhevsk.id, shymkent.id],
    )  # 14:00 Samarkand
    return {"izhevsk": izhevsk, "session": session}


def test_student_in_izhevsk_reads_izhevsk_time_first_in_russian(
    new_page, screenshot, izhevsk_session
) -> None:
    izhevsk, session = izhevsk_session["izhevsk"], izhevsk_session["session"]
    page = new_page(PHONE, locale="ru-RU", timezone_id="Europe/Samara")

    page.goto(f"/catalog/?academy={izhevsk.id}")

    row = page.locator(".catalog-session").filter(has_text="Неонатальная желтуха")
    expect(row.locator(".when-first")).to_contain_text("13:00 Ижевск (UTC+04:00)")
    expect(row.locator("ul.place-times li")).to_have_text(
        ["13:00 Ижевск (вы)", "14:00 Самарканд", "14:00 Шымкент"]
    )
    assert "Europe/Samara" not in row.inner_text()
    screenshot(page, "student-catalogue-ru-phone")

    row.get_by_role("link", name="Неонатальная желтуха").click()
    page.wait_for_url(f"**/catalog/{session.id}/register?academy={izhevsk.id}")

    expect(page.locator(".when-first")).to_contain_text("13:00 Ижевск (UTC+04:00)")
    expect(page.locator("ul.place-times li").first).to_have_text("13:00 Ижевск (вы)")
    expect(page.get_by_label("Академия")).to_have_value(str(izhevsk.id))
    assert "Europe/" not in page.locator("main").inner_text()
    screenshot(page, "student-register-ru-phone")

    page.get_by_role("button", name="Oʻzbekcha").click()
    expect(page.locator(".when-first")).to_contain_text("13:00 Ijevsk (UTC+04:00)")
    expect(page.locator("ul.place-times li")).to_have_text(
        ["13:00 Ijevsk (siz)", "14:00 Samarqand", "14:00 Chimkent"]
    )
    screenshot(page, "student-register-uz-phone")


def test_anonymous_visitor_elsewhere_also_sees_their_own_time(
    new_page, screenshot, izhevsk_session
) -> None:
    session = izhevsk_session["session"]
    page = new_page(locale="ru-RU", timezone_id="Europe/Berlin")

    page.goto(f"/catalog/{session.id}/register")

    # No academy chosen: the session's own place first; the visitor's zone is added by the
    # script at once (named as the zone names it), then by the server in their language.
    expect(page.locator("ul.place-times li.viewer")).to_have_text("10:00 Berlin (вы)")
    page.reload()
    expect(page.locator("ul.place-times li.viewer")).to_have_text("10:00 Берлин (вы)")
    expect(page.locator(".when-first")).to_contain_text("14:00 Самарканд (UTC+05:00)")
    screenshot(page, "student-register-berlin-desktop")


def test_catalogue_without_javascript_still_puts_the_chosen_place_first(
    new_page, izhevsk_session
) -> None:
    izhevsk = izhevsk_session["izhevsk"]
    page = new_page(PHONE, locale="ru-RU", java_script_enabled=False)

    page.goto(f"/catalog/?academy={izhevsk.id}")

    expect(page.locator(".when-first").first).to_contain_text("13:00 Ижевск (UTC+04:00)")
