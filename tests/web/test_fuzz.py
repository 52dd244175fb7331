"""A walk over the whole URL map with input no browser sends: numbers past any column's
range, files where text belongs, repeated parameters. Every answer is for people (4xx or
a page), never a 500; the test collects every 500 it meets and names them all.

The forms a page shows are read from the page itself, so a field added tomorrow is walked
too; each field is spoiled on its own while the others keep sensible values, so that the
spoiled value is the one that reaches the view.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from urllib.parse import urlsplit

from flask import Flask, url_for
from flask.testing import FlaskClient
from werkzeug.datastructures import MultiDict

from tests.fixtures.markup import Element, parse
from tests.fixtures.registration import person
from webinars.domain.calendars.tokens import find_token, issue_token, user_subject
from webinars.domain.registration.manage_links import manage_token
from webinars.domain.registration.register import register
from webinars.extensions import db
from webinars.models import FeedScope, Registration, Role, Session, SessionKind, User

# Past PostgreSQL's bigint, past it below, one past INTEGER, and words that float() reads.
HOSTILE = ["99999999999999999999", "-99999999999999999999", "2147483648", "1e999", "nan"]
# Query parameters the list pages read, plus a few an attacker would try anyway.
QUERY_NAMES = [
    "page", "id", "academy", "lecturer", "kind", "language", "lang", "locale", "status",
    "past", "date_from", "date_to", "session", "session_id", "per_page", "year", "next",
]  # fmt: skip
SKIPPED_ENDPOINTS = {"static", "bootstrap.static", "auth.logout"}  # logout ends the walk


def _world(app: Flask, make_user, make_academy, make_session) -> dict[str, object]:
    """Rows for every kind of id in the URL map, and the secrets the private links need."""
    admin = make_user(Role.ADMIN)
    academy = make_academy()
    session = make_session(
        actor=admin, academy_ids=[academy.id], kind=SessionKind.MASTER_CLASS, capacity=5
    )
    with app.app_context():
        outcome = register(session.id, person("fuzz"), None, public=True)
        db.session.commit()
        registration = db.session.get(Registration, outcome.registration.id)
        owner = db.session.get(User, admin.id)
        plaintext = issue_token(FeedScope.ACADEMY, academy.id, user_subject(owner))
        db.session.commit()
        values = {
            "session_id": session.id,
            "academy_id": academy.id,
            "user_id": admin.id,
            "registration_id": registration.id,
            "token_id": find_token(plaintext).id,
            "message_id": 1,
            "token": manage_token(registration),
            "slug": academy.slug,
            "filename": "x",
        }
        assert db.session.get(Session, session.id) is not None
    return {"admin": admin, "values": values}


def _placeholder(name: str, converter: object) -> object:
    """A value for a path argument the world above has no row for (a route added later):
    the first a choice of words allows (`<any(csv, xlsx):...>`), 1 for an id, else "x"."""
    choices = sorted(getattr(converter, "items", ()) or ())
    if choices:
        return choices[0]
    return 1 if name.endswith("_id") else "x"


def _urls(app: Flask, values: dict[str, object]) -> Iterator[tuple[str, str, set[str]]]:
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule):
        if rule.endpoint in SKIPPED_ENDPOINTS:
            continue
        with app.test_request_context():
            args = {
                name: values.get(name, _placeholder(name, rule._converters.get(name)))
                for name in rule.arguments
            }
            url = url_for(rule.endpoint, **args)
        yield rule.endpoint, url, set(rule.methods or ()) - {"HEAD", "OPTIONS"}


def _sensible(field: Element) -> str | None:
    """A value a person could have chosen in this field (None: leave it out)."""
    if field.tag == "select":
        options = [o for o in field.iter() if o.tag == "option"]
        values = [o.attrs.get("value", o.text()) for o in options]
        chosen = [v for v in values if v not in ("", "0")]
        return chosen[0] if chosen else (values[0] if values else None)
    if field.tag == "textarea":
        return field.text() or "Fuzz text"
    kind = field.attrs.get("type", "text")
    if kind in ("checkbox", "radio"):
        return field.attrs.get("value", "y")
    if kind in ("submit", "button", "file"):
        return None
    if field.attrs.get("tabindex") == "-1":
        return ""  # a field hidden from people (the robots' honeypot) stays empty
    if field.attrs.get("value"):
        return field.attrs["value"]
    return {
        "email": "fuzz@example.org",
        "number": "3",
        "date": (date.today() + timedelta(days=9)).isoformat(),
        "datetime-local": (date.today() + timedelta(days=9)).isoformat() + "T14:00",
        "time": "14:00",
        "password": "correct horse battery",
    }.get(kind, "Fuzz")


def _forms(page: Element, page_url: str) -> Iterator[tuple[str, str, MultiDict]]:
    """Each form on a page: its method, its action's path, its fields' sensible values."""
    for form in (e for e in page.iter() if e.tag == "form"):
        action = urlsplit(form.attrs.get("action") or page_url).path
        fields = MultiDict()
        for field in form.iter():
            name = field.attrs.get("name")
            if field.tag in ("input", "select", "textarea") and name:
                value = _sensible(field)
                if value is not None and name not in fields:
                    fields.add(name, value)
        yield form.attrs.get("method", "get").upper(), action, fields


def _spoiled(fields: MultiDict) -> Iterator[tuple[str, dict]]:
    """Every field spoiled in turn: a file, out-of-range numbers, the field twice."""
    for name in list(fields):
        if name == "csrf_token":
            continue
        others = {k: v for k, v in fields.items() if k != name}
        upload = (io.BytesIO(b"%PDF-1.4 not a name"), "cv.pdf", "application/pdf")
        yield f"{name}=<file>", {**others, name: upload}
        for number in HOSTILE[:3]:
            yield f"{name}={number}", {**others, name: number}
        yield f"{name} twice", MultiDict([*others.items(), (name, HOSTILE[0]), (name, "1")])


def _answer(client: FlaskClient, method: str, url: str, **kwargs) -> int:
    response = client.open(url, method=method, **kwargs)
    return response.status_code


def test_the_url_map_answers_hostile_input_without_a_500(
    app, client, login, make_user, make_academy, make_session
):
    app.config["PROPAGATE_UNEXPECTED"] = False  # collect every 500, then name them all
    world = _world(app, make_user, make_academy, make_session)
    login(world["admin"])
    failures: dict[str, int] = {}
    forms: dict[str, list[MultiDict]] = {}
    walked = 0

    def check(label: str, method: str, url: str, **kwargs) -> None:
        nonlocal walked
        walked += 1
        status = _answer(client, method, url, **kwargs)
        if status >= 500:
            failures[f"{label}: {method} {url}"] = status

    for endpoint, url, methods in _urls(app, world["values"]):
        if "GET" in methods:
            response = client.get(url)
            if response.mimetype == "text/html":
                for method, action, fields in _forms(parse(response.get_data(as_text=True)), url):
                    seen = forms.setdefault(f"{method} {action}", [])
                    if all(set(fields) != set(other) for other in seen):
                        seen.append(fields)
            for value in HOSTILE:
                check(endpoint, "GET", url, query_string={n: value for n in QUERY_NAMES})
            check(endpoint, "GET", url, query_string={"page": HOSTILE[0]})
            check(endpoint, "GET", url, query_string=[("page", HOSTILE[0]), ("page", "2")])
        if "POST" in methods:
            found = forms.get(f"POST {url}") or [MultiDict()]
            for fields in found:
                for label, data in _spoiled(fields):
                    check(f"{endpoint} {label}", "POST", url, data=data)
            upload = (io.BytesIO(b"x"), "x.txt")
            check(f"{endpoint} unexpected file", "POST", url, data={"anything": upload})

    # GET forms (the filters) are walked field by field at the address they submit to.
    for key, found in forms.items():
        method, action = key.split(" ", 1)
        if method != "GET":
            continue
        for fields in found:
            for label, data in _spoiled(fields):
                if "<file>" not in label:
                    query = data if isinstance(data, MultiDict) else MultiDict(data)
                    check(f"filter {label}", "GET", action, query_string=query)
            for name in fields:  # a blank is not empty: Optional() lets it through unchecked
                query = MultiDict({**fields, name: " "})
                check(f"filter {name}=<blank>", "GET", action, query_string=query)

    assert walked > 500, "the walk reached too few addresses to mean anything"
    assert any(k.startswith("POST /catalog/") for k in forms), "the registration form was missed"
    print(*sorted(failures), sep="\n")
    assert sorted(failures) == []


def test_numbers_from_requests_are_read_only_through_the_bounds_module():
    """The walk above proves today's routes; this keeps tomorrow's on the same path: a
    view or form that reads a number itself (`type=int`, `coerce=int`, a bare
    IntegerField) would bypass webinars/web/bounds.py."""
    web = Path(__file__).parents[2] / "webinars" / "web"
    unbounded = re.compile(r"type=int\b|coerce=int\b|[^d]IntegerField\(|[^d]SelectMultipleField\(")
    offenders = [
        f"{path.relative_to(web)}:{n}"
        for path in sorted(web.rglob("*.py"))
        if path.name != "bounds.py"
        for n, line in enumerate(path.read_text().splitlines(), 1)
        if unbounded.search(line)
    ]

    assert offenders == []
