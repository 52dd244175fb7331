"""Every figure of the report against the hand-counted history of tests/fixtures/reports.py."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests.fixtures.history import held_session
from tests.fixtures.reports import NOW, _utc
from webinars.domain.reports.figures import compute
from webinars.domain.reports.periods import Period
from webinars.extensions import db
from webinars.models import Registration, RegistrationStatus, Session, Visibility

Y2025 = Period("calendar", 2025)


def _row(sessions, minutes, lecturers, guests, registered, attended) -> dict[str, int]:
    return dict(
        sessions=sessions,
        minutes=minutes,
        lecturers=lecturers,
        guests=guests,
        registered=registered,
        attended=attended,
    )


def test_totals_count_held_sessions_people_once_and_forgotten_students(ctx, report_world):
    figures = compute(Y2025, now=NOW)

    # S1, S2, S3, S5: not the cancelled S4, the draft S7, S8 (not over yet), nor S6 (2024
    # in Samarkand). 90+60+135+45 minutes. L1, L2, L3. Dr. Ivanova once (S2 and S5 spell
    # her differently), Prof. Akhmetov. Registered: 3 + 2 + 1 (forgotten); attended:
    # 2 + 2 (one walk-in) + 1 (forgotten).
    assert figures.total == _row(4, 330, 3, 2, 6, 5)


def test_per_academy_and_country(ctx, report_world):
    ids = report_world

    figures = compute(Y2025, now=NOW)

    assert figures.rows["academy"] == {
        str(ids["izhevsk"]): _row(3, 195, 3, 1, 6, 5),  # S1, S2, S5
        str(ids["kazan"]): _row(1, 90, 1, 0, 3, 2),  # S1
        str(ids["shymkent"]): _row(2, 195, 2, 2, 2, 2),  # S2, S3
    }
    # S1 is with two Russian academies and counts once for Russia.
    assert figures.rows["country"] == {
        "RU": _row(3, 195, 3, 1, 6, 5),
        "KZ": _row(2, 195, 2, 2, 2, 2),
    }


def test_per_kind_and_direction(ctx, report_world):
    figures = compute(Y2025, now=NOW)

    assert figures.rows["kind"] == {
        "guest_lecture": _row(2, 135, 2, 1, 4, 3),  # S1, S5
        "webinar": _row(1, 60, 2, 1, 2, 2),  # S2
        "master_class": _row(1, 135, 1, 1, 0, 0),  # S3
    }
    assert figures.rows["direction"] == {
        "outgoing": _row(1, 90, 1, 0, 3, 2),  # S1
        "joint": _row(2, 105, 3, 1, 3, 3),  # S2, S5
        "incoming": _row(1, 135, 1, 1, 0, 0),  # S3
    }


def test_sessions_per_month_and_kind_in_the_home_zone(ctx, report_world):
    figures = compute(Y2025, now=NOW)

    # Months count from 0 (January): S5 is January in Samarkand.
    assert figures.months == {
        "0": {"guest_lecture": 1},
        "2": {"guest_lecture": 1},
        "3": {"webinar": 1},
        "4": {"master_class": 1},
    }


def test_agreements_in_force_at_any_time_of_the_period(ctx, report_world):
    ids = report_world

    this_year, last_year = compute(Y2025, now=NOW), compute(Y2025.previous(), now=NOW)

    assert this_year.agreements == {
        "total": {"": 2},
        "academy": {str(ids["izhevsk"]): 1, str(ids["shymkent"]): 1},
        "country": {"RU": 1, "KZ": 1},
    }
    assert last_year.agreements["total"] == {"": 2}  # Izhevsk and Kazan


def test_previous_year_holds_the_session_before_midnight_in_samarkand(ctx, report_world):
    figures = compute(Y2025.previous(), now=NOW)

    assert figures.total == _row(1, 60, 1, 0, 1, 0)  # S6


def test_academic_year_runs_september_to_august(ctx, report_world):
    figures = compute(Period("academic", 2024), now=NOW)

    assert figures.total["sessions"] == 5  # S6, S5, S1, S2, S3
    # Months count from September: December (3) holds S6, January (4) holds S5.
    assert (figures.months["3"], figures.months["4"]) == ({"webinar": 1}, {"guest_lecture": 1})


def test_coordinator_scope_counts_only_their_academys_sessions(ctx, report_world):
    figures = compute(Y2025, academy_id=report_world["shymkent"], now=NOW)

    assert figures.total == _row(2, 195, 2, 2, 2, 2)
    assert figures.agreements["total"] == {"": 1}


def test_figures_stay_true_until_the_next_session_ends(ctx, report_world):
    figures = compute(Y2025, now=NOW)

    assert figures.valid_until == _utc(2025, 12, 28, 10, 30)  # S8's end
    later = compute(Y2025, now=figures.valid_until)
    assert later.total["sessions"] == 5
    assert later.total["registered"] == 7


def test_statement_count_does_not_grow_with_sessions(app, report_world, count_queries):
    with app.app_context(), count_queries() as few:
        compute(Y2025, now=NOW)
    with app.app_context():
        for day in range(40):
            session = held_session(
                _utc(2025, 8, 1, 9) + timedelta(days=day),
                academies=[report_world["izhevsk"]],
                lecturers=[report_world["l1"]],
                guests=[(f"Guest {day}", None)],
            )
            db.session.flush()
            db.session.add(
                Registration(
                    session_id=session.id,
                    email=f"s{day}@example.org",
                    status=RegistrationStatus.CONFIRMED,
                )
            )
        db.session.commit()

    with app.app_context(), count_queries() as many:
        figures = compute(Y2025, now=NOW)

    assert figures.total["sessions"] == 44
    assert many.count == few.count <= 5


@pytest.mark.parametrize("kind", ["calendar", "academic"])
def test_an_empty_period_has_zero_figures(ctx, kind):
    figures = compute(Period(kind, 2019), now=NOW)

    assert figures.total == _row(0, 0, 0, 0, 0, 0)
    assert figures.rows == {}


def test_lecturers_who_taught_partners_students_count_once(ctx, report_world):
    figures = compute(Y2025, now=NOW)

    # Outgoing and joint sessions: S1 (L1), S2 (L1, L2), S5 (L3); not the incoming S3.
    assert figures.row("abroad")["lecturers"] == 3
    assert figures.row("abroad")["sessions"] == 3


def test_public_only_leaves_partners_only_sessions_out(ctx, report_world):
    session = db.session.get(Session, report_world["s1"])
    session.visibility = Visibility.PARTNERS
    db.session.commit()

    assert compute(Y2025, now=NOW, public_only=True).total["sessions"] == 3
    assert compute(Y2025, now=NOW).total["sessions"] == 4
