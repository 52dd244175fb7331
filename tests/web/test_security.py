"""Security: CSRF, sign-in limits, headers, production settings, redirects, accounts."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any
from urllib.parse import urljoin, urlsplit

import pytest
from flask import Flask, url_for

from config import ProductionConfig
from tests.fixtures.app import PASSWORD
from tests.fixtures.markup import errors_beside, parse
from webinars import create_app
from webinars.extensions import db
from webinars.models import Role, User


@pytest.fixture
def app_with(app: Flask) -> Iterator[Callable[..., Flask]]:
    """Another app on the same test database, with settings changed (a dict or a class)."""
    made: list[Flask] = []

    def make(config: type | None = None, **overrides: Any) -> Flask:
        same_db = {
            "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
            "HUEY_SQLITE_PATH": app.config["HUEY_SQLITE_PATH"],
        }
        if config is None:
            other = create_app({**same_db, **overrides})
        else:
            other = create_app(type("Configured", (config,), {**same_db, **overrides}))
        made.append(other)
        return other

    yield make
    for other in made:
        with other.app_context():
            db.session.remove()
            db.engine.dispose()


def _csrf_token(client, path: str) -> str:
    """The token a page's form carries (CSRF is on for the app of `client`)."""
    page = parse(client.get(path).get_data(as_text=True))
    field = next(e for e in page.iter() if e.attrs.get("name") == "csrf_token")
    return field.attrs["value"]


# CSRF ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "path", ["/login", "/language", "/manage/sessions/new", "/admin/users/new", "/logout"]
)
def test_csrf_post_without_token_gets_a_400_page(app_with, make_user, path):
    admin = make_user(Role.ADMIN)
    app = app_with(WTF_CSRF_ENABLED=True)
    client = app.test_client()
    token = _csrf_token(client, "/login")
    signed_in = client.post(
        "/login", data={"email": admin.email, "password": PASSWORD, "csrf_token": token}
    )
    assert signed_in.status_code == 302

    response = client.post(path, data={"email": admin.email, "password": PASSWORD})

    assert response.status_code == 400
    assert "The form has expired." in response.get_data(as_text=True)
    assert client.get("/manage/").status_code == 200  # still signed in: nothing happened


# Answers that are not forms: Zoom signs its webhook, the metrics are read by address.
CSRF_EXEMPT = {"webhooks.zoom_webhook"}


def test_csrf_every_post_route_refuses_a_post_without_token(app_with, make_user):
    admin = make_user(Role.ADMIN)
    app = app_with(WTF_CSRF_ENABLED=True)
    client = app.test_client()
    token = _csrf_token(client, "/login")
    client.post("/login", data={"email": admin.email, "password": PASSWORD, "csrf_token": token})
    accepted = []

    for rule in app.url_map.iter_rules():
        if "POST" not in (rule.methods or ()) or rule.endpoint in CSRF_EXEMPT:
            continue
        with app.test_request_context():
            url = url_for(rule.endpoint, **{name: 1 for name in rule.arguments})
        if client.post(url, data={"confirm": "yes"}).status_code != 400:
            accepted.append(f"POST {url} ({rule.endpoint})")

    assert accepted == []
    assert client.get("/manage/").status_code == 200  # nothing signed the admin out


def test_csrf_post_with_token_is_accepted(app_with, make_user):
    lecturer = make_user()
    client = app_with(WTF_CSRF_ENABLED=True).test_client()

    response = client.post(
        "/login",
        data={
            "email": lecturer.email,
            "password": PASSWORD,
            "csrf_token": _csrf_token(client, "/login"),
        },
    )

    assert response.status_code == 302
    assert response.headers["Location"] == "/manage/"


# Sign-in rate limit --------------------------------------------------------------------


def test_sign_in_attempts_are_limited_with_a_friendly_page(app_with, make_user):
    lecturer = make_user()
    client = app_with(RATELIMIT_ENABLED=True, LOGIN_RATE_LIMIT="3 per minute").test_client()
    wrong = {"email": lecturer.email, "password": "not the password"}

    answers = [client.post("/login", data=wrong).status_code for _ in range(3)]
    limited = client.post("/login", data={"email": lecturer.email, "password": PASSWORD})

    assert answers == [200, 200, 200]
    assert limited.status_code == 429
    html = limited.get_data(as_text=True)
    assert "Too many attempts. Wait a minute and try again." in html
    assert html.lstrip().startswith("<!doctype html>")
    # Another account from the same address is not locked out by someone else's typos.
    other = make_user()
    fresh = client.post("/login", data={"email": other.email, "password": PASSWORD})
    assert fresh.status_code == 302


