"""“(you)” is always the reader: the coordinator's academy's zone, the account's zone on
both the form's preview and the saved page, and the browser's zone in one click."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from flask import Flask
from playwright.sync_api import expect

from tests.fixtures.browser import PHONE
from webinars.extensions import db
from webinars.models import Role, User, utcnow


def test_izhevsk_coordinator_sees_izhevsk_as_you(
    new_page, sign_in, screenshot, make_user, make_academy, make_session
) -> None:
    izhevsk = make_academy(name_en="Izhevsk State Medical Academy", time_zone="Europe/Samara")
    # No zone chosen, as on the new-account form: the academy's is the default.
    coordinator = make_user(Role.COORDINATOR, academy_id=izhevsk.id, time_zone=None)
    session = make_session(academy_ids=[izhevsk.id])
    page = new_page(PHONE, timezone_id="Asia/Samarkand")
    sign_in(page, coordinator)

    page.goto(f"/manage/sessions/{session.id}")

    expect(page.locator("#place-times li.viewer")).to_have_text("13:00 Izhevsk (you)")
    expect(page.locator("#place-times li.viewer")).to_have_count(1)
    screenshot(page, "you-coordinator-izhevsk-phone")


def test_preview_and_saved_page_mark_the_same_zone(
    new_page, sign_in, make_user, make_academy
) -> None:
    academy = make_academy(name_en="Izhevsk State Medical Academy")
    lecturer = make_user(Role.LECTURER, time_zone="Asia/Samarkand")
    page = new_page(timezone_id="Europe/Berlin")  # travelling: the account still says Samarkand
    sign_in(page, lecturer)
    day = (utcnow() + timedelta(days=9)).date()
    page.goto("/manage/sessions/new")
    page.get_by_label("Title").fill("Rickets today")
    page.get_by_label("Time zone of the start time").select_option("Asia/Samarkand")
    page.get_by_label("Starts: date and clock time in that time zone").fill(
        datetime.combine(day, time(14)).strftime("%Y-%m-%dT%H:%M")
    )
    page.get_by_label(f"{academy.name_en} (Izhevsk)").check()
    page.get_by_role("textbox", name="Meeting link").fill("https://meet.example.org/rickets")

    preview_you = page.locator("[data-time-preview] li.viewer")
    expect(preview_you).to_have_text("14:00–15:30 Samarkand (you)")
    page.get_by_role("button", name="Save").click()

    expect(page.locator("#place-times li.viewer")).to_have_text("14:00 Samarkand (you)")


def test_account_zone_from_the_browser_in_one_click(
    app: Flask, new_page, sign_in, screenshot, make_user
) -> None:
    lecturer = make_user(Role.LECTURER, time_zone="Asia/Samarkand")
    page = new_page(timezone_id="Europe/Berlin")
    sign_in(page, lecturer)
    page.goto("/account")

    button = page.get_by_role("button", name="Use this browser's time zone: Europe/Berlin")
    button.click()
    expect(page.get_by_label("Your time zone")).to_have_value("Europe/Berlin")
    screenshot(page, "you-account-browser-zone-desktop")
    page.get_by_role("button", name="Save").click()

    expect(page.locator(".alert-success")).to_have_text("Your account is saved.")
    with app.app_context():
        assert db.session.get(User, lecturer.id).time_zone == "Europe/Berlin"


def test_account_zone_button_hidden_without_javascript(new_page, sign_in, make_user) -> None:
    lecturer = make_user(Role.LECTURER)
    page = new_page(java_script_enabled=False)
    sign_in(page, lecturer)
    page.goto("/account")

    expect(page.locator("[data-browser-zone]")).to_be_hidden()


def test_preview_names_the_account_zone_in_the_page_language(
    new_page, sign_in, make_user, make_academy
) -> None:
    make_academy(name_en="Izhevsk State Medical Academy")
    lecturer = make_user(Role.LECTURER, time_zone="Europe/Berlin", locale="ru")
    page = new_page(timezone_id="Asia/Samarkand")
    sign_in(page, lecturer)
    page.goto("/manage/sessions/new")
    page.locator("#time_zone").select_option("Asia/Samarkand")
    page.locator("#starts_local").fill("2030-03-04T14:00")

    expect(page.locator("[data-time-preview] li.viewer")).to_have_text("10:00–11:30 Берлин (вы)")
