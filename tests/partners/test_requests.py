"""Lecture requests: the life cycle with its emails and history, the windows in every
city, overdue requests on the staff dashboard, and who may see and do what."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from tests.fixtures.app import client_as
from tests.fixtures.markup import by_id, errors_beside, parse, value_of
from tests.fixtures.registration import outbox
from webinars.domain.partners.requests import RequestInput, submit_request
from webinars.extensions import db
from webinars.models import (
    LectureRequest,
    LectureRequestStatus,
    Role,
    Session,
    SessionKind,
    SessionStatus,
    User,
    Visibility,
    utcnow,
)


def _local(days: int, hour: int) -> str:
    day = (utcnow() + timedelta(days=days)).date()
    return f"{day.isoformat()}T{hour:02d}:00"


@pytest.fixture
def people(make_user, make_academy):
    academy = make_academy(name_en="Izhevsk State Medical Academy", name_ru="ИГМА")
    return {
        "academy": academy,
        "olga": make_user(
            Role.COORDINATOR,
            academy_id=academy.id,
            locale="ru",
            time_zone="Europe/Samara",
            email="olga@izhevsk.example",
        ),
        "ivan": make_user(
            Role.COORDINATOR, academy_id=academy.id, locale="en", email="ivan@izhevsk.example"
        ),
        "lecturer": make_user(Role.LECTURER, locale="uz", name="Dr Karimov", email="k@sam.example"),
        "admin": make_user(Role.ADMIN, email="admin@sam.example"),
    }


def _request_form(lecturer_id: int = 0, **changes):
    data = dict(
        topic="Neonatal sepsis",
        kind="master_class",
        programme="Paediatrics",
        year_of_study="5",
        expected_students="25",
        language="ru",
        preferred_lecturer_id=str(lecturer_id),
        time_zone="Europe/Samara",
        duration_minutes="90",
        window_1=_local(10, 10),
        window_2=_local(11, 14),
        window_3="",
        notes="Please include case studies.",
    )
    data.update(changes)
    return data


def _mail(app, kind: str):
    return [(m.to_address, m.subject, m.text_body) for m in outbox(app, kind=kind)]


def test_request_life_cycle_emails_each_side_and_keeps_the_history(app, people):
    olga, lecturer = client_as(app, people["olga"]), client_as(app, people["lecturer"])
    response = olga.post("/partners/requests/new", data=_request_form(people["lecturer"].id))
    assert response.status_code == 302
    with app.app_context():
        request = db.session.execute(db.select(LectureRequest)).scalar_one()
        request_id, windows = request.id, [w.starts_at for w in request.windows]
    # 10:00 in Samara (UTC+4) is 06:00 UTC.
    assert windows[0].hour == 6
    # The preferred lecturer hears of it, in Uzbek, with the times in their own zone.
    ((to, subject, body),) = _mail(app, "lecture_request_new")
    assert to == "k@sam.example"
    assert (
        subject == "ИГМА: yangi maʼruza soʻrovi — Neonatal sepsis" or "Neonatal sepsis" in subject
    )
    assert "11:00" in body  # 06:00 UTC in Samarkand

    # The staff's page shows each time in Samarkand and Izhevsk (the lecturer reads Uzbek:
    # Samarqand; the academy has no Uzbek city name, so Izhevsk).
    page = parse(lecturer.get(f"/partners/requests/{request_id}").get_data(as_text=True))
    text = by_id(page, "request-windows").text()
    assert "11:00 Samarqand" in text and "10:00 Izhevsk" in text

    # The lecturer proposes another time: both coordinators are told, each in their language.
    response = lecturer.post(
        f"/partners/requests/{request_id}/propose",
        data={
            "starts_local": _local(12, 15),
            "time_zone": "Asia/Samarkand",
            "duration_minutes": "90",
            "note": "The 12th suits better.",
        },
    )
    assert response.status_code == 302
    proposed = sorted(_mail(app, "lecture_request_proposed"))
    assert [to for to, _s, _b in proposed] == ["ivan@izhevsk.example", "olga@izhevsk.example"]
    assert proposed[0][1] == "Another time proposed: Neonatal sepsis"
    assert proposed[1][1] == "Предложено другое время: Neonatal sepsis"
    assert "The 12th suits better." in proposed[0][2]

    # Olga answers with yet another time; the lecturer who proposed is told.
    response = olga.post(
        f"/partners/requests/{request_id}/answer",
        data={"note": "The 12th is an exam day.", "starts_local": _local(13, 9)},
    )
    assert response.status_code == 302
    ((to, _subject, body),) = _mail(app, "lecture_request_answered")
    assert to == "k@sam.example" and "The 12th is an exam day." in body

    # The lecturer accepts Olga's new time: a draft session made from the request.
    with app.app_context():
        request = db.session.get(LectureRequest, request_id)
        chosen = request.windows[-1]
        chosen_id, chosen_start = chosen.id, chosen.starts_at
    response = lecturer.post(
        f"/partners/requests/{request_id}/accept", data={"window_id": chosen_id}
    )
    assert response.status_code == 302
    with app.app_context():
        request = db.session.get(LectureRequest, request_id)
        session = db.session.get(Session, request.session_id)
        assert request.status is LectureRequestStatus.ACCEPTED
        assert (session.status, session.visibility) == (SessionStatus.DRAFT, Visibility.PARTNERS)
        assert (session.kind, session.language, session.title) == (
            SessionKind.MASTER_CLASS,
            "ru",
            "Neonatal sepsis",
        )
        assert [a.id for a in session.academies] == [people["academy"].id]
        assert [u.id for u in session.lecturers] == [people["lecturer"].id]
        assert session.starts_at == chosen_start
        assert session.capacity == 25
        assert "Paediatrics" in session.description and "year 5" in session.description
        actions = [e.action for e in request.events]
    assert actions == ["requested", "proposed", "answered", "accepted"]
    assert sorted(to for to, _s, _b in _mail(app, "lecture_request_accepted")) == [
        "ivan@izhevsk.example",
        "olga@izhevsk.example",
    ]
    # Both sides read the same history.
    for client in (olga, lecturer):
        history = by_id(
            parse(client.get(f"/partners/requests/{request_id}").get_data(as_text=True)),
            "request-history",
        )
        assert "The 12th is an exam day." in history.text()


def test_coordinator_accepting_a_proposal_makes_the_proposers_draft(app, people):
    olga, lecturer = client_as(app, people["olga"]), client_as(app, people["lecturer"])
    olga.post("/partners/requests/new", data=_request_form())  # anyone: the admins hear
    assert [to for to, _s, _b in _mail(app, "lecture_request_new")] == ["admin@sam.example"]
    with app.app_context():
        request_id = db.session.execute(db.select(LectureRequest.id)).scalar_one()
    lecturer.post(
        f"/partners/requests/{request_id}/propose",
        data={
            "starts_local": _local(9, 11),
            "time_zone": "Asia/Samarkand",
            "duration_minutes": "60",
        },
    )
    assert olga.post(f"/partners/requests/{request_id}/agree").status_code == 302
    with app.app_context():
        request = db.session.get(LectureRequest, request_id)
        session = db.session.get(Session, request.session_id)
        assert session.created_by_id == people["lecturer"].id
        assert session.duration_minutes == 60
        assert session.starts_at.hour == 6  # 11:00 in Samarkand
    ((to, subject, _body),) = _mail(app, "lecture_request_agreed")
    assert to == "k@sam.example"


def _has_id(page, element_id: str) -> bool:
    return any(element.attrs.get("id") == element_id for element in page.iter())


def test_coordinator_withdraws_a_request_until_it_is_accepted(app, people):
    olga, ivan = client_as(app, people["olga"]), client_as(app, people["ivan"])
    admin = client_as(app, people["admin"])
    olga.post("/partners/requests/new", data=_request_form())
    with app.app_context():
        request_id = db.session.execute(db.select(LectureRequest.id)).scalar_one()
    page = parse(ivan.get(f"/partners/requests/{request_id}").get_data(as_text=True))
    assert by_id(page, "withdraw-form").attrs["method"] == "post"
    done = ivan.post(
        f"/partners/requests/{request_id}/withdraw", data={"note": "The group was merged."}
    )
    assert done.status_code == 302
    with app.app_context():
        assert db.session.get(LectureRequest, request_id).status is LectureRequestStatus.WITHDRAWN
    ((to, subject, body),) = _mail(app, "lecture_request_withdrawn")
    assert (to, subject) == ("admin@sam.example", "Lecture request withdrawn: Neonatal sepsis")
    assert "The group was merged." in body
    # Staff see it withdrawn, in the queue and in the history, with nothing left to answer.
    queue = admin.get("/partners/requests").get_data(as_text=True)
    assert "Withdrawn by the academy" in queue
    staff_page = parse(admin.get(f"/partners/requests/{request_id}").get_data(as_text=True))
    history = by_id(staff_page, "request-history").text()
    assert "Withdrawn by the academy" in history and "The group was merged." in history
    assert not _has_id(staff_page, "accept-form")
    late = admin.post(
        f"/partners/requests/{request_id}/accept", data={"window_id": "1"}, follow_redirects=True
    )
    assert "Someone else answered this request first" in late.get_data(as_text=True)
    again = olga.post(f"/partners/requests/{request_id}/withdraw", follow_redirects=True)
    assert "Кто-то уже ответил на этот запрос" in again.get_data(as_text=True)
    assert len(_mail(app, "lecture_request_withdrawn")) == 1


def test_accepted_request_cannot_be_withdrawn(app, people):
    olga, admin = client_as(app, people["olga"]), client_as(app, people["admin"])
    olga.post("/partners/requests/new", data=_request_form())
    with app.app_context():
        request = db.session.execute(db.select(LectureRequest)).scalar_one()
        request_id, window_id = request.id, request.windows[0].id
    admin.post(f"/partners/requests/{request_id}/accept", data={"window_id": str(window_id)})
    page = parse(olga.get(f"/partners/requests/{request_id}").get_data(as_text=True))
    assert not _has_id(page, "withdraw-form")
    olga.post(f"/partners/requests/{request_id}/withdraw")
    with app.app_context():
        assert db.session.get(LectureRequest, request_id).status is LectureRequestStatus.ACCEPTED
    assert _mail(app, "lecture_request_withdrawn") == []


def test_decline_needs_a_reason_and_tells_the_academy(app, people):
    olga, admin = client_as(app, people["olga"]), client_as(app, people["admin"])
    olga.post("/partners/requests/new", data=_request_form())
    with app.app_context():
        request_id = db.session.execute(db.select(LectureRequest.id)).scalar_one()
    refused = admin.post(f"/partners/requests/{request_id}/decline", data={"reason": " "})
    assert refused.status_code == 422
    assert errors_beside(parse(refused.get_data(as_text=True)), "reason") == [
        "Say why, so the academy can plan."
    ]
    admin.post(f"/partners/requests/{request_id}/decline", data={"reason": "No lecturer free."})
    mails = sorted(_mail(app, "lecture_request_declined"))
    assert [to for to, _s, _b in mails] == ["ivan@izhevsk.example", "olga@izhevsk.example"]
    assert all("No lecturer free." in body for _t, _s, body in mails)
    # A later step finds the request settled: said, nothing changed.
    late = admin.post(
        f"/partners/requests/{request_id}/accept", data={"window_id": "1"}, follow_redirects=True
    )
    assert "Someone else answered this request first" in late.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(LectureRequest, request_id).status is LectureRequestStatus.DECLINED


def test_request_needs_two_times_and_keeps_what_was_typed(app, people):
    olga = client_as(app, people["olga"])
    response = olga.post("/partners/requests/new", data=_request_form(window_2=""))
    assert response.status_code == 422
    page = parse(response.get_data(as_text=True))
    # Olga reads the site in Russian.
    assert errors_beside(page, "window_2") == ["Укажите два или три удобных варианта времени."]
    assert value_of(page, "topic") == "Neonatal sepsis"
    assert value_of(page, "notes") == "Please include case studies."
    past = olga.post("/partners/requests/new", data=_request_form(window_1=_local(-2, 10)))
    assert errors_beside(parse(past.get_data(as_text=True)), "window_1") == [
        "Это время уже прошло."
    ]
    with app.app_context():
        assert db.session.execute(db.select(LectureRequest)).first() is None


def test_overdue_requests_show_on_the_staff_dashboard(app, people):
    with app.app_context():
        olga = db.session.get(User, people["olga"].id)
        now = utcnow()

        def ask(topic: str, days_ago: int) -> None:
            then = now - timedelta(days=days_ago)
            start = datetime(now.year + 1, 3, 10, 10, 0)
            submit_request(
                olga,
                RequestInput(
                    topic=topic,
                    kind=SessionKind.GUEST_LECTURE,
                    language="ru",
                    time_zone="Europe/Samara",
                    duration_minutes=90,
                    windows_local=[start, start + timedelta(days=1)],
                ),
                now=then,
            )

        ask("Forgotten topic", 8)
        ask("Fresh topic", 6)
        db.session.commit()
    staff_page = client_as(app, people["lecturer"]).get("/manage/").get_data(as_text=True)
    overdue = [e.text() for e in parse(staff_page).iter() if "overdue-request" in e.classes]
    assert len(overdue) == 1 and "Forgotten topic" in overdue[0]
    coordinator_page = client_as(app, people["olga"]).get("/manage/").get_data(as_text=True)
    assert "Forgotten topic" not in coordinator_page
    queue = client_as(app, people["admin"]).get("/partners/requests").get_data(as_text=True)
    assert queue.index("Forgotten topic") < queue.index("Fresh topic")


def test_other_academies_and_roles_cannot_touch_a_request(app, people, make_user, make_academy):
    client_as(app, people["olga"]).post("/partners/requests/new", data=_request_form())
    with app.app_context():
        request_id = db.session.execute(db.select(LectureRequest.id)).scalar_one()
    stranger = make_user(Role.COORDINATOR, academy_id=make_academy().id)
    other = client_as(app, stranger)
    assert other.get(f"/partners/requests/{request_id}").status_code == 404
    assert "Neonatal sepsis" not in other.get("/partners/requests").get_data(as_text=True)
    assert (
        other.post(f"/partners/requests/{request_id}/answer", data={"note": "x"}).status_code == 404
    )
    olga = client_as(app, people["olga"])
    assert (
        olga.post(f"/partners/requests/{request_id}/decline", data={"reason": "x"}).status_code
        == 403
    )
    lecturer = client_as(app, people["lecturer"])
    assert lecturer.get("/partners/requests/new").status_code == 403
