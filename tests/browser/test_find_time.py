"""The find-a-time grid in Debian's Chromium: with JavaScript a click on a free slot fills
the form's start in place; without it the form posts back and returns with the grid and
the picked start; on a phone the grid shows one day; all by keyboard too."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.fixtures.app import working_day
from tests.fixtures.browser import PHONE
from webinars.models import Role, utcnow

START_LABEL = "Starts: date and clock time in that time zone"
GRID_BUTTON = "Show the week grid and the next good times"


@pytest.fixture
def people(make_user, make_academy) -> dict[str, Any]:
    izhevsk = make_academy(
        name_en="Izhevsk State Medical Academy", city="Izhevsk", time_zone="Europe/Samara"
    )
    lecturer = make_user(Role.LECTURER, name="Dilnoza Rashidova", time_zone="Asia/Samarkand")
    return {"lecturer": lecturer, "izhevsk": izhevsk}


DAY = working_day((utcnow() + timedelta(days=14)).date())
SLOT = f"{DAY.isoformat()}T11:00"  # 10:00 in Izhevsk: inside everyone's hours


def _open_form(page: Any, sign_in, lecturer) -> None:
    sign_in(page, lecturer)
    page.goto("/manage/sessions/new")
    page.get_by_label("Izhevsk State Medical Academy (Izhevsk)").check()
    page.get_by_label(START_LABEL).fill(f"{DAY.isoformat()}T16:00")
    page.get_by_label("Duration (minutes)").fill("90")


def test_clicking_a_free_slot_fills_the_start(page, people, sign_in, screenshot):
    _open_form(page, sign_in, people["lecturer"])
    page.get_by_label("Title", exact=True).fill("Typed before the grid")

    page.get_by_role("button", name=GRID_BUTTON).click()

    grid = page.locator("#find-time-grid")
    expect(grid).to_be_visible()
    assert page.url.endswith("/manage/sessions/new")  # no page load: fetched in place
    expect(page.locator(".good-times li")).to_have_count(3)
    slot = grid.locator(f"td[data-start='{SLOT}'] button")
    expect(slot).to_have_text("✓ free")
    slot.click()
    expect(page.get_by_label(START_LABEL)).to_have_value(SLOT)
    expect(slot).to_have_attribute("aria-pressed", "true")
    # 90 minutes span the 11:00 and 12:00 cells.
    expect(grid.locator("td.slot-chosen")).to_have_count(2)
    expect(page.get_by_label("Title", exact=True)).to_have_value("Typed before the grid")
    screenshot(page, "find-time-1-picked")

    # By keyboard: the next week, then a free slot with Enter.
    grid.get_by_role("button", name="Week after").focus()
    page.keyboard.press("Enter")
    later = f"{(DAY + timedelta(days=7)).isoformat()}T11:00"
    next_week = page.locator(f"#find-time-grid td[data-start='{later}'] button")
    expect(next_week).to_be_visible()
    next_week.focus()
    page.keyboard.press("Enter")
    expect(page.get_by_label(START_LABEL)).to_have_value(later)


def test_without_javascript_the_grid_comes_back_with_the_form(
    new_page, people, sign_in, screenshot
):
    page = new_page(java_script_enabled=False)
    _open_form(page, sign_in, people["lecturer"])
    page.get_by_label("Title", exact=True).fill("Typed without scripts")

    with page.expect_navigation():
        page.get_by_role("button", name=GRID_BUTTON).click()
    with page.expect_navigation():
        page.locator(f"#find-time-grid td[data-start='{SLOT}'] button").click()

    expect(page.get_by_label(START_LABEL)).to_have_value(SLOT)
    expect(page.get_by_label("Title", exact=True)).to_have_value("Typed without scripts")
    expect(page.get_by_label("Izhevsk State Medical Academy (Izhevsk)")).to_be_checked()
    screenshot(page, "find-time-2-no-javascript")


def test_on_a_phone_the_grid_shows_one_day(new_page, people, sign_in, screenshot):
    page = new_page(PHONE)
    sign_in(page, people["lecturer"])
    page.goto(
        f"/manage/find-a-time?academy_ids={people['izhevsk'].id}&time_zone=Asia/Samarkand"
        f"&duration_minutes=60&week={DAY.isoformat()}&day={DAY.isoformat()}"
    )

    header = page.locator(".find-time-table thead th")
    visible = [h for h in header.all() if h.is_visible()]
    assert len(visible) == 2  # the hour column and the one day
    page.get_by_role("link", name="Day after").click()
    later = page.locator(
        f".find-time-table td[data-start='{(DAY + timedelta(days=1)).isoformat()}T11:00']"
    )
    expect(later).to_be_visible()
    screenshot(page, "find-time-3-phone-day")
