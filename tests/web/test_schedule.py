"""The schedule list: filters, past sessions, pages, and odd query strings."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from tests.fixtures.app import session_input
from tests.fixtures.markup import errors_beside, parse
from webinars.domain.sessions.scheduling import cancel_session, create_session
from webinars.extensions import db
from webinars.models import Role, Session, SessionKind, SessionStatus, User, utcnow

DAY = (utcnow() + timedelta(days=10)).date()


def _titles(response) -> list[str]:
    """The sessions the staff schedule lists, in order."""
    page = parse(response.get_data(as_text=True))
    return [e.text() for e in page.iter() if e.tag == "a" and "title" in e.classes]


def _catalogue_titles(response) -> list[str]:
    """The sessions the public catalogue lists, in order (each a link in its heading)."""
    page = parse(response.get_data(as_text=True))
    return [e.text() for e in page.iter() if e.tag == "a" and e.parent.tag == "h2"]


@pytest.fixture
def world(app, make_user, make_academy, make_session):
    """Three sessions that differ in kind, language, academy, lecturer and day."""
    izhevsk = make_academy(city="Izhevsk")
    shymkent = make_academy(city="Shymkent", time_zone="Asia/Almaty")
    dilnoza, akmal = make_user(name="Dilnoza"), make_user(name="Akmal")
    make_session(
        actor=dilnoza,
        title="Asthma webinar",
        kind=SessionKind.WEBINAR,
        language="ru",
        academy_ids=[izhevsk.id],
        starts_local=datetime.combine(DAY, time(10)),
    )
    make_session(
        actor=akmal,
        title="ECG master class",
        kind=SessionKind.MASTER_CLASS,
        capacity=20,
        language="en",
        academy_ids=[shymkent.id],
        starts_local=datetime.combine(DAY + timedelta(days=2), time(10)),
    )
    make_session(
        actor=akmal,
        title="Kawasaki guest lecture",
        kind=SessionKind.GUEST_LECTURE,
        language="en",
        academy_ids=[izhevsk.id, shymkent.id],
        starts_local=datetime.combine(DAY + timedelta(days=4), time(10)),
    )
    with app.app_context():  # and one that is over
        past = session_input(
            title="Last month's webinar",
            lecturer_ids=[dilnoza.id],
            academy_ids=[izhevsk.id],
            starts_local=datetime.combine(DAY - timedelta(days=40), time(10)),
        )
        create_session(past, None, now=utcnow() - timedelta(days=60))
        db.session.commit()
    return {"izhevsk": izhevsk, "shymkent": shymkent, "dilnoza": dilnoza, "akmal": akmal}


@pytest.fixture
def viewer(client, login, make_user):
    login(make_user(Role.ADMIN))
    return client


ALL_UPCOMING = ["Asthma webinar", "ECG master class", "Kawasaki guest lecture"]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({}, ALL_UPCOMING),
        ({"kind": "master_class"}, ["ECG master class"]),
        ({"language": "en"}, ["ECG master class", "Kawasaki guest lecture"]),
        ({"academy": "izhevsk"}, ["Asthma webinar", "Kawasaki guest lecture"]),
        ({"lecturer": "akmal"}, ["ECG master class", "Kawasaki guest lecture"]),
        ({"date_from": 2, "date_to": 2}, ["ECG master class"]),
        ({"date_from": 1}, ["ECG master class", "Kawasaki guest lecture"]),
        ({"date_to": 3}, ["Asthma webinar", "ECG master class"]),
        ({"past": "1"}, ["Last month's webinar", *ALL_UPCOMING]),
        ({"kind": "webinar", "past": "1"}, ["Last month's webinar", "Asthma webinar"]),
    ],
    ids=[
        "all",
        "kind",
        "language",
        "academy",
        "lecturer",
        "one-day",
        "from",
        "to",
        "past",
        "kind-and-past",
    ],
)
def test_schedule_filters(world, viewer, query, expected):
    args = {}
    for key, value in query.items():
        if key in ("academy", "lecturer"):
            value = world[value].id
        elif key.startswith("date_"):
            value = (DAY + timedelta(days=value)).isoformat()
        args[key] = value

    response = viewer.get("/manage/schedule", query_string=args)

    assert response.status_code == 200
    assert _titles(response) == expected


def _link(response, rel: str) -> str | None:
    """The href of the pager's link with this rel, or None."""
    page = parse(response.get_data(as_text=True))
    hrefs = [e.attrs["href"] for e in page.iter() if e.tag == "a" and e.attrs.get("rel") == rel]
    return hrefs[0] if hrefs else None


