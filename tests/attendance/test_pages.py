"""The attendance page and the check-in list: only the session's lecturers and admins;
every form with its CSRF token; a tap answers JSON to the page's script; the QR code on a
student's page opens a check-in only for the session's staff."""

from __future__ import annotations

import re

import pytest

from tests.fixtures.attendance import stay
from tests.fixtures.markup import by_id, parse, value_of
from webinars.domain.attendance.check_in_codes import check_in_url
from webinars.domain.registration.manage_links import manage_token, new_manage_link
from webinars.extensions import db
from webinars.models import AttendanceEntry, AuditEntry, Registration, Role

PEOPLE = {
    "dilnoza": ("Dilnoza Karimova", "dilnoza@example.org"),
    "olga": ("Olga Smirnova", "olga@example.org"),
}


@pytest.fixture
def ended(app, ended_session):
    ended = ended_session(PEOPLE)
    with app.app_context():
        db.session.add(stay(ended, "c1", "Olga Smirnova", None, 0, 90))
        db.session.commit()
    return ended


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("get", "/attendance"),
        ("get", "/check-in"),
        ("post", "/check-in/tap"),
        ("post", "/attendance/override"),
        ("post", "/attendance/finalise"),
        ("post", "/attendance/walk-ins"),
        ("post", "/attendance/share"),
        ("post", "/attendance/zoom-names"),
    ],
)
def test_only_the_sessions_staff_get_in(
    app, client, login, make_user, make_academy, ended, method, path
):
    url = f"/manage/sessions/{ended.id}{path}"
    anonymous = getattr(client, method)(url)
    assert anonymous.status_code == 302 and "/login" in anonymous.location

    app.config["WTF_CSRF_ENABLED"] = False
    academy = make_academy().id
    for role in (Role.LECTURER, Role.COORDINATOR):
        login(make_user(role, academy_id=academy))
        assert getattr(client, method)(url, data={"person": "r1"}).status_code == 403
        client.post("/logout")
    login(make_user(Role.ADMIN))
    assert getattr(client, method)(url, data={"person": "r1"}).status_code in (200, 302, 422)


def test_the_page_shows_why_and_the_suggestion_to_confirm(app, client, login, ended):
    login(ended.lecturer)
    app.config["WTF_CSRF_ENABLED"] = True

    page = client.get(f"/manage/sessions/{ended.id}/attendance")

    assert page.status_code == 200
    assert page.headers["Cache-Control"] == "no-store"
    doc = parse(page.get_data(as_text=True))
    olga = by_id(doc, f"r{ended.people['olga']}")
    assert olga.attrs["data-attended"] == "no"
    assert "Suggested match in Zoom: Olga Smirnova" in olga.text()
    forms = [e for e in doc.iter() if e.tag == "form" and e.attrs.get("method") == "post"]
    assert forms
    for form in forms:
        assert any(
            i.attrs.get("name") == "csrf_token" and i.attrs.get("value") for i in form.iter()
        )


def test_confirming_a_suggestion_through_the_page(app, client, login, ended):
    login(ended.lecturer)
    app.config["WTF_CSRF_ENABLED"] = True
    page = client.get(f"/manage/sessions/{ended.id}/attendance").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)

    answer = client.post(
        f"/manage/sessions/{ended.id}/attendance/zoom-names",
        data={
            "csrf_token": token,
            "person": f"r{ended.people['olga']}",
            "zoom_name": "Olga Smirnova",
        },
    )

    assert answer.status_code == 302
    doc = parse(client.get(answer.location).get_data(as_text=True))
    assert by_id(doc, f"r{ended.people['olga']}").attrs["data-attended"] == "yes"


def test_a_post_without_its_csrf_token_is_refused(app, client, login, ended):
    login(ended.lecturer)
    app.config["WTF_CSRF_ENABLED"] = True

    answer = client.post(
        f"/manage/sessions/{ended.id}/check-in/tap", data={"person": f"r{ended.people['olga']}"}
    )

    assert answer.status_code == 400
    with app.app_context():
        assert db.session.execute(db.select(AttendanceEntry)).first() is None


