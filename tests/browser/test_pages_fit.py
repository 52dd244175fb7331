"""Every foundation page, on a desktop and on a phone: it fits, every field has a label.

Screenshots of each page go to test-artifacts/ (desktop-*.png, phone-*.png) for people
to look at; the assertions check what a screenshot cannot be trusted to show.
"""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask
from playwright.sync_api import expect

from webinars.demo import seed_demo
from webinars.extensions import db
from webinars.models import PartnerAcademy, Session, SessionStatus, User

ADMIN_EMAIL, ADMIN_PASSWORD = "admin@demo.example.org", "demo-admin-2026"
LECTURER_EMAIL, LECTURER_PASSWORD = "dilnoza@demo.example.org", "demo-lecturer-2026"

# Controls with no visible label and no accessible name, or wider than the window.
LAYOUT_PROBLEMS = """() => {
  const problems = [];
  const width = document.documentElement.clientWidth;
  if (document.documentElement.scrollWidth > width + 1) {
    problems.push(`page scrolls sideways: ${document.documentElement.scrollWidth} > ${width}`);
  }
  for (const el of document.querySelectorAll("input, select, textarea, button")) {
    if (el.type === "hidden" || el.closest(".hp-field") || el.offsetParent === null) continue;
    const labelled = (el.labels && el.labels.length) || el.getAttribute("aria-label")
      || el.getAttribute("aria-labelledby") || el.getAttribute("title")
      || (el.tagName === "BUTTON" && el.textContent.trim());
    if (!labelled) problems.push(`no label: ${el.outerHTML.slice(0, 120)}`);
    const box = el.getBoundingClientRect();
    if (box.right > width + 1 && !el.closest(".table-responsive")) {
      problems.push(`sticks out of the window: ${el.outerHTML.slice(0, 120)}`);
    }
  }
  return problems;
}"""


def _seed(app: Flask) -> dict[str, int]:
    """Demo data; the ids of a few things the page list needs."""
    with app.app_context():
        seed_demo()
        sessions = db.session.execute(db.select(Session).order_by(Session.starts_at)).scalars()
        upcoming = next(
            s for s in sessions if s.status == SessionStatus.SCHEDULED and not s.is_finished()
        )
        return {
            "session": upcoming.id,
            # The demo's history has cancelled sessions too: the latest one.
            "cancelled": db.session.execute(
                db.select(Session.id)
                .filter_by(status=SessionStatus.CANCELLED)
                .order_by(Session.starts_at.desc())
                .limit(1)
            ).scalar_one(),
            "user": db.session.execute(
                db.select(User.id).filter_by(email="dilnoza@demo.example.org")
            ).scalar_one(),
            "academy": db.session.execute(
                db.select(PartnerAcademy.id).filter_by(city="Izhevsk")
            ).scalar_one(),
        }


def _pages(ids: dict[str, int]) -> list[tuple[str, str]]:
    s, c = ids["session"], ids["cancelled"]
    return [
        ("dashboard", "/manage/"),
        ("schedule", "/manage/schedule"),
        ("session", f"/manage/sessions/{s}"),
        ("session-cancelled", f"/manage/sessions/{c}"),
        ("session-new", "/manage/sessions/new"),
        ("session-edit", f"/manage/sessions/{s}/edit"),
        ("session-duplicate", f"/manage/sessions/{s}/duplicate"),
        ("session-reschedule", f"/manage/sessions/{s}/reschedule"),
        ("session-cancel", f"/manage/sessions/{s}/cancel"),
        ("account", "/account"),
        ("admin", "/admin/"),
        ("admin-users", "/admin/users"),
        ("admin-user-new", "/admin/users/new"),
        ("admin-user-edit", f"/admin/users/{ids['user']}/edit"),
        ("admin-academies", "/admin/academies"),
        ("admin-academy-new", "/admin/academies/new"),
        ("admin-academy-edit", f"/admin/academies/{ids['academy']}/edit"),
        ("feed-addresses", "/manage/feeds/"),
        ("not-found", "/manage/sessions/999999"),
    ]


def _public_pages(ids: dict[str, int]) -> list[tuple[str, str]]:
    return [
        ("public-index", "/"),
        ("public-session", f"/sessions/{ids['session']}"),
        ("public-cancelled", f"/sessions/{ids['cancelled']}"),
        ("calendars", "/calendars/"),
        ("login", "/login"),
    ]


def _tour(page: Any, pages: list[tuple[str, str]], prefix: str, screenshot) -> dict[str, list]:
    found = {}
    for name, url in pages:
        page.goto(url)
        page.wait_for_load_state("load")
        screenshot(page, f"{prefix}-{name}")
        problems = page.evaluate(LAYOUT_PROBLEMS)
        if problems:
            found[name] = problems
    return found


def _sign_in(page: Any, email: str, password: str) -> None:
    page.goto("/login")
    page.get_by_label("Email", exact=True).fill(email)
    page.get_by_label("Password", exact=True).fill(password)
    with page.expect_navigation():
        page.get_by_role("button", name="Sign in", exact=True).click()