def test_schedule_pages_follow_the_links(app, world, viewer):
    app.config["SCHEDULE_PAGE_SIZE"] = 2

    first = viewer.get("/manage/schedule?past=1")
    second = viewer.get(_link(first, "next"))
    back = viewer.get(_link(second, "prev"))
    last = viewer.get(_link(first, "last"))

    everything = ["Last month's webinar", *ALL_UPCOMING]
    assert [_titles(first), _titles(second), _titles(back)] == [
        everything[:2],
        everything[2:],
        everything[:2],
    ]
    assert _titles(last) == everything[2:]
    assert (_link(first, "prev"), _link(second, "next"), _link(last, "next")) == (None,) * 3
    assert "past=1" in _link(first, "next") and "past=1" in _link(second, "prev")


def test_schedule_page_keeps_its_place_when_sessions_are_added_before(
    app, world, viewer, make_session
):
    app.config["SCHEDULE_PAGE_SIZE"] = 2
    second = _link(viewer.get("/manage/schedule"), "next")
    make_session(title="Squeezed in", starts_local=datetime.combine(DAY, time(8)))

    assert _titles(viewer.get(second)) == ["Kawasaki guest lecture"]


def test_schedule_deep_page_costs_what_the_first_does(app, viewer, make_session, count_queries):
    app.config["SCHEDULE_PAGE_SIZE"] = 2
    for n in range(9):
        make_session(title=f"Session {n}", starts_local=datetime.combine(DAY, time(6 + n)))
    first = viewer.get("/manage/schedule")
    deep = _link(viewer.get(_link(viewer.get(_link(first, "next")), "next")), "next")

    with count_queries() as on_first:
        assert viewer.get("/manage/schedule").status_code == 200
    with count_queries() as on_deep:
        response = viewer.get(deep)
    with count_queries() as on_last:
        viewer.get(_link(first, "last"))

    assert _titles(response) == ["Session 6", "Session 7"]
    assert on_deep.count == on_first.count + 1  # the look back: is there a page before?
    assert on_last.count == on_first.count
    assert not any("count(" in s.lower() for s in on_deep.statements)


ODD_QUERIES = [
    "page=0",
    "page=-3",
    "page=abc",
    "page=99999",
    "academy=abc",
    "lecturer=99999",
    "kind=zzz",
    "language=xx",
    "date_from=2027-01-10&date_to=2027-01-01",
    "date_from=0001-01-01",
    "date_to=9999-12-31",
    "date_from=9999-12-31",
    "past=1&page=2",
    "after=abc",
    "before=1.2",
    "after=999999999999999999.1",
    "before=-5.3",
    "last=1&after=1.1",
    "last=yes",
]


@pytest.mark.parametrize("path", ["/manage/schedule", "/catalog/"])
def test_schedule_odd_query_strings_never_fail(world, viewer, path):
    answers = {query: viewer.get(f"{path}?{query}").status_code for query in ODD_QUERIES}

    assert answers == dict.fromkeys(ODD_QUERIES, 200)


@pytest.mark.parametrize(
    ("path", "message"),
    [
        ("/manage/schedule", "Not a valid date value."),
        ("/catalog/", "Enter a date, e.g. 2026-12-01."),
    ],
)
def test_schedule_bad_date_says_so_beside_the_field(world, viewer, path, message):
    response = viewer.get(f"{path}?date_from=2026-13-01")

    assert response.status_code == 200
    assert errors_beside(parse(response.get_data(as_text=True)), "date_from") == [message]