def test_a_tap_answers_json_and_a_refusal_says_why(app, client, login, ended):
    app.config["WTF_CSRF_ENABLED"] = False
    login(ended.lecturer)
    url = f"/manage/sessions/{ended.id}/check-in/tap"
    json = {"Accept": "application/json"}

    done = client.post(url, data={"person": f"r{ended.people['olga']}"}, headers=json)
    refused = client.post(url, data={"person": "r999999"}, headers=json)
    undone = client.post(
        url, data={"person": f"r{ended.people['olga']}", "undo": "1"}, headers=json
    )

    assert (done.status_code, done.json["ok"], done.json["checked_in"]) == (200, True, True)
    assert (refused.status_code, refused.json["ok"]) == (422, False)
    assert refused.json["message"] == "This person is not on the list."
    assert (undone.status_code, undone.json["checked_in"]) == (200, False)
    with app.app_context():
        assert (
            db.session.execute(
                db.select(AuditEntry.action).where(AuditEntry.session_id == ended.id)
            )
            .scalars()
            .all()[-1]
            == "attendance_check_in_undone"
        )


@pytest.mark.parametrize("person", ["r²", "e١٢", "r" + "9" * 11, ""])
def test_a_tap_on_a_malformed_person_is_refused_with_a_message(app, client, login, ended, person):
    app.config["WTF_CSRF_ENABLED"] = False
    login(ended.lecturer)

    refused = client.post(
        f"/manage/sessions/{ended.id}/check-in/tap",
        data={"person": person},
        headers={"Accept": "application/json"},
    )

    assert (refused.status_code, refused.json["message"]) == (
        422,
        "This person is not on the list.",
    )


def test_a_walk_in_form_keeps_what_was_typed_on_a_mistake(app, client, login, ended):
    app.config["WTF_CSRF_ENABLED"] = False
    login(ended.lecturer)

    answer = client.post(
        f"/manage/sessions/{ended.id}/attendance/walk-ins",
        data={"full_name": "Aziz Rahimov", "email": "not an address", "locale": "uz"},
    )

    assert answer.status_code == 422
    doc = parse(answer.get_data(as_text=True))
    assert value_of(doc, "full_name") == "Aziz Rahimov"
    assert "Enter a valid email address." in doc.text()


def test_the_students_qr_opens_a_check_in_for_the_sessions_staff_only(
    app, client, login, make_user, ended
):
    with app.app_context():
        registration = db.session.get(Registration, ended.people["dilnoza"])
        url = check_in_url(registration).removeprefix(app.config["BASE_URL"])
    app.config["WTF_CSRF_ENABLED"] = False
    login(make_user(Role.LECTURER))
    assert client.get(url).status_code == 403
    client.post("/logout")
    login(ended.lecturer)

    assert client.get(url.replace(url[-6:], "aaaaaa")).status_code == 404
    page = client.get(url)
    assert "Dilnoza Karimova" in page.get_data(as_text=True)
    assert client.post(url).status_code == 302
    with app.app_context():
        entry = db.session.execute(db.select(AttendanceEntry)).scalar_one()
        assert (entry.registration_id, entry.checked_in_at is not None) == (
            ended.people["dilnoza"],
            True,
        )


def test_a_new_manage_link_revokes_the_old_qr(app, client, login, ended):
    with app.app_context():
        registration = db.session.get(Registration, ended.people["dilnoza"])
        old = check_in_url(registration).removeprefix(app.config["BASE_URL"])
        new_manage_link(registration)
        db.session.commit()
    login(ended.lecturer)

    assert client.get(old).status_code == 404


def test_the_manage_page_shows_the_check_in_qr_before_the_session(app, client, open_session, enrol):
    from tests.fixtures.registration import person

    session = open_session()
    registration = enrol(session.id, person(1))
    with app.app_context():
        token = manage_token(db.session.get(Registration, registration.id))

    doc = parse(client.get(f"/r/{token}").get_data(as_text=True))

    image = next(e for e in by_id(doc, "check-in-code").iter() if e.tag == "img")
    assert image.attrs["src"].startswith("data:image/svg+xml")


def test_the_confirmation_email_carries_the_check_in_qr(app, open_session, make_user):
    import base64
    import io

    import zxingcpp
    from PIL import Image

    from tests.fixtures.registration import outbox, person
    from webinars.domain.registration.register import register
    from webinars.models import User

    session = open_session()
    lecturer = make_user()
    with app.app_context():
        registration = register(
            session.id, person(7), added_by=db.session.get(User, lecturer.id)
        ).registration
        db.session.commit()
        url = check_in_url(db.session.get(Registration, registration.id))

    confirmed = [m for m in outbox(app, kind="confirmed") if m.to_address == "student7@example.org"]

    assert len(confirmed) == 1
    html = confirmed[0].html_body
    data = re.search(r'src="data:image/png;base64,([^"]+)"', html).group(1)
    image = Image.open(io.BytesIO(base64.b64decode(data)))
    assert [r.text for r in zxingcpp.read_barcodes(image)] == [url]
    assert "shows a code for the check-in at the door" in confirmed[0].text_body


