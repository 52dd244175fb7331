"""Cached figures: counted once, forgotten when what they cover changes, and only then."""

from __future__ import annotations

from datetime import date, timedelta

from tests.fixtures.history import held_session
from webinars.domain.reports.cache import cached_figures
from webinars.domain.reports.periods import Period
from webinars.extensions import db
from webinars.models import (
    Agreement,
    AgreementKind,
    AttendanceEntry,
    Registration,
    RegistrationStatus,
    ReportCache,
    Session,
    utcnow,
)

Y2025 = Period("calendar", 2025)


def _cached_keys() -> list[str]:
    return sorted(db.session.execute(db.select(ReportCache.key)).scalars())


def test_second_reading_comes_from_the_cache_in_one_statement(app, report_world, count_queries):
    with app.app_context():
        first = cached_figures(Y2025)
    with app.app_context(), count_queries() as counter:
        again = cached_figures(Y2025)

    assert again.total == first.total
    assert again.total["sessions"] == 5  # S8 is over by now
    assert counter.count == 1


def test_scopes_are_cached_apart(ctx, report_world):
    cached_figures(Y2025)
    cached_figures(Y2025, academy_id=report_world["shymkent"])

    assert _cached_keys() == sorted(
        ["calendar:2025:all", f"calendar:2025:{report_world['shymkent']}"]
    )


def test_attendance_recorded_for_a_past_session_forgets_its_period_only(ctx, report_world):
    cached_figures(Y2025)
    cached_figures(Y2025.previous())

    db.session.add(AttendanceEntry(session_id=report_world["s3"], walk_in=True, attended=True))
    db.session.commit()

    assert _cached_keys() == ["calendar:2024:all"]
    assert cached_figures(Y2025).total["attended"] == 6


def test_cancelling_a_held_session_forgets_its_period(ctx, report_world):
    cached_figures(Y2025)

    session = db.session.get(Session, report_world["s1"])
    session.status = session.status.CANCELLED
    db.session.commit()

    assert _cached_keys() == []
    assert cached_figures(Y2025).total["sessions"] == 4


def test_registration_for_a_session_still_to_come_keeps_the_figures(ctx, report_world):
    future = held_session(utcnow() + timedelta(days=30), academies=[report_world["izhevsk"]])
    db.session.commit()
    this_year = Period("calendar", utcnow().year)
    cached_figures(this_year)
    cached_figures(Y2025)

    db.session.add(
        Registration(
            session_id=future.id, email="new@example.org", status=RegistrationStatus.CONFIRMED
        )
    )
    db.session.commit()

    assert len(_cached_keys()) == 2


def test_registration_change_on_a_held_session_forgets_its_period(ctx, report_world):
    cached_figures(Y2025)
    registration = db.session.execute(
        db.select(Registration).where(
            Registration.session_id == report_world["s1"], Registration.full_name == "a"
        )
    ).scalar_one()

    registration.status = RegistrationStatus.CANCELLED
    db.session.commit()

    assert _cached_keys() == []
    assert cached_figures(Y2025).total["registered"] == 6  # 7 before (S8 is over now)


def test_a_new_agreement_forgets_every_period(ctx, report_world):
    cached_figures(Y2025)
    cached_figures(Y2025.previous())

    db.session.add(
        Agreement(
            academy_id=report_world["kazan"],
            kind=AgreementKind.MOBILITY,
            signed_on=date(2025, 9, 1),
        )
    )
    db.session.commit()

    assert _cached_keys() == []
    assert cached_figures(Y2025).agreements["total"] == {"": 3}


def test_figures_are_counted_again_once_a_session_of_the_period_ends(ctx, report_world):
    this_year = Period("calendar", utcnow().year)
    soon = held_session(utcnow() + timedelta(minutes=5), academies=[report_world["izhevsk"]])
    db.session.commit()
    before = cached_figures(this_year)
    assert before.valid_until == soon.ends_at

    row = db.session.get(ReportCache, f"{this_year.key}:all")
    row.valid_until = utcnow() - timedelta(seconds=1)  # as if the session had just ended
    row.payload = {**row.payload, "rows": {"total": {"": {"sessions": 999}}}}
    db.session.commit()

    assert cached_figures(this_year).total["sessions"] != 999
