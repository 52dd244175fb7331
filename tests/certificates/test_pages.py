"""Verification (public, nothing more than listed), revocation and reissue, the
lecturers' list and ZIP, the student's own download and correction request."""

from __future__ import annotations

import io
import zipfile

import pytest

from tests.fixtures.markup import by_id, parse
from webinars.domain.registration.manage_links import manage_token
from webinars.extensions import db
from webinars.models import AuditEntry, Certificate, Registration, Role, Session


def _certificate(app, session_id: int, name: str) -> Certificate:
    with app.app_context():
        row = db.session.execute(
            db.select(Certificate).where(
                Certificate.session_id == session_id,
                Certificate.holder_name == name,
                Certificate.revoked_at.is_(None),
            )
        ).scalar_one()
        db.session.expunge(row)
        return row


def _token(app, registration_id: int) -> str:
    with app.app_context():
        return manage_token(db.session.get(Registration, registration_id))


@pytest.fixture
def issued(app, certified):
    ended = certified()
    app.config["WTF_CSRF_ENABLED"] = False
    return ended


def test_the_verification_page_says_valid_and_shows_only_what_is_listed(app, client, issued):
    emma = _certificate(app, issued.id, "Emma Brown")

    page = client.get(f"/certificates/{emma.code}")

    assert page.status_code == 200
    assert page.headers["X-Robots-Tag"] == "noindex, nofollow"
    doc = parse(page.get_data(as_text=True))
    assert by_id(doc, "verdict").attrs["data-state"] == "valid"
    text = by_id(doc, "verification").text()
    assert "Emma Brown" in text and "Pediatric cardiology update" in text
    assert emma.number in text
    html = page.get_data(as_text=True)
    for private in ("emma@example.org", "Lecturer", "Academy", "/r/", "minutes"):
        assert private not in html


def test_unknown_codes_are_not_found(client, issued):
    assert client.get("/certificates/not-a-real-code").status_code == 404
    assert client.get("/certificates/" + "x" * 200).status_code == 404


def test_a_revoked_certificate_says_so_and_is_not_mailed_again(app, client, login, issued):
    emma = _certificate(app, issued.id, "Emma Brown")
    login(issued.lecturer)

    refused = client.post(
        f"/manage/sessions/{issued.id}/certificates/{emma.id}/revoke", data={"reason": " "}
    )
    done = client.post(
        f"/manage/sessions/{issued.id}/certificates/{emma.id}/revoke",
        data={"reason": "Left after ten minutes"},
    )

    assert refused.status_code == done.status_code == 302
    doc = parse(client.get(f"/certificates/{emma.code}").get_data(as_text=True))
    assert by_id(doc, "verdict").attrs["data-state"] == "revoked"
    with app.app_context():
        audit = db.session.execute(
            db.select(AuditEntry).where(AuditEntry.action == "certificate_revoked")
        ).scalar_one()
        assert audit.changes["reason"] == [None, "Left after ten minutes"]


def test_a_refused_correction_request_keeps_what_was_typed(app, client, issued):
    alexey = _certificate(app, issued.id, "Алексей Иванов")
    token = _token(app, issued.people["alexey"])
    typed = " ".join(["Моё отчество — Иванович, не Иванов."] * 15)  # 554 characters

    answer = client.post(f"/r/{token}/certificate/correction", data={"correction": typed})

    assert answer.status_code == 400
    page = parse(answer.get_data(as_text=True))
    assert by_id(page, "correction").text() == typed
    assert by_id(page, "correction-error").text() == "Please keep it under 500 characters."
    with app.app_context():
        assert db.session.get(Certificate, alexey.id).correction_request is None


def test_a_reissue_corrects_the_name_with_a_new_number_and_revokes_the_old(
    app, client, login, issued
):
    alexey = _certificate(app, issued.id, "Алексей Иванов")
    token = _token(app, issued.people["alexey"])
    client.post(f"/r/{token}/certificate/correction", data={"correction": "Алексей Иванович"})
    with app.app_context():
        assert db.session.get(Certificate, alexey.id).correction_request == "Алексей Иванович"
        db.session.get(Session, issued.id).title = "Детская кардиология"
        db.session.commit()
    login(issued.lecturer)
    assert "Алексей Иванович" in client.get(f"/manage/sessions/{issued.id}/certificates").get_data(
        as_text=True
    )

    answer = client.post(
        f"/manage/sessions/{issued.id}/certificates/{alexey.id}/reissue",
        data={"holder_name": "Алексей Иванович Иванов"},
    )

    assert answer.status_code == 302
    new = _certificate(app, issued.id, "Алексей Иванович Иванов")
    assert new.number != alexey.number and new.code != alexey.code
    assert new.pdf is not None  # rendered by the worker at the commit
    assert new.data["title"] == "Детская кардиология"  # a reissue takes the session as it is
    doc = parse(client.get(f"/certificates/{alexey.code}").get_data(as_text=True))
    assert by_id(doc, "verdict").attrs["data-state"] == "revoked"
    student = client.get(f"/r/{token}/certificate.pdf")
    assert student.data == new.pdf