@pytest.mark.parametrize("size", ["desktop", "phone"])
def test_every_page_fits_and_labels_its_fields(
    request: pytest.FixtureRequest, app: Flask, size: str, screenshot
) -> None:
    ids = _seed(app)
    page = request.getfixturevalue("page" if size == "desktop" else "phone_page")

    public = _tour(page, _public_pages(ids), size, screenshot)
    _sign_in(page, ADMIN_EMAIL, ADMIN_PASSWORD)
    staff = _tour(page, _pages(ids), size, screenshot)
    if size == "phone":
        page.get_by_role("button", name="Menu").click()
        # Bootstrap's collapse animates: sign out only once the menu has finished opening.
        page.locator("#nav.show").wait_for(state="visible")
    with page.expect_navigation():
        page.get_by_role("button", name="Sign out").click()
    _sign_in(page, LECTURER_EMAIL, LECTURER_PASSWORD)
    lecturer = _tour(page, [("dashboard-lecturer", "/manage/")], size, screenshot)

    assert public == {}
    assert staff == {}
    assert lecturer == {}


def test_phone_shows_languages_at_once_and_opens_the_menu(phone_page: Any) -> None:
    page = phone_page
    page.goto("/")
    # Students switch language without hunting for it in a menu.
    for name in ("English", "Русский", "Oʻzbekcha"):
        expect(page.get_by_role("button", name=name, exact=True)).to_be_visible()
    sign_in_link = page.get_by_role("link", name="Staff sign-in")
    expect(sign_in_link).to_be_hidden()

    page.get_by_role("button", name="Menu").click()
    # Bootstrap's collapse slides open: a click during the slide can miss the moving link.
    expect(page.locator("#nav.collapse.show")).to_be_visible()
    expect(sign_in_link).to_be_visible()
    sign_in_link.click()
    page.wait_for_url("**/login")
    expect(page.get_by_role("heading", level=1)).to_have_text("Staff sign-in")


def _coordinator_world(app: Flask, locale: str) -> dict[str, int]:
    """Demo data, plus a lecture request of Izhevsk's and seats reserved for Izhevsk on its
    next session at least three days ahead (the demo has neither); the coordinator reads
    the site in `locale`."""
    from datetime import datetime, timedelta

    from webinars.domain.partners.quotas import set_quota
    from webinars.domain.partners.requests import RequestInput, submit_request
    from webinars.models import SessionKind, utcnow

    _seed(app)
    with app.app_context():
        olga = db.session.execute(db.select(User).filter_by(email=COORDINATOR_EMAIL)).scalar_one()
        olga.locale = locale
        now = utcnow()
        session = next(
            s
            for s in db.session.execute(db.select(Session).order_by(Session.starts_at)).scalars()
            if s.status == SessionStatus.SCHEDULED
            and s.starts_at > now + timedelta(days=3)
            and olga.academy_id in {a.id for a in s.academies}
        )
        session.capacity = session.capacity or 40
        db.session.flush()
        quota = set_quota(
            session.id, olga.academy_id, 5, session.starts_at - timedelta(days=1), None
        )
        soon = datetime.now().replace(microsecond=0) + timedelta(days=20)
        request = submit_request(
            olga,
            RequestInput(
                topic="Neonatal sepsis: what is new in antibiotic stewardship",
                kind=SessionKind.MASTER_CLASS,
                language="ru",
                time_zone="Europe/Samara",
                duration_minutes=90,
                windows_local=[soon, soon + timedelta(days=1), soon + timedelta(days=2)],
                programme="Paediatrics",
                year_of_study=5,
                expected_students=25,
                notes="Please include case studies from the region.",
            ),
        )
        db.session.commit()
        return {"quota": quota.id, "request": request.id}


COORDINATOR_EMAIL, COORDINATOR_PASSWORD = "izhevsk@demo.example.org", "demo-partner-2026"


@pytest.mark.parametrize("locale", ["en", "ru", "uz"])
def test_coordinator_pages_fit_a_phone(
    app: Flask, phone_page: Any, screenshot, locale: str
) -> None:
    ids = _coordinator_world(app, locale)
    _sign_in(phone_page, COORDINATOR_EMAIL, COORDINATOR_PASSWORD)
    pages = [
        ("coordinator-dashboard", "/partners/academy"),
        ("coordinator-requests", "/partners/requests"),
        ("coordinator-request-new", "/partners/requests/new"),
        ("coordinator-request", f"/partners/requests/{ids['request']}"),
        ("coordinator-nominate", f"/partners/quotas/{ids['quota']}"),
        ("coordinator-account", "/account"),
    ]
    assert _tour(phone_page, pages, f"phone-{locale}", screenshot) == {}
    # On the dashboard, the requests come before the long list of past sessions, and the
    # nomination is a button a thumb can hit.
    phone_page.goto("/partners/academy")
    requests_at = phone_page.locator("#our-requests").bounding_box()["y"]
    assert requests_at < phone_page.locator("#our-past").bounding_box()["y"]
    nominate = phone_page.locator(".nominate-link").bounding_box()
    assert nominate["height"] >= 30