def test_a_checked_in_and_finalised_list_shows_when_on_every_page(app, client, login, ended):
    app.config["WTF_CSRF_ENABLED"] = False
    login(ended.lecturer)
    base = f"/manage/sessions/{ended.id}"
    with app.app_context():
        registration = db.session.get(Registration, ended.people["dilnoza"])
        scanned = check_in_url(registration).removeprefix(app.config["BASE_URL"])
    assert client.post(scanned).status_code == 302
    assert client.post(f"{base}/attendance/finalise").status_code == 302

    sheet, at_door, again = (
        client.get(f"{base}/attendance"),
        client.get(f"{base}/check-in"),
        client.get(scanned),
    )

    assert (sheet.status_code, at_door.status_code, again.status_code) == (200, 200, 200)
    doc = parse(sheet.get_data(as_text=True))
    final = by_id(doc, "final-state").text()
    assert final.startswith("Final since ") and "(UTC" in final
    assert "Checked in at " in by_id(doc, f"r{ended.people['dilnoza']}").text()
    assert "Already checked in at " in again.get_data(as_text=True)


def test_the_sessions_history_shows_attendees_only_to_the_sessions_staff(
    app, client, login, make_user, ended
):
    from webinars.models import Session

    app.config["WTF_CSRF_ENABLED"] = False
    login(ended.lecturer)
    base = f"/manage/sessions/{ended.id}"
    olga = f"r{ended.people['olga']}"
    client.post(
        f"{base}/attendance/override",
        data={"person": olga, "presence": "attended", "reason": "Was at the bedside"},
    )
    client.post(f"{base}/attendance/walk-ins", data={"full_name": "Aziz Rahimov", "locale": "uz"})
    client.post("/logout")
    with app.app_context():
        academy_id = db.session.get(Session, ended.id).academies[0].id
    private = ("Olga Smirnova", "Was at the bedside", "Aziz Rahimov")

    seen = {}
    for who in (
        make_user(Role.COORDINATOR, academy_id=academy_id),
        make_user(Role.LECTURER),
        ended.lecturer,
    ):
        login(who)
        page = client.get(base)
        assert page.status_code == 200
        seen[who.role.value if who is not ended.lecturer else "own"] = [
            text in page.get_data(as_text=True) for text in private
        ]
        client.post("/logout")

    assert seen == {
        "coordinator": [False, False, False],
        "lecturer": [False, False, False],
        "own": [True, True, True],
    }


def test_the_exports_speak_the_readers_language_and_quote_formulas(app, client, login, ended):
    import csv
    import io

    from openpyxl import load_workbook

    app.config["WTF_CSRF_ENABLED"] = False
    login(ended.lecturer)
    base = f"/manage/sessions/{ended.id}"
    client.post(
        f"{base}/attendance/override",
        data={"person": f"r{ended.people['dilnoza']}", "presence": "absent", "reason": "=1+1"},
    )
    client.post("/language", data={"lang": "ru"})

    rows = list(
        csv.reader(io.StringIO(client.get(f"{base}/attendance.csv").data.decode("utf-8-sig")))
    )
    sheet = load_workbook(io.BytesIO(client.get(f"{base}/attendance.xlsx").data)).active
    header = [cell.value for cell in next(sheet.iter_rows(max_row=1))]

    assert rows[0][:5] == ["Имя", "Эл. почта", "Без регистрации", "Присутствовал(а)", "Почему"]
    assert header == rows[0]
    dilnoza = next(r for r in rows if r[0] == "Dilnoza Karimova")
    assert dilnoza[2:5] == ["нет", "нет", "Решение преподавателя"]
    assert dilnoza[8:10] == ["Отсутствовал(а)", "'=1+1"]
    olga = next(r for r in rows if r[0] == "Olga Smirnova")
    assert olga[3:5] == ["нет", "Совпадение имени ждёт подтверждения"]
