"""A partner academy's journey in a real Chromium: the coordinator requests a lecture, a
lecturer accepts it and publishes the session and reserves seats, the coordinator
nominates three students from a CSV file (checked before sending), and one of them
confirms from the email; the coordinator's dashboard then shows who confirmed."""

from __future__ import annotations

import re
from datetime import timedelta
from zoneinfo import ZoneInfo

from flask import Flask
from playwright.sync_api import expect

from tests.fixtures.app import working_day
from tests.fixtures.browser import follow_menu
from tests.fixtures.registration import link_in, outbox
from webinars.extensions import db
from webinars.models import LectureRequest, Registration, RegistrationStatus, Role, utcnow

TOPIC = "Neonatal sepsis: a master class"
CSV = (
    "name,email,programme,year\n"
    "Anna Ivanova,anna@students.example,Paediatrics,5\n"
    "Boris Petrov,boris@students.example,Paediatrics,5\n"
    "Vera Sidorova,vera@students.example,Paediatrics,6\n"
)


def _day(days: int):
    return working_day(
        (utcnow() + timedelta(days=days)).astimezone(ZoneInfo("Europe/Samara")).date()
    )


def test_request_accept_publish_nominate_confirm(
    app: Flask, new_page, sign_in, make_user, make_academy, screenshot
):
    izhevsk = make_academy(
        name_en="Izhevsk State Medical Academy", city="Izhevsk", time_zone="Europe/Samara"
    )
    olga = make_user(
        Role.COORDINATOR, academy_id=izhevsk.id, name="Olga Petrova", time_zone="Europe/Samara"
    )
    lecturer = make_user(Role.LECTURER, name="Dilnoza Rashidova", time_zone="Asia/Samarkand")
    first, second = _day(14), _day(16)

    # The coordinator asks for a master class, with two times in her own zone.
    coordinator = new_page()
    sign_in(coordinator, olga)
    follow_menu(coordinator, "Partners", "Our academy")
    coordinator.get_by_role("link", name="Request a lecture").click()
    coordinator.get_by_label("Topic").fill(TOPIC)
    coordinator.get_by_label("Kind").select_option("master_class")
    coordinator.get_by_label("Expected number of students").fill("25")
    coordinator.locator("select#language").select_option("ru")
    coordinator.get_by_label("First time that would suit").fill(f"{first.isoformat()}T12:00")
    coordinator.get_by_label("Second time that would suit").fill(f"{second.isoformat()}T12:00")
    coordinator.get_by_role("button", name="Send the request").click()
    expect(coordinator.locator("#request-state")).to_contain_text("Waiting for the department")

    # The lecturer sees it in the queue with the times in every city, and accepts one.
    staff = new_page()
    sign_in(staff, lecturer)
    follow_menu(staff, "Partners", "Lecture requests")
    staff.get_by_role("link", name=TOPIC).click()
    windows = staff.locator("#request-windows")
    expect(windows).to_contain_text("13:00 Samarkand")
    expect(windows).to_contain_text("12:00 Izhevsk")
    screenshot(staff, "partner-request-queue")
    staff.locator("#request-windows input[type=radio]").first.check()
    staff.get_by_role("button", name="Accept the chosen time and make a draft session").click()
    staff.wait_for_url(re.compile(r"/manage/sessions/\d+/edit$"))
    # The draft is prefilled; the lecturer publishes it.
    expect(staff.get_by_label("Title")).to_have_value(TOPIC)
    staff.get_by_label("Scheduled (published)").check()
    staff.get_by_role("button", name="Save").click()
    staff.wait_for_url(re.compile(r"/manage/sessions/\d+$"))
    session_id = int(staff.url.rsplit("/", 1)[-1])
    with app.app_context():
        request = db.session.execute(db.select(LectureRequest)).scalar_one()
        assert request.session_id == session_id
        assert request.session.status.value == "scheduled"

    # Three seats reserved for Izhevsk until two days before.
    staff.get_by_role("link", name="Reserved seats").click()
    staff.get_by_label("Seats reserved").fill("3")
    deadline = first - timedelta(days=2)
    staff.get_by_label(re.compile(r"^Reserved until \(.+ time\)$")).fill(
        f"{deadline.isoformat()}T18:00"
    )
    staff.get_by_role("button", name="Reserve").click()
    expect(staff.locator("#quota-table")).to_contain_text("Izhevsk State Medical Academy")

    # The coordinator nominates three students from a CSV file, checked before sending.
    follow_menu(coordinator, "Partners", "Our academy")
    coordinator.get_by_role("link", name="Nominate students").click()
    coordinator.get_by_label("CSV file (name, email, programme, year)").set_input_files(
        files=[{"name": "students.csv", "mimeType": "text/csv", "buffer": CSV.encode()}]
    )
    coordinator.get_by_role("button", name="Check the file").click()
    expect(coordinator.locator("#preview-rows tr.row-ok")).to_have_count(3)
    assert [m for m in outbox(app) if m.kind == "nominated"] == []  # nothing sent yet
    screenshot(coordinator, "partner-nomination-preview")
    coordinator.get_by_role("button", name="Send the invitations to 3 students").click()
    expect(coordinator.locator("#academy-students li")).to_have_count(3)

    # Anna confirms from her email.
    (anna_mail,) = [
        m for m in outbox(app) if m.kind == "nominated" and m.to_address.startswith("anna")
    ]
    confirm_url = link_in(anna_mail.text_body, "/confirm")
    student = new_page()
    student.goto(confirm_url.removeprefix(app.config["BASE_URL"]))
    student.get_by_role("button", name="Confirm my registration").click()
    with app.app_context():
        states = {r.email: r.status for r in db.session.execute(db.select(Registration)).scalars()}
    assert states == {
        "anna@students.example": RegistrationStatus.CONFIRMED,
        "boris@students.example": RegistrationStatus.HELD,
        "vera@students.example": RegistrationStatus.HELD,
    }
    follow_menu(coordinator, "Partners", "Our academy")
    card = coordinator.locator("#upcoming-sessions")
    expect(card).to_contain_text("Reserved for us: 3, taken: 3.")
    coordinator.locator("#upcoming-sessions summary").click()
    expect(card.locator("details li", has_text="Anna Ivanova")).to_contain_text("Confirmed")
    screenshot(coordinator, "partner-dashboard")