def test_sign_in_page_itself_is_not_limited(app_with):
    client = app_with(RATELIMIT_ENABLED=True, LOGIN_RATE_LIMIT="1 per minute").test_client()

    answers = [client.get("/login").status_code for _ in range(5)]

    assert answers == [200] * 5


# Headers -------------------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/", "/login", "/healthz", "/no-such-page"])
def test_security_headers_on_every_answer(client, path):
    response = client.get(path)

    policy = dict(
        part.strip().split(" ", 1)
        for part in response.headers["Content-Security-Policy"].split(";")
    )
    assert policy["default-src"] == "'self'"
    assert policy["script-src"] == "'self'"  # no inline scripts, no CDN
    assert policy["style-src"] == "'self'"
    assert policy["frame-ancestors"] == "'none'"
    assert policy["object-src"] == "'none'"
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "strict-origin-when-cross-origin"


def test_pages_need_no_inline_script_or_style(client, login, make_user, make_session):
    """The policy forbids inline code: a page that relies on it would silently break."""
    admin = make_user(Role.ADMIN)
    session = make_session(actor=admin)
    login(admin)
    for path in [
        "/",
        f"/sessions/{session.id}",
        "/manage/",
        "/manage/schedule",
        f"/manage/sessions/{session.id}",
        "/manage/sessions/new",
        f"/manage/sessions/{session.id}/reschedule",
        "/admin/users/new",
        "/admin/academies/new",
        "/account",
    ]:
        page = parse(client.get(path).get_data(as_text=True))
        inline_scripts = [e for e in page.iter() if e.tag == "script" and not e.attrs.get("src")]
        styled = [e.tag for e in page.iter() if "style" in e.attrs or e.tag == "style"]
        handlers = [e.tag for e in page.iter() if any(a.startswith("on") for a in e.attrs)]
        assert (path, inline_scripts, styled, handlers) == (path, [], [], [])


# Production settings -------------------------------------------------------------------


def test_production_refuses_to_start_without_secret_key(monkeypatch):
    monkeypatch.setattr(ProductionConfig, "SECRET_KEY", None)
    monkeypatch.delenv("WEBINARS_SECRET_KEY", raising=False)

    with pytest.raises(RuntimeError, match="SECRET_KEY: is not set"):
        create_app(ProductionConfig)


def test_production_sets_secure_cookies_and_https(app_with, make_user):
    lecturer = make_user()
    app = app_with(
        ProductionConfig,
        SECRET_KEY="a-production-key-of-enough-length-1234567890",
        SELF_CHECK="warn",  # on the test's SQLite database, without Redis
    )
    client = app.test_client()

    plain = client.get("/login")
    response = client.post(
        "/login",
        base_url="https://localhost",
        headers={"Referer": "https://localhost/login"},  # checked on HTTPS (WTF_CSRF_SSL_STRICT)
        data={
            "email": lecturer.email,
            "password": PASSWORD,
            "csrf_token": _csrf_token_https(client),
        },
    )

    assert (app.debug, app.testing) == (False, False)
    assert plain.status_code in (301, 302)
    assert plain.headers["Location"].startswith("https://")
    assert response.status_code == 302
    cookie = response.headers["Set-Cookie"]
    assert cookie.startswith("session=")
    assert {"Secure", "HttpOnly", "SameSite=Lax"} <= {p.strip() for p in cookie.split(";")}
    assert "max-age=" in response.headers["Strict-Transport-Security"]
    assert app.config["REMEMBER_COOKIE_SECURE"] is True
    assert app.config["WTF_CSRF_ENABLED"] is not False


def _csrf_token_https(client) -> str:
    page = parse(client.get("/login", base_url="https://localhost").get_data(as_text=True))
    return next(e for e in page.iter() if e.attrs.get("name") == "csrf_token").attrs["value"]


# Redirects after sign-in ---------------------------------------------------------------


def _lands_on_this_site(location: str) -> bool:
    """Where a browser goes: it reads backslashes as slashes and drops tabs and newlines."""
    browser_view = location.replace("\\", "/").replace("\t", "").replace("\n", "")
    return urlsplit(urljoin("http://localhost/login", browser_view)).netloc == "localhost"


