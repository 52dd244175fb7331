"""Admin forms: bad input gets one clear message beside its field and keeps what was typed."""

from __future__ import annotations

from typing import Any

import pytest

from tests.fixtures.markup import all_errors, by_id, chosen, errors_beside, parse, value_of
from webinars.extensions import db
from webinars.models import Closure, PartnerAcademy, Role, User


@pytest.fixture
def admin_client(client, login, make_user):
    login(make_user(Role.ADMIN, email="admin@example.org"))
    return client


def _user(**changes: Any) -> dict[str, Any]:
    data = {
        "name": "Akmal Yusupov",
        "email": "akmal@example.org",
        "role": "lecturer",
        "academy_id": "0",
        "time_zone": "Asia/Samarkand",
        "active": "y",
        "password": "long enough",
    }
    data.update(changes)
    return data


USER_BAD_INPUT = {
    "unknown zone": ("time_zone", "Choose a time zone from the list.", {"time_zone": "Mars/Base"}),
    "invalid email": ("email", "Invalid email address.", {"email": "akmal at example"}),
    "taken email": (
        "email",
        "An account with this email already exists.",
        {"email": "ADMIN@example.org"},
    ),
    "short password": (
        "password",
        "Use 8 characters or more.",
        {"password": "short"},
    ),
    "no password": (
        "password",
        "A new account needs a password (8 characters or more).",
        {"password": ""},
    ),
    "coordinator without academy": (
        "academy_id",
        "A coordinator belongs to a partner academy.",
        {"role": "coordinator"},
    ),
    "missing name": ("name", "This field is required.", {"name": ""}),
    "overlong name": ("name", "Field cannot be longer than 200 characters.", {"name": "Я" * 201}),
}


@pytest.mark.parametrize(
    ("field", "message", "changes"), USER_BAD_INPUT.values(), ids=USER_BAD_INPUT
)
def test_new_user_bad_input_says_what_to_fix(app, admin_client, field, message, changes):
    data = _user(**changes)

    response = admin_client.post("/admin/users/new", data=data)

    assert response.status_code == 200
    page = parse(response.get_data(as_text=True))
    assert errors_beside(page, field) == [message]
    assert all_errors(page) == [message]
    assert value_of(page, "name") == data["name"]
    assert value_of(page, "email") == data["email"]
    assert chosen(page, "role") == [data["role"]]
    with app.app_context():
        assert db.session.execute(db.select(db.func.count(User.id))).scalar_one() == 1


def _academy(**changes: Any) -> dict[str, Any]:
    data = {
        "name_en": "Kazan State Medical University",
        "name_ru": "Казанский государственный медицинский университет",
        "name_uz": "",
        "country": "RU",
        "city": "Kazan",
        "time_zone": "Europe/Moscow",
        "language": "ru",
        "website": "https://kazangmu.ru",
        "contact_name": "Ринат Хасанов",
        "contact_email": "rinat@example.org",
        "notes": "",
        "work_days": ["1", "2", "3", "4", "5"],
        "work_starts": "09:00",
        "work_ends": "18:00",
        "lunch_starts": "",
        "lunch_ends": "",
    }
    data.update(changes)
    return data


ACADEMY_BAD_INPUT = {
    "unknown zone": ("time_zone", "Choose a time zone from the list.", {"time_zone": "Kazan"}),
    "country name instead of code": (
        "country",
        "Use the two-letter country code.",
        {"country": "Russia"},
    ),
    "website without scheme": (
        "website",
        "Enter a full address (https://...).",
        {"website": "kazangmu"},
    ),
    "invalid contact email": ("contact_email", "Invalid email address.", {"contact_email": "x@"}),
    "missing city": ("city", "This field is required.", {"city": ""}),
    "no working day": ("work_days", "Choose at least one working day.", {"work_days": []}),
    "work ends before it starts": (
        "work_ends",
        "Work must end after it starts.",
        {"work_starts": "18:00", "work_ends": "09:00"},
    ),
    "half a lunch break": (
        "lunch_ends",
        "Give both ends of the lunch break, or neither.",
        {"lunch_starts": "13:00"},
    ),
    "lunch after work": (
        "lunch_ends",
        "The lunch break must lie inside working hours.",
        {"lunch_starts": "18:30", "lunch_ends": "19:30"},
    ),
    "overlong name": (
        "name_en",
        "Field cannot be longer than 200 characters.",
        {"name_en": "K" * 201},
    ),
}


@pytest.mark.parametrize(
    ("field", "message", "changes"), ACADEMY_BAD_INPUT.values(), ids=ACADEMY_BAD_INPUT
)
def test_new_academy_bad_input_says_what_to_fix(app, admin_client, field, message, changes):
    data = _academy(**changes)

    response = admin_client.post("/admin/academies/new", data=data)

    assert response.status_code == 200
    page = parse(response.get_data(as_text=True))
    assert errors_beside(page, field) == [message]
    assert all_errors(page) == [message]
    for name in ("name_en", "name_ru", "country", "city", "website", "contact_name"):
        assert value_of(page, name) == data[name], name
    with app.app_context():
        assert db.session.execute(db.select(db.func.count(PartnerAcademy.id))).scalar_one() == 0


def test_new_academy_good_input_is_saved_with_a_slug(app, admin_client):
    response = admin_client.post("/admin/academies/new", data=_academy(country="ru"))

    assert response.status_code == 302
    with app.app_context():
        academy = db.session.execute(db.select(PartnerAcademy)).scalar_one()
        assert (academy.slug, academy.country, academy.name_uz) == (
            "kazan-state-medical-university",
            "RU",
            None,
        )


