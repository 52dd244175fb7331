"""Forms in a real Chromium report every problem after one submit, with a summary on top."""

from __future__ import annotations

from playwright.sync_api import expect

from tests.fixtures.browser import PHONE
from webinars.models import Role


def test_session_form_shows_every_problem_and_the_summary(
    new_page, sign_in, screenshot, make_user, make_academy
) -> None:
    make_academy(name_en="Izhevsk State Medical Academy")
    lecturer = make_user(Role.LECTURER, name="Dilnoza Rashidova")
    page = new_page(PHONE)
    sign_in(page, lecturer)
    page.goto("/manage/sessions/new")
    page.get_by_label("Starts: date and clock time in that time zone").fill("2030-03-04T14:00")
    page.get_by_role("textbox", name="Meeting link").fill("https://meet.example.org/x")

    page.get_by_role("button", name="Save").click()  # no title, no academy

    summary = page.locator("#form-problems li")
    expect(summary).to_have_text(
        [
            "Title: This field is required.",
            "Partner academies: Choose at least one partner academy.",
        ]
    )
    expect(page.locator("#academy_ids-errors")).to_have_text("Choose at least one partner academy.")
    screenshot(page, "one-pass-session-form-phone")
    page.locator("#form-problems a", has_text="Partner academies").click()
    assert page.evaluate("location.hash") == "#academy_ids"


def test_new_account_form_shows_all_three_problems(
    new_page, sign_in, screenshot, make_user
) -> None:
    make_user(Role.LECTURER, email="taken@example.org")
    admin = make_user(Role.ADMIN)
    page = new_page()
    sign_in(page, admin)
    page.goto("/admin/users/new")
    page.get_by_label("Name", exact=True).fill("Ольга Петрова")
    page.get_by_label("Email", exact=True).fill("taken@example.org")
    page.get_by_label("Role").select_option("coordinator")
    page.get_by_label("Password").fill("short")

    page.get_by_role("button", name="Save").click()

    expect(page.locator("#form-problems li")).to_have_count(3)
    expect(page.locator(".invalid-feedback")).to_have_text(
        [
            "An account with this email already exists.",
            "A coordinator belongs to a partner academy.",
            "Use 8 characters or more.",
        ]
    )
    screenshot(page, "one-pass-account-form-desktop")
