"""A session's direction: derived from who teaches it, shown on the form, correctable."""

from __future__ import annotations

import pytest

from tests.fixtures.markup import chosen, parse
from tests.fixtures.session_form import form_data
from webinars.domain.sessions.direction import derive_direction
from webinars.extensions import db
from webinars.models import Direction, Role, Session


@pytest.mark.parametrize(
    ("guests", "academies", "guest_academies", "expected"),
    [
        (0, {1, 2}, set(), Direction.OUTGOING),
        (1, {1}, {1}, Direction.INCOMING),
        (1, set(), set(), Direction.INCOMING),  # a guest from elsewhere, home students only
        (2, {1, 2}, {1}, Direction.JOINT),  # academy 2 sent no guest: its students listen
        (1, {1}, set(), Direction.JOINT),  # a guest not from the listed partner
    ],
)
def test_direction_follows_who_teaches_whom(guests, academies, guest_academies, expected):
    assert derive_direction(guests, academies, guest_academies) == expected


@pytest.fixture
def admin(app, client, login, make_user):
    user = make_user(Role.ADMIN)
    login(user)
    return user


def _only_session(app) -> tuple[Direction, bool]:
    with app.app_context():
        session = db.session.execute(db.select(Session)).scalar_one()
        return session.direction, session.direction_corrected


def _guest(name: str, academy_id: int) -> dict[str, str]:
    return {
        "guests-0-name": name,
        "guests-0-affiliation": "Izhevsk State Medical Academy",
        "guests-0-academy_id": str(academy_id),
    }


def test_new_session_gets_the_derived_direction(app, client, admin, make_academy):
    academy, other = make_academy(), make_academy()

    data = form_data(admin.id, academy.id, **_guest("Dr. Ivanova", academy.id))
    data["academy_ids"] = [str(academy.id), str(other.id)]

    client.post("/manage/sessions/new", data=data)

    assert _only_session(app) == (Direction.JOINT, False)


def test_guest_only_session_is_incoming(app, client, admin, make_academy):
    academy = make_academy()
    data = form_data(admin.id, academy.id, **_guest("Dr. Ivanova", academy.id))

    client.post("/manage/sessions/new", data=data)

    assert _only_session(app) == (Direction.INCOMING, False)


def test_staff_correction_stays_until_derivation_is_chosen_again(app, client, admin, make_academy):
    academy = make_academy()
    client.post("/manage/sessions/new", data=form_data(admin.id, academy.id, direction="incoming"))
    assert _only_session(app) == (Direction.INCOMING, True)
    with app.app_context():
        session_id = db.session.execute(db.select(Session.id)).scalar_one()

    edit = parse(client.get(f"/manage/sessions/{session_id}/edit").get_data(as_text=True))
    assert chosen(edit, "direction") == ["incoming"]
    client.post(
        f"/manage/sessions/{session_id}/edit",
        data=form_data(admin.id, academy.id, direction="incoming", title="Renamed"),
    )
    assert _only_session(app) == (Direction.INCOMING, True)

    client.post(
        f"/manage/sessions/{session_id}/edit", data=form_data(admin.id, academy.id, direction="")
    )
    assert _only_session(app) == (Direction.OUTGOING, False)
    page = parse(client.get(f"/manage/sessions/{session_id}").get_data(as_text=True))
    [shown] = [el for el in page.iter() if el.attrs.get("id") == "direction"]
    assert shown.text() == "Outgoing (derived)"


def test_form_offers_derivation_and_says_what_was_saved(app, client, admin, make_session):
    session = make_session(actor=admin)

    page = parse(client.get(f"/manage/sessions/{session.id}/edit").get_data(as_text=True))

    assert chosen(page, "direction") == [""]
    [note] = [el for el in page.iter() if el.attrs.get("id") == "direction-now"]
    assert note.text() == "Saved as: Outgoing (derived)"


def test_migration_derives_the_direction_of_existing_sessions(tmp_path):
    import flask_migrate
    import sqlalchemy as sa

    from webinars import create_app

    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'old.sqlite3'}",
            "HUEY_SQLITE_PATH": str(tmp_path / "huey.sqlite3"),
        }
    )
    with app.app_context():
        flask_migrate.upgrade(revision="0008_agreements")
        with db.engine.begin() as conn:
            conn.execute(
                sa.text(
                    "INSERT INTO partner_academies (id, slug, name_en, country, city, time_zone,"
                    " language, created_at, updated_at) VALUES (1, 'a', 'A', 'RU', 'Izhevsk',"
                    " 'Europe/Samara', 'ru', '2024-01-01', '2024-01-01'), (2, 'b', 'B', 'KZ',"
                    " 'Shymkent', 'Asia/Almaty', 'ru', '2024-01-01', '2024-01-01')"
                )
            )
            for sid in (1, 2, 3):
                conn.execute(
                    sa.text(
                        "INSERT INTO sessions (id, kind, title, description, language, starts_at,"
                        " ends_at, time_zone, status, visibility, conference, sequence,"
                        " created_at, updated_at) VALUES (:id, 'webinar', 't', '', 'en',"
                        " '2024-01-01', '2024-01-01 01:00', 'UTC', 'scheduled', 'public',"
                        " 'link', 0, '2024-01-01', '2024-01-01')"
                    ),
                    {"id": sid},
                )
            conn.execute(
                sa.text(
                    "INSERT INTO session_academies (session_id, academy_id)"
                    " VALUES (1, 1), (2, 1), (3, 1), (3, 2)"
                )
            )
            conn.execute(
                sa.text(
                    "INSERT INTO guest_speakers (session_id, name, academy_id, position)"
                    " VALUES (2, 'Guest', 1, 0), (3, 'Guest', 1, 0)"
                )
            )
        flask_migrate.upgrade(revision="0013_session_direction")
        with db.engine.connect() as conn:
            rows = conn.execute(sa.text("SELECT id, direction FROM sessions ORDER BY id")).all()
        db.engine.dispose()

    assert rows == [(1, "outgoing"), (2, "incoming"), (3, "joint")]
