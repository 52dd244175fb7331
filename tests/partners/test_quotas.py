"""Seats reserved for an academy: its students take them before general seats, the rest
of the public cannot, the deadline gives unused ones back and moves the waiting list up,
and under concurrent nominations, sign-ups and cancellations no count passes its limit."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests.fixtures.markup import by_id, parse
from tests.fixtures.registration import all_at_once, outbox, person
from tests.fixtures.session_form import form_data
from webinars.domain.partners.nominations import NomineeRow, nominate
from webinars.domain.partners.quotas import (
    QuotaRuleError,
    quota_taken,
    release_due_quotas,
    remove_quota,
    set_quota,
)
from webinars.domain.registration.register import QuotaFullError, cancel, register
from webinars.domain.registration.seats import seats_taken
from webinars.domain.sessions.scheduling import input_from_session
from webinars.extensions import db
from webinars.models import (
    SEAT_STATUSES,
    Registration,
    RegistrationStatus,
    Role,
    SeatQuota,
    Session,
    User,
    utcnow,
)


@pytest.fixture
def two_academies(make_academy):
    return make_academy(name_en="Izhevsk"), make_academy(
        name_en="Shymkent", time_zone="Asia/Almaty"
    )


def _quota(app, session_id: int, academy_id: int, seats: int, days: int = 3) -> int:
    with app.app_context():
        quota = set_quota(session_id, academy_id, seats, utcnow() + timedelta(days=days), None)
        db.session.commit()
        return quota.id


def test_academy_students_take_quota_seats_first_and_others_cannot(
    app, open_session, enrol, two_academies
):
    izhevsk, shymkent = two_academies
    session = open_session(capacity=5, academy_ids=[izhevsk.id, shymkent.id])
    quota_id = _quota(app, session.id, izhevsk.id, 2)
    # The public pool is 3 seats: the fourth outsider waits although 2 seats are free.
    outsiders = [enrol(session.id, person(f"o{n}", academy_id=shymkent.id)) for n in range(4)]
    assert [r.status for r in outsiders] == [RegistrationStatus.HELD] * 3 + [
        RegistrationStatus.WAITING
    ]
    assert all(r.quota_id is None for r in outsiders)
    # Izhevsk's students take the reserved seats; the third finds none left and waits.
    students = [enrol(session.id, person(f"i{n}", academy_id=izhevsk.id)) for n in range(3)]
    assert [(r.status, r.quota_id) for r in students] == [
        (RegistrationStatus.HELD, quota_id),
        (RegistrationStatus.HELD, quota_id),
        (RegistrationStatus.WAITING, None),
    ]
    with app.app_context():
        assert seats_taken(session.id, utcnow()) == 5


def test_quota_seat_first_even_when_general_seats_are_free(app, open_session, enrol, two_academies):
    izhevsk, _ = two_academies
    session = open_session(capacity=10, academy_ids=[izhevsk.id])
    quota_id = _quota(app, session.id, izhevsk.id, 3)
    student = enrol(session.id, person("i1", academy_id=izhevsk.id))
    assert (student.status, student.quota_id) == (RegistrationStatus.HELD, quota_id)


def test_freed_quota_seat_goes_to_the_academys_waiting_student(
    app, open_session, enrol, two_academies
):
    izhevsk, shymkent = two_academies
    session = open_session(capacity=3, academy_ids=[izhevsk.id, shymkent.id])
    quota_id = _quota(app, session.id, izhevsk.id, 1)
    first = enrol(session.id, person("i1", academy_id=izhevsk.id))
    for n in range(2):
        enrol(session.id, person(f"o{n}", academy_id=shymkent.id))
    outsider = enrol(session.id, person("o-late", academy_id=shymkent.id))
    second = enrol(session.id, person("i2", academy_id=izhevsk.id))
    assert (outsider.status, second.status) == (RegistrationStatus.WAITING,) * 2
    with app.app_context():
        cancel(db.session.get(Registration, first.id))
        db.session.commit()
        # The outsider waited longer, but the freed seat is Izhevsk's until the deadline.
        assert db.session.get(Registration, second.id).quota_id == quota_id
        assert db.session.get(Registration, second.id).status is RegistrationStatus.HELD
        assert db.session.get(Registration, outsider.id).status is RegistrationStatus.WAITING


def test_deadline_releases_unused_seats_and_promotes_the_waiting_list(
    app, open_session, enrol, two_academies, make_user
):
    izhevsk, shymkent = two_academies
    lecturer = make_user(Role.LECTURER)  # adds people with confirmed addresses (no hold)
    session = open_session(capacity=4, academy_ids=[izhevsk.id, shymkent.id], actor=lecturer)
    quota_id = _quota(app, session.id, izhevsk.id, 3, days=1)
    taker = enrol(session.id, person("i1", academy_id=izhevsk.id), added_by=lecturer)
    seated = enrol(session.id, person("o1", academy_id=shymkent.id), added_by=lecturer)
    waiting = [
        enrol(session.id, person(f"w{n}", academy_id=shymkent.id), added_by=lecturer)
        for n in range(3)
    ]
    assert seated.status is RegistrationStatus.CONFIRMED
    assert [w.status for w in waiting] == [RegistrationStatus.WAITING] * 3
    with app.app_context():
        assert release_due_quotas(utcnow()) == 0  # not yet
        assert release_due_quotas(utcnow() + timedelta(days=1, minutes=1)) == 1
        db.session.commit()
        statuses = [db.session.get(Registration, w.id).status for w in waiting]
        # Two unused reserved seats went to the first two who waited, in order.
        assert statuses == [
            RegistrationStatus.CONFIRMED,
            RegistrationStatus.CONFIRMED,
            RegistrationStatus.WAITING,
        ]
        assert db.session.get(Registration, taker.id).status is RegistrationStatus.CONFIRMED
        assert db.session.get(SeatQuota, quota_id).released_at is not None
        assert release_due_quotas(utcnow() + timedelta(days=2)) == 0  # once
    told = [m.to_address for m in outbox(app, kind="seat_for_you")]
    assert sorted(told) == ["studentw0@example.org", "studentw1@example.org"]


def test_quota_takes_only_free_seats_and_fits_before_the_start(
    app, ctx, open_session, enrol, two_academies
):
    izhevsk, shymkent = two_academies
    session = open_session(capacity=4, academy_ids=[izhevsk.id, shymkent.id])
    for n in range(3):
        enrol(session.id, person(f"o{n}"))
    with pytest.raises(QuotaRuleError) as raised:
        set_quota(session.id, izhevsk.id, 2, utcnow() + timedelta(days=1), None)
    assert list(raised.value.errors) == ["seats"]
    db.session.rollback()
    with pytest.raises(QuotaRuleError) as raised:
        set_quota(session.id, izhevsk.id, 1, session.starts_at + timedelta(hours=1), None)
    assert list(raised.value.errors) == ["deadline"]
    db.session.rollback()
    quota = set_quota(session.id, izhevsk.id, 1, utcnow() + timedelta(days=1), None)
    assert quota.seats == 1


def test_nominations_only_into_the_quota(app, ctx, open_session, make_user, two_academies):
    izhevsk, _ = two_academies
    session = open_session(capacity=10, academy_ids=[izhevsk.id])
    quota = db.session.get(SeatQuota, _quota(app, session.id, izhevsk.id, 1))
    olga = db.session.get(User, make_user(Role.COORDINATOR, academy_id=izhevsk.id).id)
    rows = [NomineeRow(2, "Anna", "anna@example.org"), NomineeRow(3, "Boris", "boris@example.org")]
    result = nominate(quota, rows, olga, "ru")
    db.session.commit()
    assert [r.email for r in result.nominated] == ["anna@example.org"]
    assert [str(p) for p in result.refused[0].problems] == [
        "More students than reserved seats left (1)."
    ]
    anna = db.session.execute(
        db.select(Registration).where(Registration.email == "anna@example.org")
    ).scalar_one()
    assert (anna.status, anna.quota_id, anna.locale) == (RegistrationStatus.HELD, quota.id, "ru")
    with pytest.raises(QuotaFullError):
        register(session.id, person("x", academy_id=izhevsk.id), nominated=True)


def test_concurrent_nominations_signups_and_cancellations_keep_every_limit(
    app, threaded_app, open_session, make_user, two_academies, enrol
):
    izhevsk, shymkent = two_academies
    capacity, izhevsk_seats, shymkent_seats = 8, 3, 2
    session = open_session(capacity=capacity, academy_ids=[izhevsk.id, shymkent.id])
    izhevsk_quota = _quota(app, session.id, izhevsk.id, izhevsk_seats)
    shymkent_quota = _quota(app, session.id, shymkent.id, shymkent_seats)
    lecturer = make_user(Role.LECTURER)
    early = [enrol(session.id, person(f"early{n}"), added_by=lecturer).id for n in range(3)]
    coordinators = {
        q: make_user(Role.COORDINATOR, academy_id=a).id
        for q, a in ((izhevsk_quota, izhevsk.id), (shymkent_quota, shymkent.id))
    }

    def nominate_one(quota_id: int, n: int):
        quota = db.session.get(SeatQuota, quota_id)
        row = NomineeRow(2, f"Nominee {n}", f"nominee{quota_id}-{n}@example.org")
        return len(
            nominate(quota, [row], db.session.get(User, coordinators[quota_id]), "ru").nominated
        )

    def sign_up(n: int, academy_id: int | None):
        return register(
            session.id, person(f"pub{n}", academy_id=academy_id), public=True
        ).registration.status

    def leave(registration_id: int):
        return cancel(db.session.get(Registration, registration_id)).status

    jobs = (
        [(lambda n=n: nominate_one(izhevsk_quota, n)) for n in range(6)]
        + [(lambda n=n: nominate_one(shymkent_quota, n)) for n in range(4)]
        + [(lambda n=n: sign_up(n, izhevsk.id)) for n in range(4)]
        + [(lambda n=n: sign_up(100 + n, None)) for n in range(8)]
        + [(lambda r=r: leave(r)) for r in early[:2]]
    )
    results = all_at_once(threaded_app, jobs)

    assert [r for r in results if isinstance(r, Exception)] == []
    with app.app_context():
        now = utcnow()
        seated = (
            db.session.execute(
                db.select(Registration).where(
                    Registration.session_id == session.id, Registration.status.in_(SEAT_STATUSES)
                )
            )
            .scalars()
            .all()
        )
        assert seats_taken(session.id, now) == len(seated) == capacity  # every seat used
        assert quota_taken(izhevsk_quota, now) == izhevsk_seats
        assert quota_taken(shymkent_quota, now) == shymkent_seats
        general = [r for r in seated if r.quota_id is None]
        assert len(general) == capacity - izhevsk_seats - shymkent_seats
        for r in seated:
            if r.quota_id is not None:
                expected = izhevsk.id if r.quota_id == izhevsk_quota else shymkent.id
                assert r.academy_id == expected
        # Nominations and the academy's own sign-ups shared its seats, none twice.
        public_in_quota = [
            r for r in seated if r.quota_id == izhevsk_quota and r.email.startswith("studentpub")
        ]
    assert sum(results[:6]) + len(public_in_quota) == izhevsk_seats
    assert sum(results[6:10]) == shymkent_seats


def test_quota_set_while_the_public_signs_up_is_never_overrun(
    app, threaded_app, open_session, two_academies
):
    """The quota operations keep Session.quotas_until under the seat lock: a sign-up after
    the quota was set counts it, so the public never takes the reserved seats."""
    izhevsk, _ = two_academies
    capacity, reserved = 8, 3
    session = open_session(capacity=capacity, academy_ids=[izhevsk.id])
    deadline = utcnow() + timedelta(days=2)

    def reserve():
        return set_quota(session.id, izhevsk.id, reserved, deadline, None).id

    def sign_up(n: int):
        return register(session.id, person(f"pub{n}"), public=True).registration.status

    results = all_at_once(threaded_app, [reserve] + [(lambda n=n: sign_up(n)) for n in range(7)])

    assert [r for r in results[1:] if isinstance(r, Exception)] == []
    with app.app_context():
        now = utcnow()
        row = db.session.get(Session, session.id)
        taken = seats_taken(session.id, now)
        if isinstance(results[0], QuotaRuleError):  # six or more signed up first
            assert row.quotas_until is None
            assert taken == 7
        else:
            assert row.quotas_until == deadline
            assert taken <= capacity - reserved  # the reserved seats stayed free
            assert results[1:].count(RegistrationStatus.HELD) == taken


def test_quota_seats_never_pass_a_lowered_capacity(app, ctx, open_session, enrol, two_academies):
    izhevsk, shymkent = two_academies
    session = open_session(capacity=10, academy_ids=[izhevsk.id, shymkent.id])
    set_quota(session.id, izhevsk.id, 5, utcnow() + timedelta(days=2), None)
    db.session.commit()
    for n in range(5):
        register(session.id, person(f"o{n}", academy_id=shymkent.id))
    db.session.commit()
    row = db.session.get(Session, session.id)
    row.capacity = 6  # lowered straight in the row: no rule stands in the way
    db.session.commit()
    outcomes = []
    for n in range(3):
        outcomes.append(
            register(session.id, person(f"i{n}", academy_id=izhevsk.id)).registration.status
        )
        db.session.commit()
    assert outcomes == [
        RegistrationStatus.HELD,
        RegistrationStatus.WAITING,
        RegistrationStatus.WAITING,
    ]
    assert seats_taken(session.id, utcnow()) == 6


def _quota_reads(count_queries, app, session_id: int, who) -> int:
    """How many statements of one registration read the seat quotas."""
    with count_queries() as counter, app.app_context():
        register(session_id, who)
        db.session.commit()
    return sum("seat_quotas" in statement for statement in counter.statements)


def test_sessions_without_an_open_quota_skip_the_quota_counts(
    app, open_session, count_queries, two_academies
):
    izhevsk, _ = two_academies
    plain = open_session(capacity=10, academy_ids=[izhevsk.id])
    assert _quota_reads(count_queries, app, plain.id, person("p1", academy_id=izhevsk.id)) == 0
    kept = open_session(capacity=10, academy_ids=[izhevsk.id])
    _quota(app, kept.id, izhevsk.id, 2, days=1)
    assert _quota_reads(count_queries, app, kept.id, person("k1", academy_id=izhevsk.id)) == 1
    with app.app_context():  # past the deadline the quota counts no more: skipped again
        later = utcnow() + timedelta(days=1, minutes=1)
        with count_queries() as counter:
            outcome = register(kept.id, person("k2", academy_id=izhevsk.id), later)
        assert outcome.registration.quota_id is None
        assert not any("seat_quotas" in statement for statement in counter.statements)


def test_quota_operations_keep_the_sessions_latest_deadline(app, ctx, open_session, two_academies):
    izhevsk, shymkent = two_academies
    session = open_session(capacity=10, academy_ids=[izhevsk.id, shymkent.id])
    soon, later = utcnow() + timedelta(days=1), utcnow() + timedelta(days=2)
    first = set_quota(session.id, izhevsk.id, 2, later, None)
    set_quota(session.id, shymkent.id, 2, soon, None)
    db.session.commit()
    assert db.session.get(Session, session.id).quotas_until == later
    remove_quota(first)
    db.session.commit()
    assert db.session.get(Session, session.id).quotas_until == soon
    remove_quota(db.session.execute(db.select(SeatQuota)).scalar_one())
    db.session.commit()
    assert db.session.get(Session, session.id).quotas_until is None


def _edit_form(session_id: int, lecturer_id: int, **changes) -> dict:
    """The session form as the browser posts it, with the session's own values."""
    row = db.session.get(Session, session_id)
    data = input_from_session(row)
    return form_data(
        lecturer_id,
        row.academies[0].id,
        kind=data.kind.value,
        title=data.title,
        starts_local=data.starts_local.strftime("%Y-%m-%dT%H:%M"),
        time_zone=data.time_zone,
        duration_minutes=str(data.duration_minutes),
        academy_ids=[str(a.id) for a in row.academies],
        join_url=data.join_url or "",
        **changes,
    )


