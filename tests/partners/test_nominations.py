"""Nominating students: one by one or from a CSV file checked row by row before anything
is sent (encoding, columns, duplicates, registered already, more rows than seats), and a
coordinator reaches only their own academy's quota and students."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest

from tests.fixtures.app import client_as
from tests.fixtures.markup import by_id, errors_beside, parse, value_of
from tests.fixtures.registration import outbox, person
from webinars.domain.partners.quotas import set_quota
from webinars.extensions import db
from webinars.models import Registration, RegistrationStatus, Role, utcnow


@pytest.fixture
def quota_world(app, open_session, make_user, make_academy, enrol):
    izhevsk = make_academy(name_en="Izhevsk", language="ru")
    shymkent = make_academy(name_en="Shymkent", language="ru", time_zone="Asia/Almaty")
    session = open_session(capacity=20, academy_ids=[izhevsk.id, shymkent.id])
    with app.app_context():
        deadline = utcnow() + timedelta(days=3)
        quota = set_quota(session.id, izhevsk.id, 3, deadline, None)
        other = set_quota(session.id, shymkent.id, 2, deadline, None)
        db.session.commit()
        ids = quota.id, other.id
    enrol(session.id, person("already", email="already@example.org", academy_id=shymkent.id))
    enrol(session.id, person("theirs", email="theirs@example.org", academy_id=shymkent.id))
    return {
        "session": session,
        "quota": ids[0],
        "other_quota": ids[1],
        "olga": make_user(Role.COORDINATOR, academy_id=izhevsk.id, locale="en"),
        "stranger": make_user(Role.COORDINATOR, academy_id=shymkent.id),
    }


def _upload(client, quota_id: int, data: bytes):
    return client.post(
        f"/partners/quotas/{quota_id}/preview",
        data={"file": (io.BytesIO(data), "students.csv")},
        content_type="multipart/form-data",
    )


def test_csv_preview_flags_bad_rows_and_sends_nothing(app, quota_world):
    olga = client_as(app, quota_world["olga"])
    text = (
        "ФИО;Почта;Направление;Курс\n"
        "Иванова Анна;anna@example.org;Педиатрия;5\n"
        "Петров Борис;not-an-email;Педиатрия;5\n"
        "Сидорова Вера;ANNA@example.org;Педиатрия;4\n"
        "Кузнецов Глеб;already@example.org;Педиатрия;6\n"
        "Орлова Дарья;darya@example.org;Педиатрия;пятый\n"
        "Смирнов Егор;egor@example.org;Педиатрия;3\n"
        "Волкова Жанна;zhanna@example.org;Педиатрия;2\n"
        "Морозов Иван;ivan@example.org;Педиатрия;1\n"
    )
    response = _upload(olga, quota_world["quota"], text.encode("cp1251"))
    assert response.status_code == 200
    page = parse(response.get_data(as_text=True))
    assert "read as Windows-1251" in by_id(page, "preview").text()
    rows = by_id(page, "preview-rows").text()
    assert "Иванова Анна" in rows  # decoded right
    checks = {
        e.text().split()[0]: e.text()
        for e in by_id(page, "preview-rows").iter()
        if e.tag == "tr" and ({"row-ok", "row-bad"} & e.classes)
    }
    assert "Ready" in checks["2"]
    assert "The email address is not valid." in checks["3"]
    assert "This email is on an earlier row too." in checks["4"]
    assert "This student is already registered for the session." in checks["5"]
    assert "The year of study must be a number from 1 to 10." in checks["6"]
    assert "Ready" in checks["7"] and "Ready" in checks["8"]
    assert "More students than reserved seats left (3)." in checks["9"]
    assert outbox(app, kind="nominated") == []  # nothing sent before confirming
    # Confirming sends the three good rows, carried in the form.
    rows_text = value_of(page, "rows")
    assert "Смирнов Егор" in rows_text and "Морозов" not in rows_text
    response = olga.post(
        f"/partners/quotas/{quota_world['quota']}/confirm", data={"rows": rows_text}
    )
    assert response.status_code == 302
    sent = sorted(m.to_address for m in outbox(app, kind="nominated"))
    assert sent == ["anna@example.org", "egor@example.org", "zhanna@example.org"]
    (anna,) = [m for m in outbox(app, kind="nominated") if m.to_address == "anna@example.org"]
    assert anna.subject.startswith("Вы выдвинуты")  # the academy's language: Russian


def test_csv_missing_columns_and_utf8_bom(app, quota_world):
    olga = client_as(app, quota_world["olga"])
    response = _upload(
        olga, quota_world["quota"], "\ufeffname,email\nAnna,anna@example.org\n".encode()
    )
    assert response.status_code == 200
    text = by_id(parse(response.get_data(as_text=True)), "preview").text()
    assert "Columns missing from the first line: programme, year." in text
    assert "Windows-1251" not in text


def test_one_student_form_keeps_what_was_typed_on_error(app, quota_world):
    olga = client_as(app, quota_world["olga"])
    data = {
        "name": "Anna Ivanova",
        "email": "already@example.org",
        "programme": "Paediatrics",
        "year": "5",
        "language": "ru",
    }
    response = olga.post(f"/partners/quotas/{quota_world['quota']}/one", data=data)
    assert response.status_code == 422
    page = parse(response.get_data(as_text=True))
    assert errors_beside(page, "email") == ["This student is already registered for the session."]
    assert value_of(page, "name") == "Anna Ivanova"
    data["email"] = "anna@example.org"
    assert olga.post(f"/partners/quotas/{quota_world['quota']}/one", data=data).status_code == 302
    with app.app_context():
        anna = db.session.execute(
            db.select(Registration).where(Registration.email == "anna@example.org")
        ).scalar_one()
        assert (anna.status, anna.quota_id, anna.locale) == (
            RegistrationStatus.HELD,
            quota_world["quota"],
            "ru",
        )


def test_a_coordinator_reaches_only_their_academys_quota_and_students(app, quota_world):
    stranger = client_as(app, quota_world["stranger"])
    quota_id = quota_world["quota"]
    assert stranger.get(f"/partners/quotas/{quota_id}").status_code == 404
    one = {"name": "X", "email": "x@example.org", "language": "ru"}
    assert stranger.post(f"/partners/quotas/{quota_id}/one", data=one).status_code == 404
    assert _upload(stranger, quota_id, b"name,email,programme,year\n").status_code == 404
    assert (
        stranger.post(f"/partners/quotas/{quota_id}/confirm", data={"rows": "x"}).status_code == 404
    )
    # Their own page lists their students, not Izhevsk's, and Izhevsk's the other way round.
    own = stranger.get(f"/partners/quotas/{quota_world['other_quota']}").get_data(as_text=True)
    assert "theirs@example.org" in own
    olga_page = client_as(app, quota_world["olga"]).get(f"/partners/quotas/{quota_id}")
    assert "theirs@example.org" not in olga_page.get_data(as_text=True)
    with app.app_context():
        assert (
            db.session.execute(
                db.select(Registration).where(Registration.email == "x@example.org")
            ).first()
            is None
        )


def test_csv_header_in_russian_words_and_a_missing_column_named_in_russian(app, quota_world):
    olga = client_as(app, quota_world["olga"])
    olga.post("/language", data={"lang": "ru"})
    # "Программа" names the programme column as well as "Направление" does.
    text = "ФИО;Почта;Программа;Курс\nИванова Анна;anna@example.org;Педиатрия;5\n"
    page = parse(_upload(olga, quota_world["quota"], text.encode("cp1251")).get_data(as_text=True))
    assert "Иванова Анна" in by_id(page, "preview-rows").text()

    response = _upload(olga, quota_world["quota"], "ФИО;Почта\nАнна;anna@example.org\n".encode())
    preview = " ".join(by_id(parse(response.get_data(as_text=True)), "preview").text().split())

    assert "не хватает столбцов: направление, курс." in preview
