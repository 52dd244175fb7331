"""Private feed tokens: randomness, hashing, revoking, the owners' page, logs."""

from __future__ import annotations

import logging
import re

import flask_migrate
import pytest

from webinars.domain.calendars.tokens import (
    find_token,
    hash_token,
    issue_token,
    note_use,
    regenerate,
    revoke_token,
)
from webinars.extensions import db
from webinars.models import FeedScope, FeedToken, Role, utcnow
from webinars.web.feed_http import mask_feed_tokens

URL_TOKEN = re.compile(r"/calendars/academies/[^/]+/([A-Za-z0-9_-]{43})\.ics")


def test_token_has_256_random_bits_and_only_its_hash_is_stored(ctx):
    first = issue_token(FeedScope.PERSONAL, subject="student@example.org")
    second = issue_token(FeedScope.PERSONAL, subject="student@example.org")
    db.session.commit()
    assert re.fullmatch(r"[A-Za-z0-9_-]{43}", first)  # 32 bytes of secrets.token_urlsafe
    assert first != second
    rows = db.session.execute(db.select(FeedToken)).scalars().all()
    stored = {value for row in rows for value in vars(row).values() if isinstance(value, str)}
    assert first not in stored and second not in stored
    assert {row.token_hash for row in rows} == {hash_token(first), hash_token(second)}
    assert {row.prefix for row in rows} == {first[:6], second[:6]}


def test_find_revoke_regenerate(ctx, make_academy):
    academy = make_academy()
    token = issue_token(FeedScope.ACADEMY, academy_id=academy.id)
    db.session.commit()
    row = find_token(token)
    assert row is not None and row.academy_id == academy.id and not row.is_revoked
    assert find_token(token[:-1] + ("A" if token[-1] != "A" else "B")) is None
    assert find_token("") is None and find_token("../../etc/passwd") is None
    new = regenerate(row)
    db.session.commit()
    assert find_token(token).is_revoked
    renewed = find_token(new)
    assert (renewed.scope, renewed.academy_id, renewed.is_revoked) == (
        FeedScope.ACADEMY,
        academy.id,
        False,
    )
    revoke_token(renewed)
    assert renewed.is_revoked


def test_issue_refuses_tokens_without_an_owner(ctx):
    with pytest.raises(ValueError):
        issue_token(FeedScope.ACADEMY)
    with pytest.raises(ValueError):
        issue_token(FeedScope.PERSONAL)


def test_note_use_writes_at_most_hourly(ctx):
    token = find_token(issue_token(FeedScope.PERSONAL, subject="a@example.org"))
    now = utcnow()
    assert note_use(token, now) is True
    assert note_use(token, now.replace(microsecond=0)) is False
    from datetime import timedelta

    assert note_use(token, now + timedelta(hours=2)) is True


def test_masking_keeps_only_a_prefix():
    token = "AbCdEf" + "x" * 37
    for path in (
        f"/calendars/academies/izhevsk/{token}.ics",
        f"/calendars/personal/{token}.ics",
    ):
        masked = mask_feed_tokens(f'"GET {path}?kind=webinar HTTP/1.1" 200 -')
        assert token not in masked
        assert "AbCdEf…" in masked
    assert mask_feed_tokens("/calendars/academies/izhevsk.ics") == (
        "/calendars/academies/izhevsk.ics"
    )


def _log_a_private_feed_request(app, caplog, token: str) -> str:
    """Log a request for a private feed as werkzeug, gunicorn and the app do; the log."""
    line = f"GET /calendars/personal/{token}.ics HTTP/1.1"
    with caplog.at_level(logging.INFO):
        logging.getLogger("werkzeug").info('127.0.0.1 - - "%s" %s %s', line, 200, "-")
        logging.getLogger("gunicorn.access").info("%(r)s %(s)s", {"r": line, "s": "200"})
        app.logger.error("Unhandled error on %s %s", "GET", line.split()[1])
    return caplog.text


def test_logs_never_hold_a_token(app, caplog):
    token = "QwErTy" + "z" * 37
    text = _log_a_private_feed_request(app, caplog, token)
    assert token not in text
    assert text.count("QwErTy…") == 3


