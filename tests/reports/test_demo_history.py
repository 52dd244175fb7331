"""seed-demo brings three years of history for the report and the public page."""

from __future__ import annotations

from webinars.domain.reports.figures import compute
from webinars.domain.reports.periods import Period
from webinars.extensions import db
from webinars.models import Agreement, Registration, Session, SessionStatus


def test_seed_demo_adds_history_since_2023_once(app, runner):
    first = runner.invoke(args=["seed-demo"])
    again = runner.invoke(args=["seed-demo"])

    assert first.exit_code == 0, first.output
    assert "History for the cooperation report: 0 sessions" not in first.output
    assert "History for the cooperation report: 0 sessions since 2023 added." in again.output
    with app.app_context():
        earliest = db.session.execute(db.select(db.func.min(Session.starts_at))).scalar_one()
        assert earliest.year == 2023
        for year in (2023, 2024, 2025):
            figures = compute(Period("calendar", year))
            assert figures.total["sessions"] > 20
            assert 0 < figures.total["attended"] < figures.total["registered"]
            assert len(figures.rows["country"]) >= 2
        cancelled = db.session.execute(
            db.select(db.func.count(Session.id)).where(Session.status == SessionStatus.CANCELLED)
        ).scalar_one()
        assert cancelled >= 3
        assert db.session.execute(db.select(db.func.count(Agreement.id))).scalar_one() == 5
        forgotten = db.session.execute(
            db.select(db.func.count(Registration.id)).where(Registration.email.is_(None))
        ).scalar_one()
        assert forgotten > 100
