"""The check-in list at the door, on a lecturer's phone in a real Chromium: a tap checks a
person in; a tap without a connection says so on its row, is kept on the phone and sent
when the connection is back; nothing is lost silently. Also: finding a name, and the page
fitting the phone's width."""

from __future__ import annotations

from flask import Flask
from playwright.sync_api import expect

from tests.fixtures.attendance import ended_session  # noqa: F401 - a fixture, by name
from webinars.extensions import db
from webinars.models import AttendanceEntry

PEOPLE = {
    "dilnoza": ("Dilnoza Karimova", "dilnoza@example.org"),
    "olga": ("Olga Smirnova", "olga@example.org"),
    "timur": ("Timur Rashidov", "timur@example.org"),
}


def _checked_in(app: Flask, registration_id: int) -> bool:
    with app.app_context():
        entry = db.session.execute(
            db.select(AttendanceEntry).where(AttendanceEntry.registration_id == registration_id)
        ).scalar_one_or_none()
        return entry is not None and entry.checked_in_at is not None


def test_check_in_on_a_phone_survives_a_lost_connection(
    app,
    phone_page,
    sign_in,
    ended_session,  # noqa: F811 - the fixture imported above
    screenshot,
):
    ended = ended_session(PEOPLE)
    page = phone_page
    sign_in(page, ended.lecturer)
    page.goto(f"/manage/sessions/{ended.id}/check-in")

    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390  # no sideways scrolling on the phone
    dilnoza = page.locator(f"#r{ended.people['dilnoza']}")
    dilnoza.get_by_role("button", name="Check in").tap()
    expect(dilnoza.locator(".state")).to_have_text("Checked in")
    expect(dilnoza.get_by_role("button", name="Undo")).to_be_visible()
    assert _checked_in(app, ended.people["dilnoza"])

    page.context.set_offline(True)
    olga = page.locator(f"#r{ended.people['olga']}")
    olga.get_by_role("button", name="Check in").tap()
    expect(olga.locator(".state")).to_contain_text("Not saved yet")
    expect(page.locator("#check-in-pending")).to_be_visible()
    expect(page.locator("#check-in-pending .message")).to_contain_text(
        "Check-ins waiting to be sent: 1."
    )
    screenshot(page, "check-in-phone-offline")
    assert not _checked_in(app, ended.people["olga"])

    page.context.set_offline(False)  # back online: the kept tap is sent by itself
    expect(olga.locator(".state")).to_have_text("Checked in")
    expect(page.locator("#check-in-pending")).to_be_hidden()
    assert _checked_in(app, ended.people["olga"])
    assert page.evaluate(f"localStorage.getItem('webinars.check-in.{ended.id}')") == "[]"

    page.get_by_label("Find a name").fill("timur")
    expect(page.locator(f"#r{ended.people['timur']}")).to_be_visible()
    expect(dilnoza).to_be_hidden()
    screenshot(page, "check-in-phone")


def test_check_in_works_without_javascript(
    app,
    new_page,
    sign_in,
    ended_session,  # noqa: F811
):
    from tests.fixtures.browser import PHONE

    ended = ended_session(PEOPLE)
    page = new_page(PHONE, java_script_enabled=False)
    sign_in(page, ended.lecturer)
    page.goto(f"/manage/sessions/{ended.id}/check-in")

    with page.expect_navigation():
        page.locator(f"#r{ended.people['timur']}").get_by_role("button", name="Check in").click()

    expect(page.locator(f"#r{ended.people['timur']} .state")).to_have_text("Checked in")
    assert _checked_in(app, ended.people["timur"])