@pytest.fixture
def migrated_app(tmp_path):
    """An app whose schema an Alembic migration built in this very process.

    The migration's logging setup replaces the root logger's handlers and level; they are
    put back, so later tests on this worker log as before.
    """
    from webinars import create_app

    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    migrated = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'migrated.sqlite3'}",
            "HUEY_SQLITE_PATH": str(tmp_path / "huey.sqlite3"),
        }
    )
    with migrated.app_context():
        flask_migrate.upgrade()
        db.engine.dispose()
    root.handlers[:] = handlers
    root.setLevel(level)
    return migrated


def test_logs_still_print_masked_lines_after_a_migration_in_the_same_process(migrated_app, caplog):
    # Alembic's env.py configures logging from alembic.ini; with fileConfig's default it
    # disabled every existing logger, so after an in-process migration (the migration
    # tests, on the same xdist worker) these lines vanished and the test above failed.
    token = "AsDfGh" + "y" * 37
    text = _log_a_private_feed_request(migrated_app, caplog, token)
    assert token not in text
    assert text.count("AsDfGh…") == 3


# ---- the owners' page ----------------------------------------------------------------


@pytest.fixture
def coordinator(make_user, make_academy):
    academy = make_academy(slug="izhevsk", name_en="Izhevsk State Medical Academy")
    return make_user(Role.COORDINATOR, academy_id=academy.id)


def _new_address(client) -> str:
    page = client.post("/manage/feeds/new", data={"academy_id": _academy_id(client)})
    assert page.status_code == 200
    assert page.headers["Cache-Control"] == "no-store"
    (token,) = set(URL_TOKEN.findall(page.get_data(as_text=True)))
    return token


def _academy_id(client) -> str:
    page = client.get("/manage/feeds/").get_data(as_text=True)
    return re.search(r'<option[^>]*value="(\d+)"', page).group(1)


def test_coordinator_makes_sees_and_revokes_an_address(client, login, coordinator):
    login(coordinator)
    token = _new_address(client)
    assert client.get(f"/calendars/academies/izhevsk/{token}.ics").status_code == 200
    listing = client.get("/manage/feeds/").get_data(as_text=True)
    assert token not in listing  # shown once only
    assert token[:6] in listing
    token_id = re.search(r"/manage/feeds/(\d+)/revoke", listing).group(1)
    assert client.post(f"/manage/feeds/{token_id}/revoke").status_code == 302
    assert client.get(f"/calendars/academies/izhevsk/{token}.ics").status_code == 410


def test_coordinator_regenerates_an_address(client, login, coordinator):
    login(coordinator)
    old = _new_address(client)
    listing = client.get("/manage/feeds/").get_data(as_text=True)
    token_id = re.search(r"/manage/feeds/(\d+)/regenerate", listing).group(1)
    page = client.post(f"/manage/feeds/{token_id}/regenerate")
    (new,) = set(URL_TOKEN.findall(page.get_data(as_text=True)))
    assert new != old
    assert client.get(f"/calendars/academies/izhevsk/{old}.ics").status_code == 410
    assert client.get(f"/calendars/academies/izhevsk/{new}.ics").status_code == 200


def test_others_cannot_touch_an_address(app, client, login, coordinator, make_user):
    login(coordinator)
    _new_address(client)
    with app.app_context():
        token_id = db.session.execute(db.select(FeedToken.id)).scalar_one()
    colleague = make_user(Role.COORDINATOR, academy_id=coordinator.academy_id)
    lecturer = make_user(Role.LECTURER)
    admin = make_user(Role.ADMIN)
    client.post("/logout")
    login(colleague)
    assert client.post(f"/manage/feeds/{token_id}/revoke").status_code == 404
    assert client.post(f"/manage/feeds/{token_id}/regenerate").status_code == 404
    client.post("/logout")
    login(lecturer)
    assert client.get("/manage/feeds/").status_code == 403
    client.post("/logout")
    login(admin)
    assert client.post(f"/manage/feeds/{token_id}/regenerate").status_code == 403
    assert client.post(f"/manage/feeds/{token_id}/revoke").status_code == 302
    with app.app_context():
        assert db.session.get(FeedToken, token_id).is_revoked


