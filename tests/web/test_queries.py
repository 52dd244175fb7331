"""No N+1: the SQL a page runs does not grow with the sessions, people or history on it.

Each test renders a page over a small world, grows the world, renders it again and
expects exactly the same number of statements.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, time, timedelta

import pytest

from webinars.domain.sessions.rules import GuestInput
from webinars.domain.sessions.scheduling import input_from_session, update_session
from webinars.domain.sessions.timezones import utc_to_local
from webinars.extensions import db
from webinars.models import Role, Session, SessionStatus, User, utcnow


@pytest.fixture
def queries(client, count_queries) -> Callable[[str], int]:
    """The number of SQL statements one GET of `path` runs (it must answer 200)."""

    def count(path: str) -> int:
        with count_queries() as counter:
            response = client.get(path)
        assert response.status_code == 200, path
        return counter.count

    return count


@pytest.fixture
def grow(app, make_user, make_academy, make_session):
    """Add sessions, each with its own two lecturers and two academies, some overlapping."""
    made = {"n": 0}

    def add(lecturer: User, count: int) -> list[int]:
        ids = []
        for _ in range(count):
            made["n"] += 1
            n = made["n"]
            day = (utcnow() + timedelta(days=3 + n)).date()
            colleague = make_user(Role.LECTURER)
            academies = [
                make_academy().id,
                make_academy(city="Shymkent", time_zone="Asia/Almaty").id,
            ]
            status = SessionStatus.DRAFT if n % 3 == 0 else SessionStatus.SCHEDULED
            session = make_session(
                actor=lecturer,
                lecturer_ids=[lecturer.id, colleague.id],
                academy_ids=academies,
                starts_local=datetime.combine(day, time(10)),
                status=status,
                guests=[GuestInput(f"Guest {n}", "Kazan", academies[0])],
            )
            # An overlapping session of the colleague's, so conflicts are marked too.
            make_session(
                actor=colleague,
                lecturer_ids=[colleague.id],
                academy_ids=[academies[1]],
                starts_local=datetime.combine(day, time(11)),
            )
            ids.append(session.id)
        return ids

    return add


@pytest.mark.parametrize("path", ["/manage/", "/manage/schedule", "/manage/schedule?past=1", "/"])
def test_list_pages_query_count_does_not_grow_with_sessions(login, make_user, grow, queries, path):
    lecturer = make_user(Role.LECTURER)
    login(lecturer)
    grow(lecturer, 1)
    queries(path)  # warm up: one-time work (e.g. zone lists) does not count
    few = queries(path)

    grow(lecturer, 6)
    queries(path)  # warm up again: the filters' lecturers and academies changed, read once
    many = queries(path)

    assert many == few


def test_schedule_filters_query_count_does_not_grow(login, make_user, make_academy, grow, queries):
    lecturer = make_user(Role.LECTURER)
    login(lecturer)
    grow(lecturer, 1)
    path = f"/manage/schedule?kind=webinar&lecturer={lecturer.id}&language=en"
    queries(path)
    few = queries(path)

    grow(lecturer, 6)
    queries(path)  # warm up again: the filters' lecturers and academies changed, read once
    many = queries(path)

    assert many == few


def _edit(app, session_id: int, actor_id: int, times: int) -> None:
    """Change the title `times` times: each change is one more audit entry."""
    with app.app_context():
        session = db.session.get(Session, session_id)
        actor = db.session.get(User, actor_id)
        for i in range(times):
            data = input_from_session(session)
            data.title = f"{data.title.split(' #')[0]} #{len(session.audit_entries)}-{i}"
            update_session(session, data, actor)
        db.session.commit()


def _add_people(app, session_id: int, lecturers: list[int], academies: list[int]) -> None:
    with app.app_context():
        session = db.session.get(Session, session_id)
        data = input_from_session(session)
        data.lecturer_ids = [*data.lecturer_ids, *lecturers]
        data.academy_ids = [*data.academy_ids, *academies]
        data.guests = [
            *data.guests,
            *(GuestInput(f"Guest {i}", None, a) for i, a in enumerate(academies)),
        ]
        update_session(session, data, None)
        db.session.commit()


@pytest.mark.parametrize("viewer_role", [Role.ADMIN, Role.LECTURER])
def test_session_page_query_count_does_not_grow_with_people_and_history(
    app, login, make_user, make_academy, make_session, grow, queries, viewer_role
):
    viewer = make_user(viewer_role)
    login(viewer)
    lecturer = make_user(Role.LECTURER)
    session_id = grow(lecturer, 1)[0]
    path = f"/manage/sessions/{session_id}"
    queries(path)
    few = queries(path)

    _edit(app, session_id, lecturer.id, 5)
    more_lecturers = [make_user(Role.LECTURER).id for _ in range(4)]
    more_academies = [make_academy(time_zone="Europe/Moscow", city="Kazan").id for _ in range(4)]
    _add_people(app, session_id, more_lecturers, more_academies)
    for other in more_lecturers:  # each new lecturer brings an overlapping session
        with app.app_context():
            starts = db.session.get(Session, session_id).starts_at
        make_session(
            actor=None,
            lecturer_ids=[other],
            academy_ids=[more_academies[0]],
            starts_local=_samarkand(starts),
        )
    many = queries(path)

    assert many == few


def _samarkand(moment: datetime) -> datetime:
    return utc_to_local(moment, "Asia/Samarkand").replace(tzinfo=None)


def test_public_session_page_query_count_does_not_grow(app, make_user, make_academy, grow, queries):
    app.config["PUBLIC_PAGE_CACHE_SECONDS"] = 0  # the render's own statements (a kept
    # page runs none: tests/web/test_page_cache.py)
    lecturer = make_user(Role.LECTURER)
    session_id = grow(lecturer, 1)[0]  # the first one is scheduled and public
    path = f"/sessions/{session_id}"
    queries(path)
    few = queries(path)

    _add_people(
        app, session_id, [make_user().id for _ in range(3)], [make_academy().id for _ in range(3)]
    )
    many = queries(path)

    assert many == few


def test_staff_accounts_page_query_count_does_not_grow_with_coordinators(
    login, make_user, make_academy, queries
):
    login(make_user(Role.ADMIN))

    def coordinators(count: int) -> None:
        for n in range(count):
            make_user(Role.COORDINATOR, academy_id=make_academy(city=f"City {n}").id)

    coordinators(3)
    queries("/admin/users")
    few = queries("/admin/users")

    coordinators(27)
    many = queries("/admin/users")

    assert many == few