def test_lecturers_download_one_or_all_as_a_zip(app, client, login, issued):
    login(issued.lecturer)

    listing = client.get(f"/manage/sessions/{issued.id}/certificates")
    archive = client.get(f"/manage/sessions/{issued.id}/certificates.zip")

    assert listing.status_code == 200
    alexey = _certificate(app, issued.id, "Алексей Иванов")
    view = client.get(f"/manage/sessions/{issued.id}/certificates/{alexey.id}")
    assert "СЕРТИФИКАТ ОБ УЧАСТИИ" in view.get_data(as_text=True).upper()
    assert alexey.number in view.get_data(as_text=True)
    assert archive.headers["Content-Type"] == "application/zip"
    with zipfile.ZipFile(io.BytesIO(archive.data)) as zipped:
        names = zipped.namelist()
        assert len(names) == 4
        assert all(zipped.read(n).startswith(b"%PDF") for n in names)


def test_a_student_gets_only_their_own_certificate(app, client, issued):
    emma = _certificate(app, issued.id, "Emma Brown")
    emma_token = _token(app, issued.people["emma"])
    absent_token = _token(app, issued.people["absent"])

    own = client.get(f"/r/{emma_token}/certificate.pdf")
    none = client.get(f"/r/{absent_token}/certificate.pdf")
    staff_url = client.get(f"/manage/sessions/{issued.id}/certificates/{emma.id}.pdf")

    assert (own.status_code, own.data) == (200, emma.pdf)
    assert none.status_code == 404
    assert staff_url.status_code == 302 and "/login" in staff_url.location
    page = client.get(f"/r/{emma_token}").get_data(as_text=True)
    assert f"/r/{emma_token}/certificate.pdf" in page


def test_another_lecturer_cannot_see_or_revoke(app, client, login, make_user, issued):
    emma = _certificate(app, issued.id, "Emma Brown")
    login(make_user(Role.LECTURER))

    for method, path in (
        ("get", "/certificates"),
        ("get", f"/certificates/{emma.id}.pdf"),
        ("get", "/certificates.zip"),
        ("post", f"/certificates/{emma.id}/revoke"),
        ("post", f"/certificates/{emma.id}/reissue"),
    ):
        answer = getattr(client, method)(
            f"/manage/sessions/{issued.id}{path}", data={"reason": "x"}
        )
        assert answer.status_code == 403, path
    assert _certificate(app, issued.id, "Emma Brown").revoked_at is None


def test_the_outbox_lists_every_kind_of_waiting_mail_by_the_subject_it_will_have(
    app, client, login, make_user, make_academy, issued
):
    from tests.fixtures.registration import outbox
    from webinars.domain.partners.invitations import invite_coordinator
    from webinars.models import OutboxMessage

    with app.app_context():
        invite_coordinator(
            email="olga@izhevsk.example",
            name="Olga Petrova",
            academy_id=make_academy().id,
            locale="ru",
            time_zone="Europe/Samara",
            invited_by=None,
        )
        db.session.commit()
    with app.app_context():
        waiting = set(
            db.session.execute(
                db.select(OutboxMessage.id).where(OutboxMessage.rendered_at.is_(None))
            ).scalars()
        )
    rendered = {m.id: m.subject for m in outbox(app) if m.id in waiting}
    login(make_user(Role.ADMIN))

    listing = parse(client.get("/admin/outbox/").get_data(as_text=True))

    listed = {
        int(e.attrs["href"].rsplit("/", 1)[1]): e.text()
        for e in by_id(listing, "outbox").iter()
        if e.tag == "a"
    }
    kinds = {m.kind for m in outbox(app) if m.id in rendered}
    assert {"certificate", "coordinator_invitation"} <= kinds
    assert rendered and {k: listed[k] for k in rendered} == rendered
