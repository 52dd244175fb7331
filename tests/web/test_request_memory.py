"""No ORM object outlives the request that loaded it.

Issue 9: workers crashed in the garbage collector while loading rows. Whatever the cause,
an app that keeps mapped instances alive across requests (a module-level cache of rows,
an lru_cache returning ORM objects, a feed cache holding sessions) makes such faults more
likely and leaks memory; this pins that none of the heavy pages does.
"""

from __future__ import annotations

import gc
import secrets

import sqlalchemy as sa

from webinars.extensions import db
from webinars.models import Registration, RegistrationStatus, SessionKind

HEAVY_PAGES = [
    "/",
    "/catalog/",
    "/calendars/all.ics",
    "/calendars/",
    "/manage/",
    "/manage/schedule",
    "/manage/sessions/new",
    "/manage/sessions/{id}",
    "/manage/sessions/{id}/registrants",
    "/manage/sessions/{id}/registrants.csv",
    "/sessions/{id}",
    "/sessions/{id}/calendar.ics",
]


def _mapped_instances() -> list[object]:
    gc.collect()
    return [o for o in gc.get_objects() if isinstance(o, db.Model)]


def test_heavy_pages_keep_no_orm_object(app, client, login, make_user, make_session):
    lecturer = make_user()
    session_id = make_session(actor=lecturer, kind=SessionKind.MASTER_CLASS, capacity=30).id
    for _ in range(3):
        make_session(actor=lecturer)
    with app.app_context():
        db.session.execute(
            sa.insert(Registration),
            [
                dict(
                    session_id=session_id,
                    email=f"student{i}@example.org",
                    full_name=f"Student {i}",
                    status=RegistrationStatus.CONFIRMED,
                    token_hash=secrets.token_hex(32),
                )
                for i in range(40)
            ],
        )
        db.session.commit()
        db.session.remove()
    login(lecturer)
    del lecturer  # the test's own reference: only the app's may remain
    urls = [page.format(id=session_id) for page in HEAVY_PAGES]
    for url in urls:  # the first round fills what is filled once per process
        assert client.get(url).status_code == 200, url
    before = len(_mapped_instances())

    statuses = [client.get(url).status_code for url in urls * 3]

    assert statuses == [200] * len(urls) * 3
    assert [type(o).__name__ for o in _mapped_instances()] == []
    assert before == 0