def _next_day_without_midnight(zone: str, after: date) -> date:
    """The first day after `after` whose 00:00 the clocks of `zone` skip."""
    tz = ZoneInfo(zone)
    for n in range(1, 400):
        day = after + timedelta(days=n)
        midnight = datetime.combine(day, time(0), tzinfo=tz)
        if midnight.astimezone(UTC).astimezone(tz).time() != time(0):
            return day
    raise AssertionError(f"{zone} skips no midnight in the coming year")


@pytest.mark.parametrize("path", ["/manage/schedule", "/catalog/"])
def test_schedule_day_whose_midnight_the_clocks_skip(
    app, client, login, make_user, make_session, path
):
    """In Santiago the clocks jump from 00:00 to 01:00 on a Sunday in September.

    That day starts at 01:00 (04:00 UTC); one hour earlier by the clock before the jump
    is still Saturday, 23:00. A session on each side of both ends of the day tells
    whether the filter drew the day's bounds where the clocks put them.
    """
    santiago = make_user(time_zone="America/Santiago")
    sunday = _next_day_without_midnight("America/Santiago", utcnow().date() + timedelta(days=2))
    for title, day, at in [
        ("Saturday, 23:00", sunday - timedelta(days=1), time(23)),
        ("Sunday, 01:00", sunday, time(1)),
        ("Sunday, 23:00", sunday, time(23)),
        ("Monday, 00:30", sunday + timedelta(days=1), time(0, 30)),
    ]:
        make_session(
            actor=santiago,
            title=title,
            starts_local=datetime.combine(day, at),
            time_zone="America/Santiago",
            duration_minutes=45,
        )
    login(santiago)

    response = client.get(f"{path}?date_from={sunday}&date_to={sunday}")

    assert (sunday.weekday(), sunday.month) == (6, 9)
    assert response.status_code == 200
    listed = _titles(response) if path == "/manage/schedule" else _catalogue_titles(response)
    assert listed == ["Sunday, 01:00", "Sunday, 23:00"]


def test_schedule_for_a_coordinator_shows_their_academy_only(world, client, login, make_user):
    login(make_user(Role.COORDINATOR, academy_id=world["shymkent"].id))

    response = client.get("/manage/schedule")

    assert _titles(response) == ["ECG master class", "Kawasaki guest lecture"]


def test_schedule_for_a_lecturer_hides_others_drafts(world, client, login, make_session):
    akmal, izhevsk = world["akmal"], world["izhevsk"]
    make_session(
        actor=akmal, title="Akmal's draft", academy_ids=[izhevsk.id], status=SessionStatus.DRAFT
    )
    login(world["dilnoza"])

    assert _titles(client.get("/manage/schedule")) == ALL_UPCOMING


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"q": "webinar"}, ["Asthma webinar"]),
        ({"q": "ECG class"}, ["ECG master class"]),  # every word, anywhere, any case
        ({"q": "ecg"}, ["ECG master class"]),
        ({"q": "100%"}, []),  # LIKE's wildcards are only characters here
        ({"status": "finished"}, ["Last month's webinar"]),
        ({"status": "scheduled"}, ALL_UPCOMING),
        ({"status": "draft"}, ["Kawasaki guest lecture (draft)"]),
        ({"status": "cancelled"}, ["Asthma webinar"]),
        (
            {"mine": "y"},
            ["Kawasaki guest lecture (draft)", "ECG master class", "Kawasaki guest lecture"],
        ),
    ],
    ids=[
        "word",
        "two-words",
        "case",
        "wildcard",
        "finished",
        "scheduled",
        "draft",
        "cancelled",
        "mine",
    ],
)
def test_schedule_status_title_and_mine_filters(
    app, world, client, login, make_session, query, expected
):
    akmal = world["akmal"]
    make_session(
        actor=akmal,
        title="Kawasaki guest lecture (draft)",
        status=SessionStatus.DRAFT,
        academy_ids=[world["izhevsk"].id],
    )
    if query.get("status") == "cancelled":
        with app.app_context():
            asthma = db.session.execute(
                db.select(Session).filter_by(title="Asthma webinar")
            ).scalar_one()
            cancel_session(asthma, "Ill.", None)
            db.session.commit()
    login(akmal)

    response = client.get("/manage/schedule", query_string=query)

    assert _titles(response) == expected