def test_admin_makes_an_address_for_any_academy(client, login, make_user, make_academy):
    make_academy(slug="shymkent", name_en="Shymkent Academy")
    login(make_user(Role.ADMIN))
    token = _new_address(client)
    assert client.get(f"/calendars/academies/shymkent/{token}.ics").status_code == 200


def test_bad_academy_choice_keeps_the_page_and_says_why(client, login, coordinator):
    login(coordinator)
    response = client.post("/manage/feeds/new", data={"academy_id": "999999"})
    assert response.status_code == 302
    page = client.get("/manage/feeds/").get_data(as_text=True)
    assert "Choose a partner academy from the list." in page


def test_forms_need_a_csrf_token(tmp_path, make_user):
    from webinars import create_app
    from webinars.domain.accounts.staff import create_user

    protected = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'csrf.sqlite3'}",
            "WTF_CSRF_ENABLED": True,
        }
    )
    with protected.app_context():
        db.create_all()
        create_user("admin@example.org", "Admin", "correct horse battery", Role.ADMIN, "UTC", None)
        db.session.commit()
    client = protected.test_client()
    login_page = client.get("/login").get_data(as_text=True)
    csrf = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', login_page).group(1)
    client.post(
        "/login",
        data={
            "email": "admin@example.org",
            "password": "correct horse battery",
            "csrf_token": csrf,
        },
    )
    assert client.post("/manage/feeds/new", data={"academy_id": "1"}).status_code == 400
    with protected.app_context():
        assert db.session.execute(db.select(FeedToken)).first() is None


@pytest.mark.parametrize("database", ["sqlite"], indirect=True)
def test_gunicorn_access_log_masks_tokens(app, tmp_path, make_academy):
    import os
    import socket
    import subprocess
    import sys
    import time
    import urllib.request
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    academy = make_academy(slug="izhevsk")
    with app.app_context():
        token = issue_token(FeedScope.ACADEMY, academy_id=academy.id)
        db.session.commit()
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    log = tmp_path / "access.log"
    factory = (
        "webinars:create_app({'SQLALCHEMY_DATABASE_URI': "
        f"{app.config['SQLALCHEMY_DATABASE_URI']!r}, 'HUEY_SQLITE_PATH': {str(tmp_path / 'h')!r}}})"
    )
    server = subprocess.Popen(
        [
            str(Path(sys.executable).parent / "gunicorn"),
            "--bind",
            f"127.0.0.1:{port}",
            "--access-logfile",
            str(log),
            factory,
        ],
        cwd=root,
        env={**os.environ, "PYTHONPATH": str(root)},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        url = f"http://127.0.0.1:{port}/calendars/academies/izhevsk/{token}.ics"
        for _ in range(100):
            try:
                with urllib.request.urlopen(url, timeout=5) as response:
                    assert response.status == 200
                break
            except OSError:
                time.sleep(0.1)
        else:
            raise AssertionError("gunicorn did not answer")
        # The same feed in another spelling: gunicorn logs the request line as sent.
        escaped = f"http://127.0.0.1:{port}/calendars%2Facademies%2Fizhevsk%2F{token}.ics"
        with urllib.request.urlopen(escaped, timeout=5) as response:
            assert response.status == 200
    finally:
        server.terminate()
        server.wait(timeout=20)
    text = log.read_text()
    assert f"/calendars/academies/izhevsk/{token[:6]}…" in text
    assert f"/calendars%2Facademies%2Fizhevsk%2F{token[:6]}…" in text
    assert token[6:] not in text


def test_academy_is_offered_by_its_name_in_the_coordinators_language(
    client, login, make_user, make_academy
):
    academy = make_academy(name_en="Izhevsk State Medical Academy", name_ru="ИГМА")
    login(make_user(Role.COORDINATOR, academy_id=academy.id, locale="ru"))

    page = client.get("/manage/feeds/").get_data(as_text=True)

    assert re.findall(r'<option[^>]*value="\d+"[^>]*>([^<]*)</option>', page) == ["ИГМА"]
