"""The whole journey in headless Chromium: find a master class, register, confirm from the
email, cancel, and see the next person promoted. Mail goes through a loopback SMTP server.

Uses the browser fixtures of tests/fixtures/browser.py (live server, Chromium, CSRF on);
skips with the reason when Chromium is not installed.
"""

from __future__ import annotations

from typing import Any

from tests.fixtures import browser as chromium
from tests.fixtures.registration import link_in
from webinars.models import SessionKind

# The browser tests' fixtures, for this module: app (CSRF on), live server, pages.
_require_chromium = chromium._require_chromium
app = chromium.app
browser = chromium.browser
live_server = chromium.live_server
new_page = chromium.new_page
PHONE = chromium.PHONE

TITLE = "Neonatal resuscitation master class"


def _register(page: Any, name: str, email: str, academy: str) -> None:
    page.goto("/catalog/")
    page.get_by_label("Kind", exact=True).select_option("master_class")
    page.get_by_role("button", name="Show").click()
    page.get_by_role("link", name=TITLE).click()
    page.get_by_label("Full name", exact=True).fill(name)
    page.get_by_label("Email", exact=True).fill(email)
    page.get_by_label("Academy", exact=True).select_option(label=academy)
    page.get_by_label("Language for emails").select_option("en")
    page.get_by_label("I agree").check()
    page.get_by_role("button", name="Register").click()
    page.get_by_role("heading", name="Check your email").wait_for()


def _confirm_from_email(page: Any, mailbox, email: str) -> None:
    (message,) = [m for m in mailbox.to(email) if m["Subject"].startswith("Confirm")]
    text = message.get_body(preferencelist=("plain",)).get_content()
    page.goto(link_in(text))
    page.get_by_role("button", name="Confirm my registration").click()
    page.get_by_text("Thank you: your email address is confirmed.").wait_for()


def test_register_confirm_cancel_and_the_next_is_promoted(
    app, live_server, new_page, mail_app, mailbox, make_session, make_academy
):
    app.config["BASE_URL"] = live_server
    academy = make_academy(name_en="Izhevsk State Medical Academy")
    make_session(
        kind=SessionKind.MASTER_CLASS,
        title=TITLE,
        capacity=1,
        academy_ids=[academy.id],
        join_url="https://meet.example.org/neo",
    )
    make_session(title="A webinar that is not a master class")

    page, second = new_page(), new_page(PHONE)  # the second student is on a phone
    _register(page, "Aziza Rahimova", "aziza@example.org", academy.name_en)
    _register(second, "Bobur Aliev", "bobur@example.org", academy.name_en)
    _confirm_from_email(second, mailbox, "bobur@example.org")
    waiting_text = second.locator("#registration-status").inner_text()
    _confirm_from_email(page, mailbox, "aziza@example.org")
    seated_text = page.locator("#registration-status").inner_text()
    page.get_by_role("link", name="Cancel my registration…").click()
    page.get_by_role("button", name="Yes, cancel my registration").click()
    page.get_by_text("Your registration is cancelled.").first.wait_for()
    second.reload()
    promoted_text = second.locator("#registration-status").inner_text()

    assert "You are number 1 on the waiting list." in waiting_text
    assert "Your seat is confirmed." in seated_text
    assert "https://meet.example.org/neo" in seated_text
    assert "Your seat is confirmed." in promoted_text
    subjects = [m["Subject"] for m in mailbox.to("bobur@example.org")]
    assert subjects[-1] == f"A seat for you: {TITLE}"
    (invitation,) = [
        p
        for p in mailbox.to("bobur@example.org")[-1].iter_attachments()
        if p.get_content_type() == "text/calendar"
    ]
    assert invitation.get_param("method") == "REQUEST"
    cancelled = [m for m in mailbox.to("aziza@example.org") if "cancelled" in m["Subject"]]
    assert len(cancelled) == 1