def test_lowered_capacity_warns_of_reserved_seats_it_leaves_no_room_for(
    app, client, login, make_user, open_session, enrol, two_academies
):
    izhevsk, shymkent = two_academies
    lecturer = make_user(Role.LECTURER)
    session = open_session(capacity=10, academy_ids=[izhevsk.id, shymkent.id], actor=lecturer)
    _quota(app, session.id, izhevsk.id, 4)
    _quota(app, session.id, shymkent.id, 3)
    enrol(session.id, person("i1", academy_id=izhevsk.id))  # one of Izhevsk's seats
    enrol(session.id, person("o1"))
    login(lecturer)
    url = f"/manage/sessions/{session.id}/registrants"
    assert "reserve-warning" not in client.get(url).get_data(as_text=True)  # 10 seats: all fit

    client.post(f"{url}/capacity", data={"capacity": "6"})
    page = parse(client.get(url).get_data(as_text=True))
    # 2 taken, 4 free, but Izhevsk keeps 3 unused and Shymkent 3: 2 can never be taken.
    assert by_id(page, "reserve-warning").text() == (
        "2 of the seats reserved for academies cannot be used: the capacity leaves 4 free "
        "seats for 6 reserved seats not taken yet (3 for Izhevsk, 3 for Shymkent). Raise the "
        "capacity or reserve fewer seats."
    )

    with app.app_context():
        data = _edit_form(session.id, lecturer.id, capacity="5")
    saved = client.post(f"/manage/sessions/{session.id}/edit", data=data, follow_redirects=True)
    assert "3 of the seats reserved for academies cannot be used" in saved.get_data(as_text=True)
    with app.app_context():
        data = _edit_form(session.id, lecturer.id, capacity="8")
    roomy = client.post(f"/manage/sessions/{session.id}/edit", data=data, follow_redirects=True)
    assert "reserved for academies cannot be used" not in roomy.get_data(as_text=True)


