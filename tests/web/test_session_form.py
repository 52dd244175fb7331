"""The session form through the views: bad input, overlaps, reschedule, cancel, duplicate.

Every bad input gets a message beside its field, the form keeps what was typed, nothing
is saved and nothing ends in a 500 (TestingConfig re-raises unexpected errors, so a
crash fails the test loudly).
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest

from tests.fixtures.app import session_input
from tests.fixtures.markup import alerts, all_errors, by_id, chosen, errors_beside, parse, value_of
from tests.fixtures.session_form import DAY, form_data
from webinars.domain.registration.register import RegistrationInput, register
from webinars.domain.sessions.scheduling import create_session
from webinars.domain.sessions.timezones import utc_to_local
from webinars.extensions import db
from webinars.models import AuditEntry, Role, Session, SessionKind, SessionStatus, User, utcnow


def _last_sunday_of_march(year: int) -> date:
    day = date(year, 3, 31)
    return day - timedelta(days=(day.weekday() + 1) % 7)


# 02:30 on the night Berlin moves its clocks from 02:00 to 03:00: that time never happens.
BERLIN_GAP = f"{_last_sunday_of_march(DAY.year + 1)}T02:30"


@pytest.fixture
def lecturer(make_user):
    return make_user(Role.LECTURER, name="Dilnoza Rashidova")


@pytest.fixture
def academy(make_academy):
    return make_academy(name_en="Izhevsk State Medical Academy")


def existing_day(session: Session) -> date:
    """The session's date in Samarkand (the factory's zone)."""
    return utc_to_local(session.starts_at, "Asia/Samarkand").date()


def _count_sessions(app) -> int:
    with app.app_context():
        return db.session.execute(db.select(db.func.count(Session.id))).scalar_one()


# (field the message belongs beside, the message, what the person typed differently)
BAD_INPUT = {
    "registration closes before it opens": (
        "registration_closes",
        "Registration must close after it opens.",
        {
            "registration_opens": f"{DAY - timedelta(days=2)}T10:00",
            "registration_closes": f"{DAY - timedelta(days=4)}T10:00",
        },
    ),
    "registration closes after the start": (
        "registration_closes",
        "Registration must close by the time the session starts.",
        {"registration_closes": f"{DAY}T15:00"},
    ),
    "registration opens after the start": (
        "registration_opens",
        "Registration must open before the session starts.",
        {"registration_opens": f"{DAY}T14:30"},
    ),
    "unknown time zone": (
        "time_zone",
        "Choose a time zone from the list.",
        {"time_zone": "Mars/Olympus_Mons"},
    ),
    "start in the past": (
        "starts_local",
        "The start is in the past. Choose a time from now on.",
        {"starts_local": "2020-03-02T10:00"},
    ),
    "start that the clocks skip": (
        "starts_local",
        "This time does not exist in the chosen time zone (the clocks skip it).",
        {"starts_local": BERLIN_GAP, "time_zone": "Europe/Berlin"},
    ),
    "start in a year out of range": (
        "starts_local",
        "This date is out of range; check the year.",
        {"starts_local": "9999-12-31T23:00", "time_zone": "America/Los_Angeles"},
    ),
    "start decades ahead": (
        "starts_local",
        "The start is more than 10 years ahead; check the year.",
        {"starts_local": "9999-12-31T20:00"},
    ),
    "registration opening in year one": (
        "registration_opens",
        "This date is out of range; check the year.",
        {"registration_opens": "0001-01-01T00:30"},
    ),
    "start that is not a date": (
        "starts_local",
        "Not a valid datetime value.",
        {"starts_local": "next Tuesday"},
    ),
    "overlong title": (
        "title",
        "Field cannot be longer than 200 characters.",
        {"title": "Ж" * 201},
    ),
    "overlong description": (
        "description",
        "Field cannot be longer than 10000 characters.",
        {"description": "Описание. " * 1001},
    ),
    "overlong guest speaker": (
        "guests-0-name",
        "Field cannot be longer than 200 characters.",
        {"guests-0-name": "Я" * 201},
    ),
    "join link that is not a link": (
        "join_url",
        "Enter a full link (https://...).",
        {"join_url": "zoom meeting 123"},
    ),
    "missing title": ("title", "This field is required.", {"title": "   "}),
    "missing start": (
        "starts_local",
        "Enter the date and time the session starts.",
        {"starts_local": ""},
    ),
    "missing duration": ("duration_minutes", "This field is required.", {"duration_minutes": ""}),
    "duration that is not a number": (
        "duration_minutes",
        "Not a valid integer value.",
        {"duration_minutes": "an hour"},
    ),
    "duration of zero": (
        "duration_minutes",
        "Between 1 and 1440 minutes.",
        {"duration_minutes": "0"},
    ),
    "missing lecturers": ("lecturer_ids", "Choose at least one lecturer.", {"lecturer_ids": []}),
    "missing academies": (
        "academy_ids",
        "Choose at least one partner academy.",
        {"academy_ids": []},
    ),
    "missing join link": (
        "join_url",
        "Paste the meeting link, or choose another way to join.",
        {"join_url": ""},
    ),
    "master class without capacity": (
        "capacity",
        "A master class needs a capacity (the number of seats).",
        {"kind": "master_class", "capacity": ""},
    ),
    "capacity of zero": ("capacity", "Between 1 and 100000 seats.", {"capacity": "0"}),
    "capacity that is not a number": (
        "capacity",
        "Not a valid integer value.",
        {"capacity": "thirty"},
    ),
}

# Fields shown as typed text; each must come back exactly as it was typed.
TEXT_FIELDS = (
    "title",
    "description",
    "starts_local",
    "duration_minutes",
    "capacity",
    "registration_opens",
    "registration_closes",
    "join_url",
    "guests-0-name",
)


@pytest.mark.parametrize(("field", "message", "changes"), BAD_INPUT.values(), ids=BAD_INPUT)
def test_session_form_bad_input_says_what_to_fix(
    app, client, login, lecturer, academy, field, message, changes
):
    login(lecturer)
    data = form_data(lecturer.id, academy.id, **changes)

    response = client.post("/manage/sessions/new", data=data)

    assert response.status_code == 200
    page = parse(response.get_data(as_text=True))
    assert errors_beside(page, field) == [message]
    assert all_errors(page) == [message]  # one problem, one message, in one place
    for name in TEXT_FIELDS:
        assert value_of(page, name) == data[name], name
    for name in ("kind", "language", "status", "visibility", "conference"):
        assert chosen(page, name) == [data[name]], name
    assert chosen(page, "lecturer_ids") == data["lecturer_ids"]
    assert chosen(page, "academy_ids") == data["academy_ids"]
    if changes.get("time_zone") != "Mars/Olympus_Mons":
        assert chosen(page, "time_zone") == [data["time_zone"]]
    assert _count_sessions(app) == 0


def test_session_form_bad_input_on_edit_keeps_what_was_typed(
    app, client, login, lecturer, academy, make_session
):
    session = make_session(actor=lecturer, academy_ids=[academy.id], title="Old title")
    login(lecturer)
    data = form_data(lecturer.id, academy.id, title="New title", starts_local="2020-03-02T10:00")

    response = client.post(f"/manage/sessions/{session.id}/edit", data=data)

    page = parse(response.get_data(as_text=True))
    assert response.status_code == 200
    assert errors_beside(page, "starts_local") == [
        "The start is in the past. Choose a time from now on."
    ]
    assert value_of(page, "title") == "New title"
    with app.app_context():
        assert db.session.get(Session, session.id).title == "Old title"


def test_session_form_valid_input_saves_and_shows_the_session(
    app, client, login, lecturer, academy
):
    login(lecturer)

    response = client.post("/manage/sessions/new", data=form_data(lecturer.id, academy.id))

    assert response.status_code == 302
    with app.app_context():
        session = db.session.execute(db.select(Session)).scalar_one()
        assert response.headers["Location"] == f"/manage/sessions/{session.id}"
        assert session.title == "Неонатальная желтуха: что нового"
        assert session.starts_at == datetime.fromisoformat(f"{DAY}T09:00+00:00")
        assert session.time_zone == "Asia/Samarkand"
        assert [u.id for u in session.lecturers] == [lecturer.id]


# Overlaps -----------------------------------------------------------------------------


def test_session_form_overlap_asks_for_confirmation_before_saving(
    app, client, login, lecturer, academy, make_academy, make_session
):
    existing = make_session(
        actor=lecturer, academy_ids=[academy.id], title="Детская кардиология", language="ru"
    )
    other_academy = make_academy(city="Shymkent", time_zone="Asia/Almaty")
    login(lecturer)
    # Same lecturer, half an hour into the existing session, with another academy.
    data = form_data(lecturer.id, other_academy.id, starts_local=f"{existing_day(existing)}T14:30")

    response = client.post("/manage/sessions/new", data=data)

    assert response.status_code == 200
    page = parse(response.get_data(as_text=True))
    box = next(a for a in alerts(page) if a.startswith("This time overlaps other sessions:"))
    assert "Детская кардиология" in box
    assert lecturer.name in box
    links = [e.attrs["href"] for e in by_id(page, "conflicts").iter() if e.tag == "a"]
    assert links == [f"/manage/sessions/{existing.id}"]
    assert value_of(page, "confirm_conflicts") == ""  # not ticked for the person
    assert value_of(page, "title") == data["title"]
    assert _count_sessions(app) == 1

    confirmed = client.post("/manage/sessions/new", data={**data, "confirm_conflicts": "y"})

    assert confirmed.status_code == 302
    assert _count_sessions(app) == 2
    schedule = parse(client.get("/manage/schedule").get_data(as_text=True))
    marked = [e for e in schedule.iter() if "conflict-mark" in e.classes]
    assert len(marked) == 2  # both sessions are marked as overlapping


def test_session_form_without_overlap_saves_at_once(
    app, client, login, lecturer, academy, make_session
):
    existing = make_session(actor=lecturer, academy_ids=[academy.id])
    login(lecturer)
    # Right after the existing one ends (14:00 + 90 minutes): touching is not overlapping.
    data = form_data(lecturer.id, academy.id, starts_local=f"{existing_day(existing)}T15:30")

    response = client.post("/manage/sessions/new", data=data)

    assert response.status_code == 302
    assert _count_sessions(app) == 2


# Reschedule, cancel, duplicate --------------------------------------------------------


def test_reschedule_moves_the_session_and_records_it(app, client, login, lecturer, make_session):
    session = make_session(actor=lecturer)
    login(lecturer)
    new_day = existing_day(session) + timedelta(days=2)

    response = client.post(
        f"/manage/sessions/{session.id}/reschedule",
        data={
            "starts_local": f"{new_day}T10:00",
            "time_zone": "Europe/Samara",
            "duration_minutes": "60",
        },
    )

    assert response.status_code == 302
    assert response.headers["Location"] == f"/manage/sessions/{session.id}"
    with app.app_context():
        moved = db.session.get(Session, session.id)
        assert moved.starts_at == datetime.fromisoformat(f"{new_day}T06:00+00:00")
        assert moved.ends_at == datetime.fromisoformat(f"{new_day}T07:00+00:00")
        assert moved.time_zone == "Europe/Samara"
        assert moved.sequence == session.sequence + 1
        assert [e.action for e in moved.audit_entries] == ["rescheduled", "created"]  # newest first


@pytest.mark.parametrize(
    ("field", "message", "changes"),
    [
        (
            "starts_local",
            "The start is in the past. Choose a time from now on.",
            {"starts_local": "2020-03-02T10:00"},
        ),
        ("starts_local", "Enter the new date and time.", {"starts_local": ""}),
        ("duration_minutes", "Between 1 and 1440 minutes.", {"duration_minutes": "2000"}),
        ("time_zone", "Choose a time zone from the list.", {"time_zone": "Nowhere/Land"}),
        (
            "starts_local",
            "This time does not exist in the chosen time zone (the clocks skip it).",
            {"starts_local": BERLIN_GAP, "time_zone": "Europe/Berlin"},
        ),
        ("duration_minutes", "Not a valid integer value.", {"duration_minutes": "1h"}),
        (
            "starts_local",
            "This date is out of range; check the year.",
            {"starts_local": "9999-12-31T23:00", "time_zone": "America/Los_Angeles"},
        ),
        (
            "starts_local",
            "The start is more than 10 years ahead; check the year.",
            {"starts_local": "9999-12-31T20:00", "time_zone": "Asia/Samarkand"},
        ),
    ],
    ids=[
        "past",
        "missing",
        "too-long",
        "unknown-zone",
        "skipped-time",
        "not-a-number",
        "year-out-of-range",
        "year-far-ahead",
    ],
)
def test_reschedule_bad_input_says_what_to_fix(
    app, client, login, lecturer, make_session, field, message, changes
):
    session = make_session(actor=lecturer)
    login(lecturer)
    data = {"starts_local": f"{DAY}T10:00", "time_zone": "Asia/Samarkand", "duration_minutes": "60"}
    data.update(changes)

    response = client.post(f"/manage/sessions/{session.id}/reschedule", data=data)

    assert response.status_code == 200
    page = parse(response.get_data(as_text=True))
    assert errors_beside(page, field) == [message]
    assert value_of(page, "starts_local") == data["starts_local"]
    assert value_of(page, "duration_minutes") == data["duration_minutes"]
    with app.app_context():
        assert db.session.get(Session, session.id).starts_at == session.starts_at


def test_reschedule_into_an_overlap_asks_first(app, client, login, lecturer, make_session):
    first = make_session(actor=lecturer, title="Первая лекция")
    second = make_session(
        actor=lecturer,
        starts_local=datetime.combine(existing_day(first), datetime.min.time())
        + timedelta(hours=18),
    )
    login(lecturer)
    data = {
        "starts_local": f"{existing_day(first)}T14:45",
        "time_zone": "Asia/Samarkand",
        "duration_minutes": "60",
    }

    asked = client.post(f"/manage/sessions/{second.id}/reschedule", data=data)
    confirmed = client.post(
        f"/manage/sessions/{second.id}/reschedule", data={**data, "confirm_conflicts": "y"}
    )

    assert asked.status_code == 200
    assert "Первая лекция" in next(
        a for a in alerts(parse(asked.get_data(as_text=True))) if a.startswith("This time overlaps")
    )
    assert confirmed.status_code == 302
    with app.app_context():
        assert db.session.get(Session, second.id).starts_at == datetime.fromisoformat(
            f"{existing_day(first)}T09:45+00:00"
        )


def test_cancel_without_a_reason_says_so(app, client, login, lecturer, make_session):
    session = make_session(actor=lecturer)
    login(lecturer)

    response = client.post(f"/manage/sessions/{session.id}/cancel", data={"reason": "  "})

    assert response.status_code == 200
    page = parse(response.get_data(as_text=True))
    assert errors_beside(page, "reason") == ["Say why the session is cancelled."]
    with app.app_context():
        assert db.session.get(Session, session.id).status is SessionStatus.SCHEDULED


def test_cancel_with_a_reason_keeps_the_session_visible_as_cancelled(
    app, client, login, lecturer, make_session
):
    session = make_session(actor=lecturer)
    login(lecturer)

    response = client.post(
        f"/manage/sessions/{session.id}/cancel",
        data={"reason": "Лектор заболел; новая дата будет позже."},
    )

    assert response.status_code == 302
    with app.app_context():
        cancelled = db.session.get(Session, session.id)
        assert cancelled.status is SessionStatus.CANCELLED
        assert cancelled.cancel_reason == "Лектор заболел; новая дата будет позже."
        assert cancelled.sequence == session.sequence + 1
        actions = db.session.execute(
            db.select(AuditEntry.action).where(AuditEntry.session_id == session.id)
        ).scalars()
        assert sorted(actions) == ["cancelled", "created"]
    staff_page = parse(client.get(f"/manage/sessions/{session.id}").get_data(as_text=True))
    assert "Cancelled: Лектор заболел; новая дата будет позже." in alerts(staff_page)
    public = client.get(f"/sessions/{session.id}")
    assert public.status_code == 200
    assert "Лектор заболел" in public.get_data(as_text=True)


def test_duplicate_prefills_a_draft_a_week_later(
    app, client, login, lecturer, academy, make_session
):
    source = make_session(
        actor=lecturer, academy_ids=[academy.id], title="Pediatric ECG", capacity=40
    )
    login(lecturer)

    response = client.get(f"/manage/sessions/{source.id}/duplicate")

    assert response.status_code == 200
    page = parse(response.get_data(as_text=True))
    actions = [
        e.attrs.get("action") for e in page.iter() if e.tag == "form" and "novalidate" in e.attrs
    ]
    assert actions == ["/manage/sessions/new"]  # saving the copy creates a new session
    assert value_of(page, "title") == "Pediatric ECG"
    assert value_of(page, "capacity") == "40"
    assert value_of(page, "starts_local") == f"{existing_day(source) + timedelta(days=7)}T14:00"
    assert chosen(page, "lecturer_ids") == [str(lecturer.id)]
    assert chosen(page, "academy_ids") == [str(academy.id)]
    assert chosen(page, "status") == ["draft"]
    assert value_of(page, "join_url") == ""  # never the original's meeting
    assert alerts(page)[:2] == [
        "This is a copy of “Pediatric ECG”, not saved yet.",
        "It is a draft, one week later: check the date and time, paste a new meeting link "
        "(the original's is not copied; a Zoom copy gets its own meeting), then save. "
        "Publish it when it is ready.",
    ]
    assert _count_sessions(app) == 1  # nothing is saved until the person saves


def test_duplicate_saved_is_a_new_draft(app, client, login, lecturer, academy, make_session):
    source = make_session(actor=lecturer, academy_ids=[academy.id], title="Pediatric ECG")
    login(lecturer)
    day = existing_day(source) + timedelta(days=7)
    data = form_data(
        lecturer.id,
        academy.id,
        title="Pediatric ECG",
        starts_local=f"{day}T14:00",
        status="draft",
    )

    response = client.post("/manage/sessions/new", data=data)

    assert response.status_code == 302
    with app.app_context():
        sessions = db.session.execute(db.select(Session).order_by(Session.id)).scalars().all()
        assert [(s.title, s.status) for s in sessions] == [
            ("Pediatric ECG", SessionStatus.SCHEDULED),
            ("Pediatric ECG", SessionStatus.DRAFT),
        ]


def test_capacity_below_the_seats_taken_says_so_beside_capacity(
    app, client, login, lecturer, academy, make_session
):
    session = make_session(
        actor=lecturer, academy_ids=[academy.id], kind=SessionKind.MASTER_CLASS, capacity=10
    )
    with app.app_context():
        actor = db.session.get(User, lecturer.id)
        for n in range(3):
            register(
                session.id,
                RegistrationInput(f"Student {n}", f"s{n}@example.org", "ru"),
                added_by=actor,
            )
        db.session.commit()
    login(lecturer)
    day = existing_day(session)
    data = form_data(
        lecturer.id, academy.id, kind="master_class", capacity="2", starts_local=f"{day}T14:00"
    )

    response = client.post(f"/manage/sessions/{session.id}/edit", data=data)

    assert response.status_code == 200
    page = parse(response.get_data(as_text=True))
    assert errors_beside(page, "capacity") == [
        "3 seats are already taken: the capacity cannot be lower."
    ]
    assert value_of(page, "capacity") == "2"
    with app.app_context():
        assert db.session.get(Session, session.id).capacity == 10

    allowed = client.post(f"/manage/sessions/{session.id}/edit", data={**data, "capacity": "3"})

    assert allowed.status_code == 302
    with app.app_context():
        assert db.session.get(Session, session.id).capacity == 3


def test_session_that_has_begun_can_still_be_edited_but_not_moved_back(
    app, client, login, lecturer, academy
):
    started = utcnow() - timedelta(minutes=30)
    local = utc_to_local(started, "Asia/Samarkand").replace(tzinfo=None, second=0, microsecond=0)
    with app.app_context():
        data = session_input(
            title="Already running",
            starts_local=local,
            lecturer_ids=[lecturer.id],
            academy_ids=[academy.id],
        )
        session_id = create_session(data, None, now=started - timedelta(days=1)).id
        db.session.commit()
    login(lecturer)
    typed = form_data(
        lecturer.id, academy.id, title="Running late", starts_local=local.strftime("%Y-%m-%dT%H:%M")
    )

    edited = client.post(f"/manage/sessions/{session_id}/edit", data=typed)
    moved = client.post(
        f"/manage/sessions/{session_id}/edit",
        data={**typed, "starts_local": (local - timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M")},
    )

    assert edited.status_code == 302
    assert moved.status_code == 200
    assert errors_beside(parse(moved.get_data(as_text=True)), "starts_local") == [
        "The start is in the past. Choose a time from now on."
    ]
    with app.app_context():
        assert db.session.get(Session, session_id).title == "Running late"


def _problems_banner(page) -> list[str]:
    return [li.text() for li in by_id(page, "form-problems").iter() if li.tag == "li"]


def test_session_form_every_problem_in_one_submit(app, client, login, lecturer, academy):
    """An empty title (the form's check) and no academy (the domain's rule): both at once."""
    login(lecturer)

    response = client.post(
        "/manage/sessions/new", data=form_data(lecturer.id, academy.id, title="", academy_ids=[])
    )

    page = parse(response.get_data(as_text=True))
    assert errors_beside(page, "title") == ["This field is required."]
    assert errors_beside(page, "academy_ids") == ["Choose at least one partner academy."]
    assert _problems_banner(page) == [
        "Title: This field is required.",
        "Partner academies: Choose at least one partner academy.",
    ]
    assert _count_sessions(app) == 0


def test_session_form_rule_error_alone_has_the_summary_banner(client, login, lecturer, academy):
    login(lecturer)

    response = client.post(
        "/manage/sessions/new", data=form_data(lecturer.id, academy.id, join_url="")
    )

    page = parse(response.get_data(as_text=True))
    assert _problems_banner(page) == [
        "Meeting link: Paste the meeting link, or choose another way to join."
    ]


def test_session_form_overlap_is_given_in_the_form_zone(
    client, login, lecturer, academy, make_session
):
    """The other session (14:00–15:30 Samarkand) is shown as the Izhevsk form reads it."""
    existing = make_session(actor=lecturer, academy_ids=[academy.id], title="Рахит")
    login(lecturer)
    data = form_data(
        lecturer.id,
        academy.id,
        starts_local=f"{existing_day(existing)}T13:30",
        time_zone="Europe/Samara",
    )

    response = client.post("/manage/sessions/new", data=data)

    box = by_id(parse(response.get_data(as_text=True)), "conflicts").text().replace(" – ", "–")
    assert "13:00–14:30" in box
    assert "13:00–14:30 Samara (UTC+04:00)" in box
    assert "Asia/Samarkand" not in box


def test_session_page_says_revision_only_once_revised(client, login, lecturer, make_session):
    session = make_session(actor=lecturer)
    login(lecturer)

    fresh = client.get(f"/manage/sessions/{session.id}").get_data(as_text=True)
    client.post(f"/manage/sessions/{session.id}/cancel", data={"reason": "The hall is flooded."})
    revised = parse(client.get(f"/manage/sessions/{session.id}").get_data(as_text=True))

    assert "Version" not in fresh and ">Revision<" not in fresh
    terms = [e.text() for e in revised.iter() if e.tag in ("dt", "dd")]
    assert terms[terms.index("Revision") + 1] == "1"
