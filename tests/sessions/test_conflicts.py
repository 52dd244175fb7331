"""Double-booking: overlapping live sessions that share a lecturer or an academy."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from tests.fixtures.sessions import at
from webinars.domain.sessions.conflicts import (
    conflicting_session_ids,
    conflicts_for_session,
    find_conflicts,
)
from webinars.domain.sessions.scheduling import cancel_session
from webinars.extensions import db

# The stored session in these tests: 14:00-15:30 Samarkand on DAY, i.e. 09:00-10:30 UTC.
START = datetime(2026, 1, 20, 9, 0, tzinfo=UTC)
END = datetime(2026, 1, 20, 10, 30, tzinfo=UTC)


def utc(hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 1, 20, hour, minute, tzinfo=UTC)


def test_find_conflicts_reports_shared_lecturer(store, make_user, make_academy):
    lecturer = make_user()
    existing = store(lecturer_ids=[lecturer.id])

    found = find_conflicts(utc(10), utc(11), [lecturer.id], [make_academy().id])

    assert [c.session.id for c in found] == [existing.id]
    assert [u.id for u in found[0].lecturers] == [lecturer.id]
    assert found[0].academies == []


def test_find_conflicts_reports_shared_academy(store, make_user, make_academy):
    academy = make_academy()
    existing = store(academy_ids=[academy.id])

    found = find_conflicts(utc(10), utc(11), [make_user().id], [academy.id])

    assert [c.session.id for c in found] == [existing.id]
    assert found[0].lecturers == []
    assert [a.id for a in found[0].academies] == [academy.id]


def test_find_conflicts_reports_only_shared_people(store, make_user, make_academy):
    shared, other = make_user(), make_user()
    academy = make_academy()
    store(lecturer_ids=[shared.id, other.id], academy_ids=[academy.id])

    found = find_conflicts(START, END, [shared.id], [academy.id])

    assert [u.id for u in found[0].lecturers] == [shared.id]
    assert [a.id for a in found[0].academies] == [academy.id]


def test_find_conflicts_same_instant_entered_in_other_zone(store, make_user):
    lecturer = make_user()
    existing = store(lecturer_ids=[lecturer.id], starts_local=at(14), time_zone="Asia/Samarkand")

    # 13:00 in Izhevsk (+04) is 14:00 in Samarkand (+05).
    found = find_conflicts(utc(9), utc(9, 30), [lecturer.id], [])

    assert [c.session.id for c in found] == [existing.id]
    assert existing.starts_at == START


@pytest.mark.parametrize(
    ("starts", "ends"),
    [
        (utc(8), utc(9, 1)),  # overlaps the start
        (utc(10, 29), utc(12)),  # overlaps the end
        (utc(9, 30), utc(10)),  # inside
        (utc(8), utc(12)),  # around
        (START, END),  # the same time
    ],
)
def test_find_conflicts_overlapping_times(store, make_user, starts, ends):
    lecturer = make_user()
    existing = store(lecturer_ids=[lecturer.id])

    found = find_conflicts(starts, ends, [lecturer.id], [])

    assert [c.session.id for c in found] == [existing.id]


@pytest.mark.parametrize(
    ("starts", "ends"),
    [
        (utc(7, 30), START),  # ends as the other starts
        (END, utc(12)),  # starts as the other ends
        (utc(6), utc(7)),
        (utc(11), utc(12)),
    ],
)
def test_find_conflicts_touching_or_apart_is_no_conflict(store, make_user, starts, ends):
    lecturer = make_user()
    store(lecturer_ids=[lecturer.id])

    assert find_conflicts(starts, ends, [lecturer.id], []) == []


def test_find_conflicts_nothing_shared_is_no_conflict(store, make_user, make_academy):
    store()

    assert find_conflicts(START, END, [make_user().id], [make_academy().id]) == []


def test_find_conflicts_ignores_cancelled_session(store, make_user):
    lecturer = make_user()
    existing = store(lecturer_ids=[lecturer.id])
    cancel_session(existing, "Lecturer ill", None)
    db.session.commit()

    assert find_conflicts(START, END, [lecturer.id], []) == []


def test_find_conflicts_excludes_own_session(store, make_user):
    lecturer = make_user()
    existing = store(lecturer_ids=[lecturer.id])

    found = find_conflicts(START, END, [lecturer.id], [], exclude_session_id=existing.id)

    assert found == []


def test_find_conflicts_lists_several_in_start_order(store, make_user):
    lecturer = make_user()
    later = store(lecturer_ids=[lecturer.id], starts_local=at(15))
    earlier = store(lecturer_ids=[lecturer.id], starts_local=at(13))

    found = find_conflicts(utc(8), utc(12), [lecturer.id], [])

    assert [c.session.id for c in found] == [earlier.id, later.id]


def test_find_conflicts_without_people_is_empty(store):
    store()

    assert find_conflicts(START, END, [], []) == []


def test_conflicts_for_session_finds_the_other(store, make_user):
    lecturer = make_user()
    first = store(lecturer_ids=[lecturer.id])
    second = store(lecturer_ids=[lecturer.id], starts_local=at(15))

    assert [c.session.id for c in conflicts_for_session(first)] == [second.id]
    assert [c.session.id for c in conflicts_for_session(second)] == [first.id]


def test_conflicts_for_session_cancelled_has_none(store, make_user):
    lecturer = make_user()
    first = store(lecturer_ids=[lecturer.id])
    store(lecturer_ids=[lecturer.id])
    cancel_session(first, "Moved to spring", None)

    assert conflicts_for_session(first) == []


def test_conflicting_session_ids_marks_both_of_each_pair(store, make_user, make_academy):
    lecturer, academy = make_user(), make_academy()
    by_lecturer = [store(lecturer_ids=[lecturer.id]), store(lecturer_ids=[lecturer.id])]
    by_academy = [
        store(academy_ids=[academy.id], starts_local=at(18)),
        store(academy_ids=[academy.id], starts_local=at(19)),
    ]
    alone = store(starts_local=at(14))  # same time, nothing shared
    touching = store(lecturer_ids=[lecturer.id], starts_local=at(15, 30))
    page = [s.id for s in [*by_lecturer, *by_academy, alone, touching]]

    found = conflicting_session_ids(page)

    assert found == {s.id for s in [*by_lecturer, *by_academy]}


def test_conflicting_session_ids_reports_only_ids_asked_for(store, make_user):
    lecturer = make_user()
    on_page = store(lecturer_ids=[lecturer.id])
    off_page = store(lecturer_ids=[lecturer.id])

    assert conflicting_session_ids([on_page.id]) == {on_page.id}
    assert off_page.id not in conflicting_session_ids([on_page.id])


def test_conflicting_session_ids_ignores_cancelled(store, make_user):
    lecturer = make_user()
    live = store(lecturer_ids=[lecturer.id])
    cancelled = store(lecturer_ids=[lecturer.id])
    cancel_session(cancelled, "Duplicate entry", None)
    db.session.commit()

    assert conflicting_session_ids([live.id, cancelled.id]) == set()


def test_conflicting_session_ids_empty_page_runs_no_query(ctx, count_queries):
    with count_queries() as counter:
        result = conflicting_session_ids([])

    assert result == set()
    assert counter.count == 0


def _overlapping_pairs(store, make_user, make_academy, pairs: int) -> list[int]:
    ids = []
    for n in range(pairs):
        lecturer, academy = make_user(), make_academy()
        for _ in range(2):
            ids.append(
                store(
                    lecturer_ids=[lecturer.id],
                    academy_ids=[academy.id],
                    starts_local=at(8 + n % 10),
                ).id
            )
    return ids


def test_conflicting_session_ids_query_count_constant_with_page_size(
    store, make_user, make_academy, count_queries
):
    small = _overlapping_pairs(store, make_user, make_academy, 1)
    large = _overlapping_pairs(store, make_user, make_academy, 10)
    db.session.expire_all()

    with count_queries() as few:
        found_small = conflicting_session_ids(small)
    with count_queries() as many:
        found_large = conflicting_session_ids(large)

    assert found_small == set(small)
    assert found_large == set(large)
    assert few.count == many.count == 2


def test_conflicting_session_ids_window_path_agrees_with_sql_path(ctx, make_user, make_academy):
    """The schedule's windowed pairing marks exactly what the all-SQL query marks."""
    import random
    from datetime import timedelta

    from tests.fixtures.app import session_input
    from webinars.domain.sessions.scheduling import cancel_session, create_session
    from webinars.extensions import db
    from webinars.models import Session, utcnow

    rng = random.Random(5)
    lecturers = [make_user() for _ in range(3)]
    academies = [make_academy() for _ in range(3)]
    base = (utcnow() + timedelta(days=3)).replace(tzinfo=None, minute=0, second=0, microsecond=0)
    for n in range(30):
        session = create_session(
            session_input(
                title=f"S{n}",
                time_zone="Asia/Samarkand",
                starts_local=base + timedelta(minutes=30 * rng.randrange(40)),
                duration_minutes=rng.choice([30, 60, 90]),
                lecturer_ids=[rng.choice(lecturers).id],
                academy_ids=[rng.choice(academies).id],
            ),
            None,
        )
        if n % 7 == 0:
            cancel_session(session, "test", None)
    db.session.commit()
    page = db.session.execute(db.select(Session).order_by(Session.starts_at)).scalars().all()[5:20]
    ids = [s.id for s in page]
    spans = [(s.starts_at, s.ends_at) for s in page]

    windowed = conflicting_session_ids(ids, spans)

    assert windowed == conflicting_session_ids(ids)
    assert windowed  # the random schedule does contain overlaps


def test_conflicting_session_ids_with_spans_is_one_query_whatever_the_page(
    store, make_user, make_academy, count_queries
):
    """The schedule's path (spans given): the overlapping sessions and what they share
    come back in one statement, for a page of two or of twenty."""
    from webinars.models import Session

    small = _overlapping_pairs(store, make_user, make_academy, 1)
    large = _overlapping_pairs(store, make_user, make_academy, 10)
    db.session.expire_all()
    spans = {
        s.id: (s.starts_at, s.ends_at) for s in db.session.execute(db.select(Session)).scalars()
    }

    with count_queries() as few:
        found_small = conflicting_session_ids(small, [spans[i] for i in small])
    with count_queries() as many:
        found_large = conflicting_session_ids(large, [spans[i] for i in large])

    assert found_small == set(small)
    assert found_large == set(large)
    assert few.count == many.count == 1