def test_account_unknown_zone_and_password_mismatch_say_what_to_fix(app, client, login, make_user):
    user = make_user(name="Nodira Karimova")
    login(user)
    data = {
        "name": "Nodira K.",
        "time_zone": "Samarkand",
        "locale": "ru",
        "new_password": "a new password",
        "confirm": "another password",
    }

    response = client.post("/account", data=data)

    assert response.status_code == 200
    page = parse(response.get_data(as_text=True))
    assert errors_beside(page, "time_zone") == ["Choose a time zone from the list."]
    assert errors_beside(page, "confirm") == ["The passwords do not match."]
    assert value_of(page, "name") == "Nodira K."
    with app.app_context():
        assert db.session.get(User, user.id).name == "Nodira Karimova"


def test_academy_working_week_is_saved_and_shown_again(app, admin_client):
    data = _academy(
        work_days=["1", "2", "3", "4", "6"],
        work_starts="08:30",
        work_ends="17:00",
        lunch_starts="12:30",
        lunch_ends="13:30",
    )

    assert admin_client.post("/admin/academies/new", data=data).status_code == 302

    with app.app_context():
        academy = db.session.execute(db.select(PartnerAcademy)).scalar_one()
        assert (academy.work_days, str(academy.work_starts), str(academy.lunch_ends)) == (
            "12346",
            "08:30:00",
            "13:30:00",
        )
        academy_id = academy.id
    page = parse(admin_client.get(f"/admin/academies/{academy_id}/edit").get_data(as_text=True))
    assert (value_of(page, "work_starts"), value_of(page, "lunch_starts")) == ("08:30", "12:30")
    ticked = [e.attrs.get("value") for e in page.iter() if "checked" in e.attrs]
    assert [v for v in ticked if v in "1234567"] == ["1", "2", "3", "4", "6"]


def test_closure_is_added_listed_and_removed(app, admin_client, make_academy):
    academy = make_academy(name_en="Izhevsk State Medical Academy")
    data = {
        "academy_id": str(academy.id),
        "starts_on": "2030-01-07",
        "ends_on": "2030-01-11",
        "note": "Exam week",
    }

    assert admin_client.post("/admin/closures", data=data).status_code == 302

    page = admin_client.get("/admin/closures").get_data(as_text=True)
    assert "Exam week" in page and "Izhevsk State Medical Academy" in page
    with app.app_context():
        closure = db.session.execute(db.select(Closure)).scalar_one()
        assert (closure.academy_id, str(closure.starts_on), str(closure.ends_on)) == (
            academy.id,
            "2030-01-07",
            "2030-01-11",
        )
        closure_id = closure.id
    assert admin_client.post(f"/admin/closures/{closure_id}/delete").status_code == 302
    with app.app_context():
        assert db.session.execute(db.select(Closure)).first() is None


def test_closure_bad_input_says_what_to_fix_and_keeps_it(app, admin_client):
    data = {"academy_id": "0", "starts_on": "2030-01-11", "ends_on": "2030-01-07", "note": ""}

    response = admin_client.post("/admin/closures", data=data)

    page = parse(response.get_data(as_text=True))
    assert errors_beside(page, "ends_on") == ["The last day cannot be before the first."]
    assert errors_beside(page, "note") == ["Say why, e.g. “Exam week”."]
    assert value_of(page, "starts_on") == "2030-01-11"
    with app.app_context():
        assert db.session.execute(db.select(Closure)).first() is None


def _problems_banner(page) -> list[str]:
    return [li.text() for li in by_id(page, "form-problems").iter() if li.tag == "li"]


def test_new_user_every_problem_in_one_submit(app, admin_client):
    """A short password, a taken email and a coordinator without an academy: one round."""
    data = _user(password="short", email="admin@example.org", role="coordinator")

    response = admin_client.post("/admin/users/new", data=data)

    page = parse(response.get_data(as_text=True))
    assert errors_beside(page, "password") == ["Use 8 characters or more."]
    assert errors_beside(page, "email") == ["An account with this email already exists."]
    assert errors_beside(page, "academy_id") == ["A coordinator belongs to a partner academy."]
    assert _problems_banner(page) == [
        "Email: An account with this email already exists.",
        "Partner academy (coordinators): A coordinator belongs to a partner academy.",
        "Password: Use 8 characters or more.",
    ]


def test_new_user_form_defaults_to_lecturer_with_the_password_rule(admin_client):
    page = parse(admin_client.get("/admin/users/new").get_data(as_text=True))

    assert chosen(page, "role") == ["lecturer"]
    assert value_of(page, "time_zone") == ""  # the default zone, resolved on saving
    assert "Use 8 characters or more." in by_id(page, "password").parent.text()


def test_new_coordinator_gets_the_academy_zone_by_default(app, admin_client, make_academy):
    academy = make_academy(time_zone="Europe/Samara")

    response = admin_client.post(
        "/admin/users/new",
        data=_user(role="coordinator", academy_id=str(academy.id), time_zone=""),
    )

    assert response.status_code == 302
    with app.app_context():
        user = db.session.execute(db.select(User).filter_by(email="akmal@example.org")).scalar_one()
        assert user.time_zone == "Europe/Samara"


def test_new_lecturer_gets_the_department_zone_by_default(app, admin_client):
    response = admin_client.post("/admin/users/new", data=_user(time_zone=""))

    assert response.status_code == 302
    with app.app_context():
        user = db.session.execute(db.select(User).filter_by(email="akmal@example.org")).scalar_one()
        assert user.time_zone == app.config["HOME_TIME_ZONE"]
