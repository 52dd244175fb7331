"""Who may see and change which sessions, for each role, drafts included."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from flask_login import AnonymousUserMixin

from webinars.domain.sessions.access import (
    can_edit,
    can_view,
    is_public,
    public_sessions,
    visible_sessions,
)
from webinars.domain.sessions.scheduling import cancel_session
from webinars.extensions import db
from webinars.models import Role, Session, SessionStatus, User, Visibility

SESSIONS = ["scheduled", "draft", "cancelled", "partners", "others_draft"]


@dataclass
class World:
    users: dict[str, User | AnonymousUserMixin]
    sessions: dict[str, Session]

    def names(self, ids) -> set[str]:
        by_id = {s.id: name for name, s in self.sessions.items()}
        return {by_id[i] for i in ids}


@pytest.fixture
def world(store, make_user, make_academy) -> World:
    """Two academies, every kind of user, and a session of every kind.

    lecturer teaches "scheduled" and "draft"; colleague teaches the rest; "others_draft"
    was created by author, who does not teach it; coordinators belong to one academy each.
    """
    first, second = make_academy(), make_academy()
    lecturer, colleague, author = make_user(), make_user(), make_user()
    made = {
        "admin": make_user(Role.ADMIN),
        "lecturer": lecturer,
        "colleague": colleague,
        "author": author,
        "coordinator_first": make_user(Role.COORDINATOR, academy_id=first.id),
        "coordinator_second": make_user(Role.COORDINATOR, academy_id=second.id),
        "inactive_lecturer": make_user(is_active_account=False),
        "inactive_admin": make_user(Role.ADMIN, is_active_account=False),
    }
    sessions = {
        "scheduled": store(actor=lecturer, academy_ids=[first.id]),
        "draft": store(actor=lecturer, academy_ids=[first.id], status=SessionStatus.DRAFT),
        "cancelled": store(actor=colleague, academy_ids=[second.id]),
        "partners": store(
            actor=colleague, academy_ids=[first.id, second.id], visibility=Visibility.PARTNERS
        ),
        "others_draft": store(
            actor=author,
            lecturer_ids=[colleague.id],
            academy_ids=[second.id],
            status=SessionStatus.DRAFT,
        ),
    }
    cancel_session(sessions["cancelled"], "Exams week.", None)
    db.session.commit()
    users = {name: db.session.get(User, u.id) for name, u in made.items()}
    users["anonymous"] = AnonymousUserMixin()
    return World(users, sessions)


CAN_VIEW = {
    "admin": set(SESSIONS),
    "lecturer": {"scheduled", "draft", "cancelled", "partners"},
    "colleague": {"scheduled", "cancelled", "partners", "others_draft"},
    "author": {"scheduled", "cancelled", "partners", "others_draft"},
    "coordinator_first": {"scheduled", "partners"},
    "coordinator_second": {"cancelled", "partners"},
    "inactive_lecturer": set(),
    "inactive_admin": set(),
    "anonymous": set(),
}

CAN_EDIT = {
    "admin": set(SESSIONS),
    "lecturer": {"scheduled", "draft"},
    "colleague": {"cancelled", "partners", "others_draft"},
    "author": {"others_draft"},
    "coordinator_first": set(),
    "coordinator_second": set(),
    "inactive_lecturer": set(),
    "inactive_admin": set(),
    "anonymous": set(),
}


def test_can_view_per_role(world):
    seen = {
        who: {name for name, s in world.sessions.items() if can_view(user, s)}
        for who, user in world.users.items()
    }

    assert seen == CAN_VIEW


def test_can_edit_per_role(world):
    editable = {
        who: {name for name, s in world.sessions.items() if can_edit(user, s)}
        for who, user in world.users.items()
    }

    assert editable == CAN_EDIT


def test_visible_sessions_lists_what_can_view_allows(world):
    listed = {
        who: world.names(
            db.session.execute(visible_sessions(user).with_only_columns(Session.id)).scalars()
        )
        for who, user in world.users.items()
    }

    assert listed == CAN_VIEW


def test_can_edit_implies_can_view(world):
    for user in world.users.values():
        for session in world.sessions.values():
            assert can_view(user, session) or not can_edit(user, session)


def test_public_sessions_only_public_and_published(world):
    ids = db.session.execute(public_sessions().with_only_columns(Session.id)).scalars()

    assert world.names(ids) == {"scheduled", "cancelled"}


def test_is_public_per_session(world):
    public = {name: is_public(s) for name, s in world.sessions.items()}

    assert public == {
        "scheduled": True,
        "cancelled": True,
        "draft": False,
        "others_draft": False,
        "partners": False,
    }


def test_is_public_agrees_with_public_sessions(world):
    listed = set(db.session.execute(public_sessions().with_only_columns(Session.id)).scalars())

    assert listed == {s.id for s in world.sessions.values() if is_public(s)}