@pytest.mark.parametrize(
    "target",
    [
        "https://evil.example/",
        "//evil.example/",
        "/\\evil.example/",
        "\\\\evil.example/",
        "/\t/evil.example/",
        "javascript:alert(1)",
        "http:/evil.example",
    ],
)
def test_sign_in_next_never_leaves_the_site(client, make_user, target):
    lecturer = make_user()

    response = client.post(
        "/login",
        query_string={"next": target},
        data={"email": lecturer.email, "password": PASSWORD},
    )

    assert response.status_code == 302
    assert _lands_on_this_site(response.headers["Location"]), response.headers["Location"]


def test_sign_in_next_on_the_site_is_followed(client, make_user):
    lecturer = make_user()

    response = client.post(
        "/login",
        query_string={"next": "/manage/schedule?kind=webinar"},
        data={"email": lecturer.email, "password": PASSWORD},
    )

    assert response.headers["Location"] == "/manage/schedule?kind=webinar"


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example", "/\\evil.example"])
def test_language_switch_next_never_leaves_the_site(client, target):
    response = client.post("/language", data={"lang": "ru", "next": target})

    assert response.status_code == 302
    assert _lands_on_this_site(response.headers["Location"]), response.headers["Location"]


# Accounts ------------------------------------------------------------------------------


def _user_form(user: User, **changes: Any) -> dict[str, Any]:
    data = {
        "name": user.name,
        "email": user.email,
        "role": user.role.value,
        "academy_id": "0",
        "time_zone": user.time_zone,
        "active": "y",
        "password": "",
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


@pytest.mark.parametrize(
    ("changes", "field"),
    [({"role": "lecturer"}, "role"), ({"active": None}, "active")],
    ids=["demote", "deactivate"],
)
def test_last_admin_cannot_be_locked_out(app, client, login, make_user, changes, field):
    admin = make_user(Role.ADMIN)
    make_user(Role.ADMIN, is_active_account=False)  # an inactive admin does not count
    login(admin)

    response = client.post(f"/admin/users/{admin.id}/edit", data=_user_form(admin, **changes))

    assert response.status_code == 200
    page = parse(response.get_data(as_text=True))
    assert errors_beside(page, field) == [
        "This is the last active admin: make someone else an admin first."
    ]
    with app.app_context():
        stored = db.session.get(User, admin.id)
        assert (stored.role, stored.is_active_account) == (Role.ADMIN, True)


def test_admin_may_step_down_when_another_admin_remains(app, client, login, make_user):
    admin, other = make_user(Role.ADMIN), make_user(Role.ADMIN)
    login(admin)

    response = client.post(f"/admin/users/{admin.id}/edit", data=_user_form(admin, role="lecturer"))

    assert response.status_code == 302
    with app.app_context():
        assert db.session.get(User, admin.id).role is Role.LECTURER
        assert db.session.get(User, other.id).role is Role.ADMIN


def test_inactive_account_cannot_sign_in(client, make_user):
    user = make_user(is_active_account=False)

    response = client.post("/login", data={"email": user.email, "password": PASSWORD})

    assert response.status_code == 200
    assert "The email or password is not right." in response.get_data(as_text=True)
    assert client.get("/manage/").status_code == 302


def test_deactivated_account_is_signed_out_at_once(app, make_user):
    admin, lecturer = make_user(Role.ADMIN), make_user()
    theirs, ours = app.test_client(), app.test_client()
    theirs.post("/login", data={"email": lecturer.email, "password": PASSWORD})
    ours.post("/login", data={"email": admin.email, "password": PASSWORD})
    assert theirs.get("/manage/").status_code == 200

    ours.post(f"/admin/users/{lecturer.id}/edit", data=_user_form(lecturer, active=None))

    response = theirs.get("/manage/")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login")


def test_logout_signs_out_and_only_by_post(client, login, make_user):
    login(make_user())

    by_link = client.get("/logout")
    still_in = client.get("/manage/").status_code
    by_form = client.post("/logout")

    assert (by_link.status_code, still_in) == (405, 200)
    assert by_form.status_code == 302
    assert client.get("/manage/").status_code == 302


def test_passwords_are_stored_hashed(app, make_user):
    user = make_user()

    with app.app_context():
        stored = db.session.get(User, user.id).password_hash

    assert PASSWORD not in stored
    assert stored.split(":")[0] in {"scrypt", "pbkdf2"}
