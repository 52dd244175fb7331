"""The report and the public cooperation page in Chromium, in each language (screenshots
in test-artifacts/, looked at when the pages change)."""

from __future__ import annotations

import pytest

from tests.fixtures.reports import report_world  # noqa: F401 - pytest finds fixtures by name
from webinars.models import Role

HEADINGS = {
    "en": ("International cooperation report, 2025", "International cooperation"),
    "ru": ("Отчёт о международном сотрудничестве, 2025", "Международное сотрудничество"),
    "uz": ("Xalqaro hamkorlik hisoboti, 2025", "Xalqaro hamkorlik"),
}


@pytest.mark.parametrize("lang", ["en", "ru", "uz"])
def test_report_and_public_page_in_each_language(
    page,
    sign_in,
    screenshot,
    make_user,
    report_world,  # noqa: F811 - the fixture imported above
    lang,
):
    sign_in(page, make_user(Role.ADMIN))
    page.goto("/reports/?period=calendar&year=2025")
    with page.expect_navigation():
        page.locator(f".lang-switch button[value={lang}]").click()
    page.goto("/reports/?period=calendar&year=2025")

    assert page.locator("h1").inner_text() == HEADINGS[lang][0]
    total = page.locator("#table-total td[data-metric=sessions] a")
    assert total.inner_text() == "5"
    assert page.locator("figure.report-chart svg[role=img]").count() == 3
    assert page.locator("button[data-print]").is_visible()
    screenshot(page, f"report-{lang}")
    page.emulate_media(media="print")
    assert page.locator("form.no-print").is_hidden()
    screenshot(page, f"report-print-{lang}")
    page.emulate_media(media="screen")

    page.goto("/cooperation")
    assert page.locator("h1").inner_text() == HEADINGS[lang][1]
    assert page.locator("#partners h3").count() == 1  # Shymkent's agreement is public
    screenshot(page, f"cooperation-{lang}")
