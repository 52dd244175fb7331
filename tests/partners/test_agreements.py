"""Agreements: documents checked and kept privately, standings on the academies page and
the admin overview, quiet partners."""

from __future__ import annotations

import io
import os
import stat
from datetime import date, timedelta
from pathlib import Path

import pytest

from tests.fixtures.history import held_session
from tests.fixtures.markup import errors_beside, parse, value_of
from webinars.domain.partners.agreements import (
    academies_standing,
    expiring_agreements,
    next_expiry,
    standing,
)
from webinars.extensions import db
from webinars.models import Agreement, AgreementKind, Role, utcnow

PDF = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"
TODAY = date(2026, 12, 6)


@pytest.fixture
def admin_client(client, login, make_user):
    login(make_user(Role.ADMIN))
    return client


def _form(**changes):
    data = {
        "kind": "memorandum",
        "number": "12/2024",
        "signed_on": "2024-03-01",
        "expires_on": "2029-02-28",
        "home_responsible": "Prof. Shavkat Ismoilov",
        "partner_responsible": "Dr. Irina Petrova",
        "is_public": "y",
    }
    data.update(changes)
    return data


def _agreements(app) -> list[Agreement]:
    with app.app_context():
        rows = db.session.execute(db.select(Agreement)).scalars().all()
        for row in rows:
            db.session.expunge(row)
        return rows


def _stored_files(app) -> list[Path]:
    folder = Path(app.config["AGREEMENT_DOCUMENTS_DIR"])
    return sorted(folder.iterdir()) if folder.exists() else []


def test_agreement_with_pdf_is_stored_privately_under_a_random_name(
    app, admin_client, make_academy
):
    academy = make_academy()
    data = _form(document=(io.BytesIO(PDF), "Memorandum Izhevsk.pdf"))

    response = admin_client.post(
        f"/admin/academies/{academy.id}/agreements/new",
        data=data,
        content_type="multipart/form-data",
    )

    assert response.status_code == 302
    [agreement] = _agreements(app)
    assert agreement.kind is AgreementKind.MEMORANDUM
    assert (agreement.signed_on, agreement.expires_on) == (date(2024, 3, 1), date(2029, 2, 28))
    assert agreement.document_name == "Memorandum Izhevsk.pdf"
    assert agreement.document_size == len(PDF)
    [path] = _stored_files(app)
    assert path.name == agreement.document_key
    assert "Izhevsk" not in path.name and len(path.stem) == 32
    assert path.read_bytes() == PDF
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    static = Path(app.static_folder).resolve()
    assert static not in path.resolve().parents


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        ((b"GIF89a....", "scan.pdf"), "Upload the scanned agreement as a PDF file."),
        ((PDF, "scan.exe"), "Upload the scanned agreement as a PDF file."),
        ((b"", "scan.pdf"), "The file is empty."),
    ],
    ids=["not a pdf", "wrong extension", "empty"],
)
def test_wrong_upload_is_refused_and_the_form_keeps_what_was_typed(
    app, admin_client, make_academy, upload, message
):
    academy = make_academy()
    content, name = upload
    data = _form(document=(io.BytesIO(content), name))

    response = admin_client.post(
        f"/admin/academies/{academy.id}/agreements/new",
        data=data,
        content_type="multipart/form-data",
    )

    assert response.status_code == 200
    page = parse(response.get_data(as_text=True))
    assert errors_beside(page, "document") == [
        message,
        "Choose the file again: a browser does not keep it after an error.",
    ]
    assert value_of(page, "number") == "12/2024"
    assert value_of(page, "partner_responsible") == "Dr. Irina Petrova"
    assert _agreements(app) == []
    assert _stored_files(app) == []


def test_upload_over_the_size_limit_is_refused(app, admin_client, make_academy):
    app.config["AGREEMENT_DOCUMENT_MAX_BYTES"] = 1024 * 1024
    academy = make_academy()
    big = PDF + b"0" * (1024 * 1024)

    response = admin_client.post(
        f"/admin/academies/{academy.id}/agreements/new",
        data=_form(document=(io.BytesIO(big), "scan.pdf")),
        content_type="multipart/form-data",
    )

    page = parse(response.get_data(as_text=True))
    assert errors_beside(page, "document")[0] == "The file is too big: at most 1 MB."
    assert _stored_files(app) == []


def test_expiry_before_signing_says_what_to_fix(app, admin_client, make_academy):
    academy = make_academy()

    response = admin_client.post(
        f"/admin/academies/{academy.id}/agreements/new",
        data=_form(expires_on="2020-01-01"),
    )

    page = parse(response.get_data(as_text=True))
    assert errors_beside(page, "expires_on") == [
        "The expiry date cannot be before the signing date."
    ]


def _upload_agreement(app, admin_client, academy_id: int) -> Agreement:
    admin_client.post(
        f"/admin/academies/{academy_id}/agreements/new",
        data=_form(document=(io.BytesIO(PDF), "mou.pdf")),
        content_type="multipart/form-data",
    )
    [agreement] = _agreements(app)
    return agreement


def test_replacing_and_deleting_remove_the_old_file(app, admin_client, make_academy):
    academy = make_academy()
    first = _upload_agreement(app, admin_client, academy.id)
    second_pdf = PDF + b"% second\n"

    admin_client.post(
        f"/admin/agreements/{first.id}/edit",
        data=_form(document=(io.BytesIO(second_pdf), "mou-signed.pdf")),
        content_type="multipart/form-data",
    )
    [replaced] = _agreements(app)
    assert replaced.document_key != first.document_key
    assert [p.read_bytes() for p in _stored_files(app)] == [second_pdf]

    admin_client.post(f"/admin/agreements/{first.id}/delete")
    assert _agreements(app) == []
    assert _stored_files(app) == []


