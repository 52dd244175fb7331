"""One English word, two meanings: each meaning has its own translation (msgctxt).

"Admin" is a role and an area of the site, "Name" a person's or an academy's, "To" the
end of a date range or a mail's recipient, "Register" the button or the page. Russian and
Uzbek need different words for them; English pages stay as they were.
"""

from __future__ import annotations

import pytest
from flask_babel import force_locale

from tests.fixtures.markup import Element, by_id, parse
from webinars.extensions import db
from webinars.models import MailStatus, OutboxMessage, Role
from webinars.web.audit_labels import ACTIONS, audit_value


def _page(client, url: str) -> Element:
    response = client.get(url)
    assert response.status_code == 200
    return parse(response.get_data(as_text=True))


def _texts(page: Element, tag: str, css_class: str | None = None) -> list[str]:
    """The text of every `tag` element (with `css_class`, if given), in page order."""
    return [
        e.text()
        for e in page.iter()
        if e.tag == tag and (css_class is None or css_class in e.classes)
    ]


def _label_of(page: Element, field_id: str) -> str:
    return next(
        e.text() for e in page.iter() if e.tag == "label" and e.attrs.get("for") == field_id
    )


def _queue_mail(app, status: MailStatus) -> int:
    with app.app_context():
        message = OutboxMessage(
            kind="message",
            to_address="student@example.org",
            subject="Hello",
            text_body="Hello",
            message_id="<1@example.org>",
            status=status,
        )
        db.session.add(message)
        db.session.commit()
        return message.id


@pytest.mark.parametrize(
    ("lang", "area", "role"),
    [("en", "Admin", "Admin"), ("ru", "Администрирование", "Администратор")],
)
def test_admin_area_and_admin_role_have_their_own_words(client, login, make_user, lang, area, role):
    login(make_user(Role.ADMIN, name="Anna", locale=lang))

    page = _page(client, "/admin/users")

    assert area in _texts(page, "a", "nav-link")
    assert _texts(page, "h1") == [area]
    assert _texts(page, "td")[2] == role  # Name, Email, Role: Anna is the only account


@pytest.mark.parametrize(
    ("lang", "person", "academy"), [("en", "Name", "Name"), ("ru", "Имя", "Название")]
)
def test_name_of_a_person_and_of_an_academy_differ(
    client, login, make_user, make_academy, lang, person, academy
):
    make_academy()
    login(make_user(Role.ADMIN, locale=lang))

    people = _page(client, "/admin/users")
    academies = _page(client, "/admin/academies")

    assert _texts(people, "th")[0] == person
    assert _texts(academies, "th")[0] == academy


@pytest.mark.parametrize(
    ("lang", "date_to", "recipient"),
    [("en", "To", "To"), ("ru", "По", "Кому"), ("uz", "Sanagacha", "Kimga")],
)
def test_to_of_a_date_range_and_of_a_mail_differ(
    client, login, make_user, lang, date_to, recipient
):
    login(make_user(Role.ADMIN, locale=lang))

    schedule = _page(client, "/manage/schedule")
    outbox = _page(client, "/admin/outbox/")

    assert _label_of(schedule, "date_to") == date_to
    assert _texts(outbox, "th")[1] == recipient


@pytest.mark.parametrize(
    ("lang", "page_name", "button"),
    [("en", "Register", "Register"), ("ru", "Регистрация", "Зарегистрироваться")],
)
def test_register_page_and_register_button_differ(client, make_session, lang, page_name, button):
    session = make_session()
    client.post("/language", data={"lang": lang})

    catalogue = _page(client, "/catalog/")
    form = _page(client, f"/catalog/{session.id}/register")

    assert page_name in _texts(catalogue, "a", "nav-link")
    assert button in _texts(catalogue, "a", "btn")
    assert _texts(form, "title")[0].startswith(f"{page_name}: ")
    assert button in _texts(form, "button")


def test_cancelled_in_history_is_an_event_and_in_status_a_state(app):
    with app.test_request_context(), force_locale("uz"):
        assert str(ACTIONS["cancelled"]) == "Bekor qilindi"
        assert audit_value("status", "cancelled", "UTC") == "Bekor qilingan"


@pytest.mark.parametrize(
    ("lang", "buttons", "shown"),
    [
        ("en", ["All", "Pending", "Sending", "Sent", "Failed", "Dropped"], "Failed"),
        (
            "ru",
            ["Все", "В очереди", "Отправляется", "Отправлено", "Не доставлено", "Отменено"],
            "Не доставлено",
        ),
    ],
)
def test_outbox_shows_mail_status_in_words(app, client, login, make_user, lang, buttons, shown):
    message_id = _queue_mail(app, MailStatus.FAILED)
    login(make_user(Role.ADMIN, locale=lang))

    listing = _page(client, "/admin/outbox/?status=failed")
    one = _page(client, f"/admin/outbox/{message_id}")

    filters = by_id(listing, "status-filter")
    assert _texts(filters, "a") == buttons
    assert _texts(filters, "a", "btn-secondary") == [shown]  # the chosen filter
    assert _texts(listing, "td")[3] == shown
    assert _texts(one, "dd")[1] == shown


def test_outbox_status_filter_keeps_only_that_status(app, client, login, make_user):
    _queue_mail(app, MailStatus.SENT)
    login(make_user(Role.ADMIN))

    listing = _page(client, "/admin/outbox/?status=failed")

    assert _texts(listing, "td") == ["No mail yet."]
    assert [a.attrs["href"] for a in by_id(listing, "status-filter").iter() if a.tag == "a"] == [
        "/admin/outbox/",
        *(f"/admin/outbox/?status={s.value}" for s in MailStatus),
    ]