def test_public_pages_count_only_the_seats_anyone_may_take(
    app, client, open_session, enrol, two_academies
):
    izhevsk, _ = two_academies
    session = open_session(capacity=10, academy_ids=[izhevsk.id], title="Reserved class")
    _quota(app, session.id, izhevsk.id, 4)
    enrol(session.id, person("i1", academy_id=izhevsk.id))  # a reserved seat
    enrol(session.id, person("o1"))  # a general one
    # 10 seats, 2 taken, 3 still kept for Izhevsk: 5 are left for the public.
    catalogue = parse(client.get("/catalog/").get_data(as_text=True))
    (badge,) = [e for e in catalogue.iter() if "seats-left" in e.classes]
    assert badge.text() == "5 seats left"
    form = client.get(f"/catalog/{session.id}/register").get_data(as_text=True)
    assert "5 seats left." in form


@pytest.mark.parametrize(
    ("locale", "expected"),
    [("en", "Reserved until (Izhevsk time)"), ("ru", "Резерв до (время: Ижевск)")],
)
def test_quota_deadline_field_names_the_clock_it_is_read_on(
    app, make_user, make_academy, make_session, locale, expected
):
    # The deadline is read on the session's clock; the field said only "in the session's
    # time zone", and a lecturer in Samarkand reserving seats on an Izhevsk session had
    # to work out which zone that was.
    from tests.fixtures.app import client_as

    izhevsk = make_academy(name_en="Izhevsk", city_ru="Ижевск", time_zone="Europe/Samara")
    lecturer = make_user(Role.LECTURER, locale=locale)
    session = make_session(
        actor=lecturer, academy_ids=[izhevsk.id], capacity=20, time_zone="Europe/Samara"
    )

    response = client_as(app, lecturer).get(f"/partners/sessions/{session.id}/quotas")

    page = parse(response.get_data(as_text=True))
    labels = {e.attrs.get("for"): e.text() for e in page.iter() if e.tag == "label"}
    assert labels["deadline"] == expected


def test_the_reserve_form_names_each_academy_with_its_city_in_the_readers_language(
    app, client, login, make_user, open_session, make_academy
):
    izhevsk = make_academy(
        name_en="Izhevsk Academy", name_ru="Ижевская академия", city="Izhevsk", city_ru="Ижевск"
    )
    lecturer = make_user(Role.LECTURER)
    session = open_session(capacity=10, academy_ids=[izhevsk.id], actor=lecturer)
    login(lecturer)

    russian = client.get(
        f"/partners/sessions/{session.id}/quotas", headers={"Accept-Language": "ru"}
    )

    page = parse(russian.get_data(as_text=True))
    picker = by_id(page, "academy_id")
    options = [e.text() for e in picker.iter() if e.tag == "option"]
    assert options == ["Ижевская академия (Ижевск)"]
    assert "Академия-партнёр" in russian.get_data(as_text=True)  # its label
