"""The audit trail shows stored values in people's words."""

from __future__ import annotations

from webinars.web.audit_labels import audit_value


def test_audit_value_status_in_words(app):
    with app.test_request_context():
        assert audit_value("status", "cancelled", "Asia/Samarkand") == "Cancelled"
        assert audit_value("visibility", "partners", "Asia/Samarkand") == "Partner academies only"


def test_audit_value_time_in_session_zone(app):
    with app.test_request_context():
        text = audit_value("starts_at", "2026-12-01T09:00:00+00:00", "Asia/Samarkand")
    assert text == "Tue 1 Dec 2026, 14:00 Samarkand (UTC+05:00)"


def test_audit_value_unknown_value_kept(app):
    with app.test_request_context():
        assert audit_value("status", "archived", "Asia/Samarkand") == "archived"
        assert audit_value("capacity", None, "Asia/Samarkand") == "—"


def test_audit_value_join_link_masked(app):
    with app.test_request_context():
        text = audit_value("join_url", "https://meet.example.org/room/ab12cd34?pwd=x", "UTC")
    assert text == "meet.example.org/room/…cd34"
