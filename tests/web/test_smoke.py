"""Every main page renders for the people who use it."""

from __future__ import annotations

from webinars.models import Role


def test_pages_render_for_admin(client, login, make_user, make_session):
    admin = make_user(Role.ADMIN)
    session = make_session(actor=admin)
    login(admin)
    for url in [
        "/",
        f"/sessions/{session.id}",
        "/manage/",
        "/manage/schedule",
        f"/manage/sessions/{session.id}",
        "/manage/sessions/new",
        f"/manage/sessions/{session.id}/edit",
        f"/manage/sessions/{session.id}/reschedule",
        f"/manage/sessions/{session.id}/cancel",
        f"/manage/sessions/{session.id}/duplicate",
        "/admin/",
        "/admin/users",
        "/admin/users/new",
        "/admin/academies",
        "/admin/academies/new",
        "/account",
    ]:
        response = client.get(url)
        assert response.status_code == 200, (url, response.get_data(as_text=True)[-3000:])
