"""A lecturer's day in a real Chromium: sign in, schedule a session with two partner
academies, find it in the schedule, move it to another zone's time, cancel it, and read
the pages in Russian and Uzbek. Also: the same work with JavaScript switched off.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from babel.dates import format_datetime
from flask import Flask
from flask_babel import force_locale, gettext
from playwright.sync_api import expect

from tests.fixtures.app import working_day
from tests.fixtures.browser import PHONE, follow_menu
from webinars.models import Role, utcnow

SESSION_URL = re.compile(r"/manage/sessions/\d+$")
TITLE = "Congenital heart disease: a case review"
START_LABEL = "Starts: date and clock time in that time zone"
MOVE_LABEL = "New start: date and clock time in that time zone"
ZONE_LABEL = "Time zone of the start time"


@pytest.fixture
def people(make_user, make_academy) -> dict[str, Any]:
    """A Samarkand lecturer and the two partner academies of the issue's example."""
    izhevsk = make_academy(
        name_en="Izhevsk State Medical Academy", city="Izhevsk", time_zone="Europe/Samara"
    )
    shymkent = make_academy(
        name_en="South Kazakhstan Medical Academy",
        country="KZ",
        city="Shymkent",
        time_zone="Asia/Almaty",
    )
    lecturer = make_user(Role.LECTURER, name="Dilnoza Rashidova", time_zone="Asia/Samarkand")
    return {"lecturer": lecturer, "izhevsk": izhevsk, "shymkent": shymkent}


def _future_day(days: int) -> date:
    """The first working day (no weekend, no holiday: no warning on save) `days` ahead or later."""
    return working_day(
        (utcnow() + timedelta(days=days)).astimezone(ZoneInfo("Asia/Samarkand")).date()
    )


def _places(page: Any) -> str:
    """The session page's 'same time in each place' line, as people read it."""
    return " · ".join(page.locator("#place-times li").all_inner_texts())


def _preview(page: Any) -> list[str]:
    return page.locator("[data-time-preview] [data-places] li").all_inner_texts()


def _fill_new_session(page: Any, day: date) -> None:
    page.get_by_label("Kind").select_option("webinar")
    page.get_by_label("Language of instruction").select_option("en")
    page.get_by_label(ZONE_LABEL).select_option("Asia/Samarkand")
    page.get_by_label(START_LABEL).fill(f"{day.isoformat()}T14:00")
    page.get_by_label("Duration (minutes)").fill("90")
    page.get_by_label("Izhevsk State Medical Academy (Izhevsk)").check()
    page.get_by_label("South Kazakhstan Medical Academy (Shymkent)").check()
    page.get_by_role("textbox", name="Meeting link").fill("https://meet.example.org/heart-review")


def _create(page: Any, day: date, screenshot) -> None:
    page.get_by_role("link", name="New session", exact=True).first.click()
    page.wait_for_url("**/manage/sessions/new")
    _fill_new_session(page, day)

    # The preview shows the typed time in every partner city before anything is saved.
    expect(page.locator("[data-time-preview]")).to_be_visible()
    assert _preview(page) == [
        "14:00–15:30 Samarkand (you)",
        "13:00–14:30 Izhevsk",
        "14:00–15:30 Shymkent",
        "09:00–10:30 UTC",
    ]
    date_line = page.locator("[data-time-preview] [data-date]")
    for part in (day.strftime("%A"), day.strftime("%B"), str(day.year), "14:00 Asia/Samarkand"):
        expect(date_line).to_contain_text(part)
    page.get_by_label(ZONE_LABEL).select_option("Europe/Samara")
    expect(page.locator("[data-time-preview] li").first).to_have_text("14:00–15:30 Izhevsk")
    expect(page.locator("[data-time-preview] [data-offset]")).to_have_text(
        "Europe/Samara is UTC+04:00 on that day."
    )
    page.get_by_label(ZONE_LABEL).select_option("Asia/Samarkand")
    expect(page.locator("[data-time-preview] li").first).to_have_text("14:00–15:30 Samarkand (you)")
    screenshot(page, "journey-1-new-session-preview")

    # Saved without a title: the message is beside the field and nothing typed is lost.
    with page.expect_navigation():
        page.get_by_role("button", name="Save").click()
    title_group = page.locator(".mb-3", has=page.get_by_label("Title", exact=True))
    expect(title_group.locator(".invalid-feedback")).to_have_text("This field is required.")
    expect(page.get_by_label(START_LABEL)).to_have_value(f"{day.isoformat()}T14:00")
    expect(page.get_by_label("Izhevsk State Medical Academy (Izhevsk)")).to_be_checked()
    expect(page.get_by_label("South Kazakhstan Medical Academy (Shymkent)")).to_be_checked()
    expect(page.get_by_label("Dilnoza Rashidova")).to_be_checked()
    screenshot(page, "journey-2-missing-title")

    page.get_by_label("Title", exact=True).fill(TITLE)
    page.get_by_role("button", name="Save").click()
    page.wait_for_url(SESSION_URL)