def test_document_is_served_to_staff_only(app, client, login, make_academy, make_user):
    academy, other = make_academy(), make_academy()
    admin = make_user(Role.ADMIN)
    login(admin)
    agreement = _upload_agreement(app, client, academy.id)
    url = f"/admin/agreements/{agreement.id}/document"

    as_admin = client.get(url)
    assert as_admin.status_code == 200
    assert as_admin.data == PDF
    assert as_admin.mimetype == "application/pdf"
    assert "no-store" in as_admin.headers["Cache-Control"]
    assert as_admin.headers["Content-Disposition"].startswith("attachment")

    client.post("/logout")
    assert client.get(url).status_code == 302  # anonymous: to sign in, never the file
    login(make_user(Role.COORDINATOR, academy_id=other.id))
    assert client.get(url).status_code == 403
    client.post("/logout")
    login(make_user(Role.COORDINATOR, academy_id=academy.id))
    assert client.get(url).data == PDF
    client.post("/logout")
    login(make_user(Role.LECTURER))
    assert client.get(url).data == PDF


def _agreement(academy_id: int, signed: date, expires: date | None, **fields) -> Agreement:
    agreement = Agreement(
        academy_id=academy_id,
        kind=fields.pop("kind", AgreementKind.MEMORANDUM),
        signed_on=signed,
        expires_on=expires,
        **fields,
    )
    db.session.add(agreement)
    return agreement


@pytest.mark.parametrize(
    ("signed", "expires", "expected"),
    [
        (date(2027, 1, 1), None, "pending"),
        (date(2020, 1, 1), None, "active"),
        (date(2020, 1, 1), TODAY + timedelta(days=91), "active"),
        (date(2020, 1, 1), TODAY + timedelta(days=90), "expiring"),
        (date(2020, 1, 1), TODAY, "expiring"),  # in force on its last day
        (date(2020, 1, 1), TODAY - timedelta(days=1), "expired"),
    ],
)
def test_standing_follows_the_dates(signed, expires, expected):
    agreement = Agreement(signed_on=signed, expires_on=expires)

    assert standing(agreement, TODAY) == expected


def test_expiring_agreements_are_those_in_force_ending_within_90_days(ctx, make_academy):
    academy = make_academy()
    soon = _agreement(academy.id, date(2021, 1, 1), TODAY + timedelta(days=30))
    later = _agreement(academy.id, date(2021, 1, 1), TODAY + timedelta(days=89))
    _agreement(academy.id, date(2021, 1, 1), TODAY + timedelta(days=91))
    _agreement(academy.id, date(2021, 1, 1), TODAY - timedelta(days=1))
    _agreement(academy.id, date(2021, 1, 1), None)
    db.session.commit()

    assert [a.id for a in expiring_agreements(TODAY)] == [soon.id, later.id]
    assert next_expiry(TODAY).id == soon.id


def test_academies_page_shows_standings_and_quiet_partners(
    app, admin_client, make_academy, count_queries
):
    busy, quiet, new = (
        make_academy(name_en="Busy"),
        make_academy(name_en="Quiet"),
        make_academy(name_en="New"),
    )
    today = utcnow().date()
    with app.app_context():
        held_session(utcnow() - timedelta(days=30), academies=[busy.id])
        held_session(utcnow() - timedelta(days=400), academies=[quiet.id])
        held_session(utcnow() + timedelta(days=3), academies=[new.id])  # not yet held
        _agreement(busy.id, date(2022, 1, 1), today + timedelta(days=10), number="A-1")
        _agreement(busy.id, date(2022, 1, 1), None, number="A-2")
        _agreement(quiet.id, date(2019, 1, 1), date(2021, 1, 1), number="Q-1")
        db.session.commit()

    response = admin_client.get("/admin/academies")

    page = parse(response.get_data(as_text=True))
    rows = {
        el.attrs["id"]: el for el in page.iter() if el.attrs.get("id", "").startswith("academy-")
    }

    def standings(academy):
        return [
            li.attrs["data-standing"]
            for li in rows[f"academy-{academy.id}"].iter()
            if "data-standing" in li.attrs
        ]

    def is_quiet(academy):
        return any("quiet" in el.classes for el in rows[f"academy-{academy.id}"].iter())

    assert standings(busy) == ["expiring", "active"] or standings(busy) == ["active", "expiring"]
    assert standings(quiet) == ["expired"]
    assert standings(new) == []
    assert (is_quiet(busy), is_quiet(quiet), is_quiet(new)) == (False, True, True)
    with app.app_context(), count_queries() as counter:
        academies_standing()
    assert counter.count == 3


def test_admin_overview_lists_agreements_expiring_soon(app, admin_client, make_academy):
    academy = make_academy(name_en="Shymkent Medical")
    today = utcnow().date()
    with app.app_context():
        _agreement(academy.id, date(2022, 1, 1), today + timedelta(days=20), number="S-7")
        _agreement(academy.id, date(2022, 1, 1), today + timedelta(days=200), number="S-8")
        db.session.commit()

    page = parse(admin_client.get("/admin/").get_data(as_text=True))

    [listing] = [el for el in page.iter() if "expiring-agreements" in el.classes]
    assert "S-7" in listing.text() and "S-8" not in listing.text()
