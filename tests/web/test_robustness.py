"""Input no browser would send still gets an answer for people, never a 500.

(TestingConfig re-raises unexpected errors, so a crash fails these tests loudly.)
"""

from __future__ import annotations

import io

import pytest
from flask import url_for
from werkzeug.routing import IntegerConverter

from tests.fixtures.markup import by_id, parse
from tests.fixtures.session_form import form_data
from webinars.models import Role, SessionKind
from webinars.web.bounds import page_number

ID_PAST_THE_DATABASE = [2**31, 10**30]


def _id_rules(app) -> list:
    """Every rule whose path arguments are all integer ids."""
    return [
        rule
        for rule in app.url_map.iter_rules()
        if rule.arguments
        and all(isinstance(c, IntegerConverter) for c in rule._converters.values())
    ]


@pytest.mark.parametrize("row_id", ID_PAST_THE_DATABASE)
def test_ids_past_the_database_range_are_not_found(app, client, login, make_user, row_id):
    login(make_user(Role.ADMIN))
    rules = _id_rules(app)
    answers = {}
    for rule in rules:
        with app.test_request_context():
            url = url_for(rule.endpoint, **dict.fromkeys(rule.arguments, row_id))
        method = "GET" if "GET" in rule.methods else "POST"
        answers[f"{method} {url}"] = client.open(url, method=method).status_code

    assert rules, "no route takes an id: the test has nothing to check"
    assert answers == dict.fromkeys(answers, 404)


@pytest.mark.parametrize(
    ("path", "data"),
    [
        ("/manage/sessions/new", {"title": "Astma\x00"}),
        ("/admin/users/new", {"name": "Nodira\x00", "email": "nodira@example.org"}),
        ("/admin/academies/new", {"name_en": "Kazan\x00", "country": "RU", "city": "Kazan"}),
        ("/account", {"name": "Me\x00"}),
        ("/login", {"email": "me\x00@example.org", "password": "x"}),
    ],
)
def test_nul_bytes_in_a_form_get_a_400_page(
    app, client, login, make_user, make_academy, path, data
):
    admin = make_user(Role.ADMIN)
    login(admin)
    full = {**form_data(admin.id, make_academy().id), **data} if "sessions" in path else data

    response = client.post(path, data=full)

    assert response.status_code == 400
    assert "The request could not be handled." in response.get_data(as_text=True)


def test_nul_bytes_in_a_query_get_a_400_page(client, login, make_user):
    login(make_user(Role.ADMIN))

    response = client.get("/manage/schedule", query_string={"kind": "webinar\x00"})

    assert response.status_code == 400


def test_nul_bytes_in_a_cancel_reason_leave_the_session_alone(
    app, client, login, make_user, make_session
):
    lecturer = make_user()
    session = make_session(actor=lecturer)
    login(lecturer)

    response = client.post(f"/manage/sessions/{session.id}/cancel", data={"reason": "Ill\x00"})

    assert response.status_code == 400
    assert client.get(f"/sessions/{session.id}").status_code == 200
    assert "Ill" not in client.get(f"/sessions/{session.id}").get_data(as_text=True)


@pytest.mark.parametrize(
    "path", ["/?page={}", "/catalog/?page={}", "/manage/schedule?page={}", "/admin/outbox/?page={}"]
)
@pytest.mark.parametrize("page", ["999999999999999999", "99999999999999999999", "-5", "x"])
def test_a_page_number_past_any_range_is_an_empty_page(client, login, make_user, path, page):
    login(make_user(Role.ADMIN))

    response = client.get(path.format(page))

    assert response.status_code == 200


def test_a_file_in_a_text_field_is_refused_with_a_message(app, client, make_session):
    session = make_session(kind=SessionKind.MASTER_CLASS, capacity=5)
    data = {
        "full_name": (io.BytesIO(b"%PDF-1.4"), "cv.pdf"),
        "email": "dilnoza@example.org",
        "consent": "y",
        "locale": "en",
    }

    response = client.post(f"/catalog/{session.id}/register", data=data)

    assert response.status_code == 400
    assert "A file was sent where this form takes text" in response.get_data(as_text=True)


@pytest.mark.parametrize("academy", ["99999999999999999999", "2147483648", "-7"])
def test_an_academy_past_the_id_range_is_a_choice_to_fix(app, client, make_session, academy):
    session = make_session(kind=SessionKind.MASTER_CLASS, capacity=5)
    data = {
        "full_name": "Dilnoza",
        "email": "dilnoza@example.org",
        "academy_id": academy,
        "consent": "y",
        "locale": "en",
    }

    response = client.post(f"/catalog/{session.id}/register", data=data)

    assert response.status_code == 422
    assert "Choose one of the academies in the list." in response.get_data(as_text=True)


def test_the_academy_placeholder_is_empty_and_the_select_required(client, make_session):
    session = make_session(kind=SessionKind.MASTER_CLASS, capacity=5)

    page = parse(client.get(f"/catalog/{session.id}/register").get_data(as_text=True))

    select = by_id(page, "academy_id")
    first = next(e for e in select.iter() if e.tag == "option")
    assert first.attrs.get("value") == ""
    assert first.text() == "Choose…"
    assert "required" in select.attrs


def test_an_empty_academy_is_explained(app, client, make_session):
    session = make_session(kind=SessionKind.MASTER_CLASS, capacity=5)
    data = {"full_name": "Dilnoza", "email": "dilnoza@example.org", "academy_id": ""}

    response = client.post(f"/catalog/{session.id}/register", data={**data, "consent": "y"})

    assert response.status_code == 422
    assert "Choose your academy, or “Another institution”." in response.get_data(as_text=True)


@pytest.mark.parametrize("page", ["²", "٣", "１", "1_0", "+-1"])
def test_a_page_number_not_written_in_ascii_digits_is_the_first_page(client, make_session, page):
    make_session(title="Neonatal jaundice")

    first = client.get("/?page=1").get_data(as_text=True)
    response = client.get(f"/?page={page}")

    assert response.status_code == 200
    assert "Neonatal jaundice" in first
    assert "Neonatal jaundice" in response.get_data(as_text=True)


@pytest.mark.parametrize(
    ("typed", "number"), [("2", 2), (" +3 ", 3), ("²", 1), ("٣", 1), ("1_0", 1), ("x", 1)]
)
def test_page_number_reads_only_ascii_digits(app, typed, number):
    with app.test_request_context("/", query_string={"page": typed}):
        assert page_number() == number