def _check_in_schedule(page: Any, *expected: str) -> None:
    follow_menu(page, "Sessions", "Schedule")
    page.wait_for_url("**/manage/schedule")
    row = page.get_by_role("row").filter(has_text=TITLE)
    expect(row).to_have_count(1)
    for text in expected:
        expect(row).to_contain_text(text)
    row.get_by_role("link", name=TITLE).click()
    page.wait_for_url(SESSION_URL)


def _move(page: Any, day: date, screenshot) -> None:
    page.get_by_role("link", name="Move", exact=True).click()
    page.wait_for_url("**/reschedule")
    page.get_by_label(ZONE_LABEL).select_option("Europe/Samara")
    page.get_by_label(MOVE_LABEL).fill(f"{day.isoformat()}T15:00")
    expect(page.locator("[data-time-preview] li").first).to_have_text("15:00–16:30 Izhevsk")
    screenshot(page, "journey-4-move")
    page.get_by_role("button", name="Move", exact=True).click()
    page.wait_for_url(SESSION_URL)


def _cancel(page: Any, reason: str, screenshot) -> None:
    page.get_by_role("link", name="Cancel session").click()
    page.wait_for_url("**/cancel")
    with page.expect_navigation():
        page.get_by_role("button", name="Cancel the session").click()
    expect(page.locator(".invalid-feedback")).to_have_text("Say why the session is cancelled.")
    page.get_by_label("Reason (shown to participants)").fill(reason)
    page.get_by_role("button", name="Cancel the session").click()
    page.wait_for_url(SESSION_URL)
    screenshot(page, "journey-5-cancelled")


def _switch_language(page: Any, app: Flask, name: str, code: str, starts: datetime) -> None:
    page.get_by_role("button", name=name, exact=True).click()
    expect(page.locator("html")).to_have_attribute("lang", code)
    expect(page.get_by_role("button", name=name, exact=True)).to_have_attribute(
        "aria-current", "true"
    )
    # Dates follow the language; the menu speaks it (as far as the catalogue is translated).
    local_day = format_datetime(starts, "EEE d MMM y", tzinfo=starts.tzinfo, locale=code)
    expect(page.locator(".when-line")).to_contain_text(local_day)
    with app.test_request_context(), force_locale(code):
        sessions = gettext("Sessions")
    menu = page.locator(".site-nav")
    expect(menu.get_by_role("button", name=sessions, exact=True)).to_be_visible()


def test_lecturer_schedules_moves_and_cancels_a_session(
    app: Flask, page: Any, people: dict[str, Any], sign_in, screenshot
) -> None:
    day = _future_day(10)
    later = working_day(day + timedelta(days=1))
    sign_in(page, people["lecturer"])

    _create(page, day, screenshot)

    expect(page.locator(".alert-success")).to_have_text("The session is saved.")
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    assert _places(page) == "14:00 Samarkand (you) · 13:00 Izhevsk · 14:00 Shymkent"
    screenshot(page, "journey-3-saved")
    _check_in_schedule(
        page,
        "14:00",
        "Samarkand (UTC+05:00)",
        "Dilnoza Rashidova",
        "Izhevsk State Medical Academy, South Kazakhstan Medical Academy",
        "Scheduled",
    )

    _move(page, later, screenshot)

    expect(page.locator(".alert-success")).to_have_text("The session is moved.")
    assert _places(page) == "15:00 Izhevsk · 16:00 Samarkand (you) · 16:00 Shymkent"
    expect(page.locator(".when-line")).to_contain_text("15:00–16:30 Izhevsk (UTC+04:00)")

    _cancel(page, "The lecturer is ill; a new date will follow.", screenshot)

    expect(page.locator(".alert-success")).to_have_text("The session is cancelled.")
    expect(page.locator("article .alert-warning")).to_have_text(
        "Cancelled: The lecturer is ill; a new date will follow."
    )
    expect(page.get_by_role("link", name="Move", exact=True)).to_have_count(0)
    history = page.locator(".audit-changes > li > strong").all_inner_texts()
    assert history == ["Cancelled", "Moved", "Created"]
    _check_in_schedule(page, "15:00", "Izhevsk (UTC+04:00)", "16:00", "Cancelled")

    starts = datetime.combine(later, time(15), ZoneInfo("Europe/Samara"))
    _switch_language(page, app, "Русский", "ru", starts)
    screenshot(page, "journey-6-russian")
    page.goto("/manage/schedule")
    expect(page.locator("html")).to_have_attribute("lang", "ru")
    page.get_by_role("row").filter(has_text=TITLE).get_by_role("link").click()
    page.wait_for_url(SESSION_URL)
    _switch_language(page, app, "Oʻzbekcha", "uz", starts)
    screenshot(page, "journey-7-uzbek")
    _switch_language(page, app, "English", "en", starts)


