"""The session form's lecturers and academies at university scale (300 lecturers, 40
academies): a search box above a long list keeps only the matching names, and what is
already ticked stays in sight."""

from __future__ import annotations

from typing import Any

from playwright.sync_api import expect

from webinars.models import Role


def test_lecturer_list_finds_a_colleague_by_name(new_page, sign_in, make_user, make_academy):
    me = make_user(Role.LECTURER, name="Dilnoza Karimova")
    for n in range(30):
        make_user(Role.LECTURER, name=f"Colleague {n:02d}")
    make_user(Role.LECTURER, name="Rustam Aliev")
    make_academy(name_en="Izhevsk Medical Academy")
    page: Any = new_page()
    sign_in(page, me)
    page.goto("/manage/sessions/new")

    lecturers = page.locator("#lecturer_ids")
    search = lecturers.get_by_role("searchbox", name="Search the list")
    search.fill("rust")

    visible = lecturers.locator(".form-check:visible")
    # The match, and the lecturer already ticked (the one signed in).
    expect(visible).to_have_count(2)
    expect(visible.nth(0)).to_contain_text("Dilnoza Karimova")
    expect(visible.nth(1)).to_contain_text("Rustam Aliev")
    lecturers.get_by_label("Rustam Aliev").check()
    search.fill("")
    expect(lecturers.locator(".form-check:visible")).to_have_count(32)
    expect(lecturers.get_by_label("Rustam Aliev")).to_be_checked()


def test_find_a_time_lecturers_can_be_searched(new_page, sign_in, make_user):
    me = make_user(Role.LECTURER)
    for n in range(20):
        make_user(Role.LECTURER, name=f"Colleague {n:02d}")
    page: Any = new_page()
    sign_in(page, me)
    page.goto("/manage/find-a-time")

    lecturers = page.locator("#find-time-lecturers")
    lecturers.get_by_role("searchbox", name="Search the list").fill("colleague 07")

    # The match, and the lecturer already ticked (the page starts from the one signed in).
    visible = lecturers.locator(".form-check:visible")
    expect(visible).to_have_count(2)
    expect(visible.filter(has_text="Colleague 07")).to_have_count(1)
    expect(visible.filter(has_text=me.name).locator("input")).to_be_checked()


def test_short_lists_have_no_search_box(new_page, sign_in, make_user, make_academy):
    me = make_user(Role.LECTURER)
    make_academy(name_en="Izhevsk Medical Academy")
    page: Any = new_page()
    sign_in(page, me)
    page.goto("/manage/sessions/new")

    expect(page.locator("#academy_ids").get_by_role("searchbox")).to_have_count(0)
