"""The staff menu: one line of links at desktop widths in every language, grouped into a
few menus that a keyboard opens and walks; on a phone, behind the menu button."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from webinars.models import Role

# Every top-level item of the menu and the account buttons beside it: how far apart their
# middles are, against the height of the lowest item (a second line is a whole item lower).
MENU_SPREAD = """() => {
  const menu = ".site-nav .navbar-nav > .nav-item, .nav-account > *";
  const items = [...document.querySelectorAll(menu)];
  const boxes = items.map((el) => el.getBoundingClientRect());
  const middles = boxes.map((b) => b.top + b.height / 2);
  return {spread: Math.max(...middles) - Math.min(...middles),
          height: Math.min(...boxes.map((b) => b.height))};
}"""


def _in(page: Any, language: str) -> None:
    with page.expect_navigation():
        page.get_by_role("button", name=language, exact=True).click()


@pytest.mark.parametrize("language", ["English", "Русский", "Oʻzbekcha"])
def test_an_admins_menu_keeps_to_one_line_at_desktop_width(
    page: Any, make_user, sign_in, screenshot, language: str
) -> None:
    sign_in(page, make_user(Role.ADMIN, name="Bahrom Aliev"))
    _in(page, language)

    menu = page.evaluate(MENU_SPREAD)
    screenshot(page, f"menu-desktop-{language}")

    assert menu["spread"] < menu["height"] / 2, menu


def test_the_menus_groups_open_and_are_walked_with_the_keyboard(
    page: Any, make_user, sign_in, screenshot
) -> None:
    sign_in(page, make_user(Role.LECTURER))
    sessions = page.get_by_role("button", name="Sessions", exact=True)

    schedule = page.get_by_role("link", name="Schedule", exact=True)

    sessions.focus()
    page.keyboard.press("Enter")
    expect(schedule).to_be_visible()
    screenshot(page, "menu-desktop-open")
    page.keyboard.press("ArrowDown")
    expect(page.get_by_role("link", name="Dashboard", exact=True)).to_be_focused()
    page.keyboard.press("ArrowDown")
    expect(schedule).to_be_focused()
    page.keyboard.press("Escape")
    expect(schedule).to_be_hidden()
    expect(sessions).to_be_focused()
    page.keyboard.press("Enter")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    with page.expect_navigation():
        page.keyboard.press("Enter")

    assert page.url.endswith("/manage/schedule")
    expect(sessions).to_have_class("nav-link dropdown-toggle active")


def test_on_a_phone_the_groups_open_inside_the_menu(
    phone_page: Any, make_user, sign_in, screenshot
) -> None:
    page = phone_page
    sign_in(page, make_user(Role.ADMIN))

    page.get_by_role("button", name="Menu").click()
    expect(page.locator("#nav.collapse.show")).to_be_visible()
    page.get_by_role("button", name="Partners", exact=True).click()
    reports = page.get_by_role("link", name="Reports", exact=True)
    expect(reports).to_be_visible()
    screenshot(page, "menu-phone-open")

    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= 390
    with page.expect_navigation():
        reports.click()
    assert page.url.endswith("/reports/")


def test_without_javascript_the_groups_open_on_hover_and_on_focus(
    new_page, make_user, sign_in, screenshot
) -> None:
    page = new_page({"width": 1280, "height": 800}, java_script_enabled=False)
    sign_in(page, make_user(Role.ADMIN))
    nav = page.locator(".site-nav")
    schedule = nav.get_by_role("link", name="Schedule", exact=True)
    reports = nav.get_by_role("link", name="Reports", exact=True)
    expect(schedule).to_be_hidden()

    nav.get_by_role("button", name="Sessions", exact=True).focus()
    expect(schedule).to_be_visible()
    page.keyboard.press("Tab")
    expect(nav.get_by_role("link", name="Dashboard", exact=True)).to_be_focused()
    page.locator("main").focus()
    nav.get_by_role("button", name="Partners", exact=True).hover()
    expect(reports).to_be_visible()
    expect(schedule).to_be_hidden()
    screenshot(page, "menu-desktop-nojs")
    with page.expect_navigation():
        reports.click()

    assert page.url.endswith("/reports/")


def test_without_javascript_a_phone_lists_every_groups_links(new_page, make_user, sign_in) -> None:
    page = new_page({"width": 390, "height": 844}, java_script_enabled=False)
    sign_in(page, make_user(Role.ADMIN))

    nav = page.locator(".site-nav")
    for name in ("Dashboard", "Schedule", "New session", "Lecture requests", "Reports"):
        expect(nav.get_by_role("link", name=name, exact=True)).to_be_visible()