def test_session_is_created_on_a_phone_without_javascript(
    new_page, people: dict[str, Any], sign_in, screenshot
) -> None:
    page = new_page(PHONE, java_script_enabled=False)
    day = _future_day(12)
    sign_in(page, people["lecturer"])

    # No script to open the collapsed menu: it is shown open, so its links can be used.
    expect(page.locator(".navbar-toggler")).to_be_hidden()
    _fill_and_save_without_script(page, day)

    expect(page.locator(".alert-success")).to_have_text("The session is saved.")
    assert _places(page) == "14:00 Samarkand (you) · 13:00 Izhevsk · 14:00 Shymkent"
    expect(page.get_by_role("button", name="Copy link")).to_be_hidden()
    screenshot(page, "journey-nojs-saved")


def _fill_and_save_without_script(page: Any, day: date) -> None:
    page.locator(".site-nav").get_by_role("link", name="New session").click()
    page.wait_for_url("**/manage/sessions/new")
    _fill_new_session(page, day)
    page.get_by_label("Title", exact=True).fill(TITLE)
    expect(page.locator("[data-time-preview]")).to_be_hidden()
    page.get_by_role("button", name="Save").click()
    page.wait_for_url(SESSION_URL)


def test_keyboard_user_skips_to_content_and_sees_focus(page: Any) -> None:
    page.goto("/login")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to content")
    expect(skip).to_be_focused()
    expect(skip).to_be_visible()
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    # After skipping, the next stop is the form, not the language bar or the menu again.
    expect(page.get_by_label("Email", exact=True)).to_be_focused()
    ring = page.evaluate("getComputedStyle(document.activeElement).boxShadow")
    assert ring != "none"


def test_overlap_is_named_and_saved_only_when_confirmed(
    page: Any, people: dict[str, Any], make_session, sign_in, screenshot
) -> None:
    lecturer, izhevsk = people["lecturer"], people["izhevsk"]
    day = _future_day(7)
    make_session(
        actor=lecturer,
        title="Neonatal jaundice",
        lecturer_ids=[lecturer.id],
        academy_ids=[izhevsk.id],
        starts_local=datetime.combine(day, time(14)),
    )
    sign_in(page, lecturer)
    page.goto("/manage/sessions/new")
    _fill_new_session(page, day)
    page.get_by_label(START_LABEL).fill(f"{day.isoformat()}T15:00")
    page.get_by_label("Title", exact=True).fill(TITLE)

    with page.expect_navigation():
        page.get_by_role("button", name="Save").click()

    overlaps = page.locator("#conflicts")
    expect(overlaps).to_contain_text("Neonatal jaundice")
    expect(overlaps).to_contain_text("Dilnoza Rashidova")
    expect(overlaps).to_contain_text("Izhevsk State Medical Academy")
    screenshot(page, "journey-overlap")
    with page.expect_navigation():
        page.get_by_role("button", name="Save").click()
    expect(page.locator("#conflicts")).to_be_visible()
    expect(page.get_by_label(START_LABEL)).to_have_value(f"{day.isoformat()}T15:00")

    page.get_by_label("Save anyway, despite the overlaps listed above").check()
    page.get_by_role("button", name="Save").click()
    page.wait_for_url(SESSION_URL)

    expect(page.locator(".alert-success")).to_have_text("The session is saved.")
    follow_menu(page, "Sessions", "Schedule")
    page.wait_for_url("**/manage/schedule")
    expect(page.locator(".conflict-mark")).to_have_count(2)
