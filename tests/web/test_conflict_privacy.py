"""An overlap with someone else's draft is named without its title."""

from __future__ import annotations

from tests.fixtures.app import session_input
from webinars.models import Role, SessionStatus


def test_overlap_with_others_draft_hides_its_title(
    client, login, make_user, make_academy, make_session
):
    academy = make_academy()
    owner, other = make_user(Role.LECTURER), make_user(Role.LECTURER)
    make_session(
        actor=owner,
        title="Secret draft topic",
        status=SessionStatus.DRAFT,
        academy_ids=[academy.id],
    )
    login(other)
    data = session_input()
    form = {
        "kind": data.kind.value,
        "title": "Open lecture",
        "language": "en",
        "starts_local": data.starts_local.strftime("%Y-%m-%dT%H:%M"),
        "time_zone": data.time_zone,
        "duration_minutes": "90",
        "lecturer_ids": str(other.id),
        "academy_ids": str(academy.id),
        "status": "scheduled",
        "visibility": "public",
        "conference": "link",
        "join_url": "https://meet.example.org/x",
    }

    response = client.post("/manage/sessions/new", data=form)

    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "A draft session of another lecturer" in page
    assert "Secret draft topic" not in page


def test_deactivated_account_signed_out_by_its_cookie(app, client, login, make_user):
    from webinars.extensions import db
    from webinars.models import User

    user = make_user(Role.LECTURER)
    login(user)
    with app.app_context():
        db.session.get(User, user.id).is_active_account = False
        db.session.commit()

    response = client.get("/manage/")

    assert response.status_code == 302
    assert "/login" in response.headers["Location"]