def test_schedule_title_search_finds_cyrillic_whatever_the_case(
    client, login, make_user, make_session
):
    lecturer = make_user()
    make_session(actor=lecturer, title="Неонатальная желтуха")
    make_session(actor=lecturer, title="Рахит")
    login(lecturer)

    response = client.get("/manage/schedule", query_string={"q": "желтуха"})

    assert _titles(response) == ["Неонатальная желтуха"]


def test_schedule_reversed_range_says_so(world, viewer):
    response = viewer.get(
        "/manage/schedule",
        query_string={
            "date_from": (DAY + timedelta(days=3)).isoformat(),
            "date_to": DAY.isoformat(),
        },
    )

    page = parse(response.get_data(as_text=True))
    assert errors_beside(page, "date_to") == [
        "The range ends before it starts: this date must be on or after “From”."
    ]


def _options(response, field: str) -> list[str]:
    """The labels a filter's select offers."""
    page = parse(response.get_data(as_text=True))
    select = next(e for e in page.iter() if e.tag == "select" and e.attrs.get("id") == field)
    return [e.text() for e in select.iter() if e.tag == "option"]


def test_schedule_filter_choices_read_once_until_people_or_academies_change(
    app, viewer, make_user, make_academy, count_queries
):
    lecturer = make_user(name="Bobur Old")
    make_academy(name_en="Alpha Academy", city="Izhevsk")
    viewer.get("/manage/schedule")

    with count_queries() as again:
        response = viewer.get("/manage/schedule")
    with app.app_context():
        db.session.get(User, lecturer.id).name = "Bobur New"
        db.session.commit()
    make_academy(name_en="Beta Academy", city="Shymkent")
    changed = viewer.get("/manage/schedule")

    assert not any("partner_academies" in s for s in again.statements)
    assert not any("ORDER BY users.name" in s for s in again.statements)
    assert "Bobur Old" in _options(response, "lecturer")
    assert "Bobur New" in _options(changed, "lecturer")
    assert "Bobur Old" not in _options(changed, "lecturer")
    assert _options(changed, "academy")[1:] == [
        "Alpha Academy (Izhevsk)",
        "Beta Academy (Shymkent)",
    ]


def test_schedule_names_the_readers_own_zone_by_its_city(client, login, make_user):
    login(make_user(Role.LECTURER, locale="ru", time_zone="Europe/Samara"))

    text = " ".join(parse(client.get("/manage/schedule").get_data(as_text=True)).text().split())

    assert "рядом — ваше время (Самара)" in text
    assert "Europe/Samara" not in text


def test_a_russian_reader_sees_every_row_in_russian(
    client, login, make_user, make_academy, make_session
):
    # The list gives its rows the page's language once (not per cell): each row must still
    # read entirely in the reader's language, and mark titles in another language.
    lecturer = make_user(name="Dilnoza", locale="ru", time_zone="Asia/Samarkand")
    izhevsk = make_academy(name_en="Izhevsk Academy", name_ru="Ижевская академия", city_ru="Ижевск")
    make_session(
        actor=lecturer,
        title="Asthma in children",
        kind=SessionKind.WEBINAR,
        language="en",
        academy_ids=[izhevsk.id],
        time_zone="Europe/Samara",
        starts_local=datetime(2030, 3, 4, 10, 0),
    )
    login(lecturer)

    html = client.get("/manage/schedule?past=1").get_data(as_text=True)
    row = " ".join(parse(html).text().split())

    assert "Вебинар · Английский" in row
    assert "Ижевская академия" in row and "Izhevsk Academy" not in row
    assert "пн 4 мар. 2030, 10:00 Ижевск" in row
    assert 'lang="en">Asthma in children</a>' in html
