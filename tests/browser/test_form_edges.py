"""Small edges of the session form in a real Chromium: the meeting link only when a link
is the way to join."""

from __future__ import annotations

from playwright.sync_api import expect

from webinars.models import Role


def test_meeting_link_field_hides_for_in_person(new_page, sign_in, screenshot, make_user) -> None:
    page = new_page()
    sign_in(page, make_user(Role.LECTURER))
    page.goto("/manage/sessions/new")
    link = page.get_by_role("textbox", name="Meeting link")
    expect(link).to_be_visible()

    page.get_by_label("In person (no link)").check()

    expect(link).to_be_hidden()
    screenshot(page, "form-in-person-no-link-desktop")
    page.get_by_label("A meeting link (any platform)").check()
    expect(link).to_be_visible()
