"""Cancelling a registration in a real Chromium: asked first, with what follows, in Russian."""

from __future__ import annotations

from flask import Flask
from playwright.sync_api import expect

from tests.fixtures.browser import PHONE
from tests.fixtures.registration import link_in, outbox, person
from webinars.domain.registration.register import register
from webinars.extensions import db
from webinars.models import Registration, RegistrationStatus, SessionKind


def test_cancel_asks_for_confirmation_and_can_be_kept(
    app: Flask, new_page, screenshot, make_session
) -> None:
    session = make_session(kind=SessionKind.MASTER_CLASS, capacity=1)
    with app.app_context():
        mine = register(session.id, person(1, locale="ru"), None, public=True).registration.id
        register(session.id, person(2), None, public=True)
        db.session.commit()
    link = link_in(outbox(app)[0].text_body).removeprefix("http://localhost")
    page = new_page(PHONE, locale="ru-RU")
    page.goto(link)
    page.get_by_role("button", name="Подтвердить регистрацию").click()
    expect(page.locator("#registration-status")).to_contain_text("Ваше место подтверждено.")

    page.get_by_role("link", name="Отменить мою регистрацию…").click()

    expect(page.locator("#cancel-consequences")).to_contain_text(
        "Ваше место перейдёт следующему в листе ожидания."
    )
    screenshot(page, "cancel-confirmation-ru-phone")
    page.get_by_role("link", name="Нет, оставить").click()
    expect(page.locator("#registration-status")).to_contain_text("Ваше место подтверждено.")

    page.get_by_role("link", name="Отменить мою регистрацию…").click()
    page.get_by_role("button", name="Да, отменить мою регистрацию").click()

    expect(page.locator(".alert-success")).to_have_text("Ваша регистрация отменена.")
    with app.app_context():
        assert db.session.get(Registration, mine).status is RegistrationStatus.CANCELLED
