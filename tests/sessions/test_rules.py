"""resolve_times: the rules spanning several fields, with a message per field."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
from flask import current_app

from tests.fixtures.app import session_input
from tests.fixtures.sessions import DAY, NOW, at
from webinars.domain.sessions.rules import SessionRulesError, resolve_times
from webinars.domain.sessions.scheduling import create_session, input_from_session, update_session
from webinars.extensions import db
from webinars.models import Conference, SessionKind


def valid(**fields):
    """A valid input for 14:00 Samarkand on DAY, with ids that need no database."""
    values = dict(starts_local=at(14), lecturer_ids=[1], academy_ids=[1])
    values.update(fields)
    return session_input(**values)


def refused_fields(data, now=NOW, **kwargs) -> set[str]:
    """The fields resolve_times refuses; each must come with a message to show beside it."""
    with pytest.raises(SessionRulesError) as raised:
        resolve_times(data, now, **kwargs)
    with current_app.test_request_context():
        assert all(str(message).strip() for message in raised.value.errors.values())
    return set(raised.value.errors)


def test_session_rules_error_raised_outside_request(app):
    # The rules also run from the CLI (seed-demo) and background jobs: no request there.
    with app.app_context(), pytest.raises(SessionRulesError, match="lecturer_ids"):
        resolve_times(valid(lecturer_ids=[]), NOW)


def test_resolve_times_converts_local_times_to_utc(app):
    data = valid(
        duration_minutes=90,
        registration_opens_local=at(9, day=DAY - timedelta(days=10)),
        registration_closes_local=at(12),
    )

    times = resolve_times(data, NOW)

    assert times.starts_at == datetime(2026, 1, 20, 9, 0, tzinfo=UTC)
    assert times.ends_at == datetime(2026, 1, 20, 10, 30, tzinfo=UTC)
    assert times.registration_opens_at == datetime(2026, 1, 10, 4, 0, tzinfo=UTC)
    assert times.registration_closes_at == datetime(2026, 1, 20, 7, 0, tzinfo=UTC)


def test_resolve_times_duration_across_dst_is_elapsed_time(app):
    # 01:30 Berlin + 120 minutes is 04:30 local on the night the clocks go forward.
    data = valid(
        starts_local=datetime(2026, 3, 29, 1, 30), time_zone="Europe/Berlin", duration_minutes=120
    )

    times = resolve_times(data, NOW)

    assert times.ends_at - times.starts_at == timedelta(minutes=120)
    assert times.ends_at == datetime(2026, 3, 29, 2, 30, tzinfo=UTC)


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"starts_local": at(11, day=NOW.date())}, "starts_local"),  # 11:00 today = NOW
        ({"starts_local": at(10, day=NOW.date())}, "starts_local"),
        (
            {"starts_local": datetime(2026, 3, 29, 2, 30), "time_zone": "Europe/Berlin"},
            "starts_local",
        ),
        (
            {"starts_local": datetime(2026, 10, 25, 2, 30), "time_zone": "Europe/Berlin"},
            "starts_local",
        ),
        (
            {
                "registration_opens_local": datetime(2026, 3, 29, 2, 30),
                "starts_local": datetime(2026, 4, 1, 10, 0),
                "time_zone": "Europe/Berlin",
            },
            "registration_opens",
        ),
        ({"duration_minutes": 0}, "duration_minutes"),
        ({"duration_minutes": 1441}, "duration_minutes"),
        ({"kind": SessionKind.MASTER_CLASS, "capacity": None}, "capacity"),
        ({"kind": SessionKind.MASTER_CLASS, "capacity": 0}, "capacity"),
        (
            {"registration_opens_local": at(10), "registration_closes_local": at(10)},
            "registration_closes",
        ),
        (
            {"registration_opens_local": at(11), "registration_closes_local": at(10)},
            "registration_closes",
        ),
        ({"registration_opens_local": at(14)}, "registration_opens"),
        ({"registration_opens_local": at(15)}, "registration_opens"),
        ({"registration_closes_local": at(14, 1)}, "registration_closes"),
        ({"lecturer_ids": []}, "lecturer_ids"),
        ({"academy_ids": []}, "academy_ids"),
        ({"conference": Conference.LINK, "join_url": None}, "join_url"),
        ({"conference": Conference.LINK, "join_url": ""}, "join_url"),
    ],
)
def test_resolve_times_refuses_broken_rule_beside_its_field(app, fields, field):
    with app.app_context():
        assert refused_fields(valid(**fields)) == {field}


@pytest.mark.parametrize("zone", ["Mars/Olympus", "", "samarkand"])
def test_resolve_times_refuses_unknown_zone(app, zone):
    with app.app_context():
        assert refused_fields(valid(time_zone=zone)) == {"time_zone"}


@pytest.mark.parametrize(
    "fields",
    [
        {"duration_minutes": 1},
        {"duration_minutes": 1440},
        {"kind": SessionKind.MASTER_CLASS, "capacity": 12},
        {"capacity": None},
        {"registration_closes_local": at(14)},
        {"registration_opens_local": at(13, 59)},
        {"conference": Conference.NONE, "join_url": None},
        {"starts_local": at(11, 1, day=NOW.date())},  # a minute from now
    ],
)
def test_resolve_times_accepts_edge_of_rule(app, fields):
    assert resolve_times(valid(**fields), NOW).starts_at is not None


def test_resolve_times_reports_every_broken_rule_at_once(app):
    data = valid(lecturer_ids=[], academy_ids=[], duration_minutes=0, join_url=None)

    with app.app_context():
        assert refused_fields(data) == {
            "lecturer_ids",
            "academy_ids",
            "duration_minutes",
            "join_url",
        }


@pytest.mark.parametrize(("capacity", "refused"), [(9, True), (10, False), (11, False)])
def test_resolve_times_capacity_below_seats_taken(app, capacity, refused):
    data = valid(capacity=capacity)

    with app.app_context():
        if refused:
            assert refused_fields(data, seats_taken=10) == {"capacity"}
        else:
            assert resolve_times(data, NOW, seats_taken=10).starts_at is not None


def test_update_started_session_title_allowed(store):
    session = store()
    started = session.starts_at + timedelta(minutes=10)

    changes = update_session(
        session, replace(input_from_session(session), title="Renamed live"), None, started
    )

    assert changes == {"title": ["Pediatric cardiology update", "Renamed live"]}


def test_update_started_session_moving_start_into_past_refused(store):
    session = store()
    started = session.starts_at + timedelta(minutes=10)
    data = replace(input_from_session(session), starts_local=at(13))

    assert refused_fields(data, now=started, session=session) == {"starts_local"}


def test_update_session_moving_start_later_allowed_after_it_began(store):
    session = store()
    started = session.starts_at + timedelta(minutes=10)

    update_session(
        session, replace(input_from_session(session), starts_local=at(16)), None, started
    )
    db.session.commit()

    assert session.starts_at == datetime(2026, 1, 20, 11, 0, tzinfo=UTC)


def test_update_session_refuses_capacity_below_seats_taken(store):
    session = store(capacity=30)
    data = replace(input_from_session(session), capacity=20)

    with pytest.raises(SessionRulesError) as raised:
        update_session(session, data, None, NOW, seats_taken=25)

    assert set(raised.value.errors) == {"capacity"}


def test_create_session_refuses_past_start(ctx, make_user, make_academy):
    data = valid(
        lecturer_ids=[make_user().id],
        academy_ids=[make_academy().id],
        starts_local=at(10, day=NOW.date()),
    )

    with pytest.raises(SessionRulesError) as raised:
        create_session(data, None, now=NOW)

    assert set(raised.value.errors) == {"starts_local"}


def test_create_session_drops_join_url_without_link_conference(store):
    session = store(conference=Conference.NONE, join_url="https://meet.example.org/left-over")

    assert session.join_url is None


def test_create_session_strips_title_and_description(store):
    session = store(title="  Rickets today  ", description="  Case-based.  ")

    assert (session.title, session.description) == ("Rickets today", "Case-based.")
