"""Certificates outlive registrants' personal data; the admin's layout is used for what is
issued after it is saved; the attendance list exports to CSV and XLSX."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

from openpyxl import load_workbook
from PIL import Image

from webinars.domain.attendance.sheet import build_sheet
from webinars.domain.registration.retention import anonymise_after
from webinars.extensions import db
from webinars.models import (
    AttendanceEntry,
    Certificate,
    CertificateLayout,
    Registration,
    Role,
    Session,
)

DAYS = 180


def test_retention_keeps_certificates_and_forgets_attendance_details(ctx, certified, client):
    ended = certified()
    session = db.session.get(Session, ended.id)
    before = {
        c.id: (c.holder_name, c.number, c.code, c.pdf)
        for c in db.session.execute(db.select(Certificate)).scalars()
    }

    anonymise_after(session.ends_at + timedelta(days=DAYS + 1), DAYS)
    db.session.commit()

    db.session.expire_all()
    kept = db.session.execute(db.select(Certificate)).scalars().all()
    assert {c.id: (c.holder_name, c.number, c.code, c.pdf) for c in kept} == before
    assert all(c.email is None for c in kept)
    assert db.session.get(Registration, ended.people["emma"]).full_name is None
    entries = db.session.execute(db.select(AttendanceEntry)).scalars().all()
    assert entries and all(e.forgotten_at is not None for e in entries)
    assert build_sheet(session).counts.attended == 3
    emma = next(c for c in kept if c.holder_name == "Emma Brown")
    assert "Emma Brown" in client.get(f"/certificates/{emma.code}").get_data(as_text=True)


def _png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (120, 60), (31, 78, 121)).save(out, format="PNG")
    return out.getvalue()


def test_the_admin_adjusts_the_layout_without_code(app, client, login, make_user):
    app.config["WTF_CSRF_ENABLED"] = False
    login(make_user(Role.ADMIN))
    form = {
        "issuer": "Samarkand State Medical University",
        "signatory_name": "Prof. A. Aliev",
        "signatory_title": "Head of the department",
        "colour": "#aa0000",
        "accent_colour": "#00aa00",
    }

    wrong = client.post("/admin/certificates", data={**form, "colour": "red"})
    not_an_image = client.post(
        "/admin/certificates",
        data={**form, "logo": (io.BytesIO(b"not an image"), "logo.png")},
        content_type="multipart/form-data",
    )
    saved = client.post(
        "/admin/certificates",
        data={**form, "logo": (io.BytesIO(_png()), "logo.png")},
        content_type="multipart/form-data",
    )

    assert wrong.status_code == not_an_image.status_code == 422
    assert "Samarkand State Medical University" in wrong.get_data(as_text=True)
    assert "The logo must be a PNG or JPEG image." in not_an_image.get_data(as_text=True)
    assert saved.status_code == 302
    with app.app_context():
        layout = db.session.get(CertificateLayout, 1)
        assert (layout.colour, layout.logo_type, layout.signatory_name) == (
            "#aa0000",
            "image/png",
            "Prof. A. Aliev",
        )


def test_a_lecturer_cannot_change_the_layout(app, client, login, make_user):
    login(make_user(Role.LECTURER))

    assert client.get("/admin/certificates").status_code == 403


def test_certificates_issued_after_saving_use_the_layout(app, ctx, certified):
    db.session.add(
        CertificateLayout(
            id=1,
            issuer="Samarkand State Medical University",
            signatory_name="Prof. A. Aliev",
            signatory_title="Head",
            colour="#aa0000",
            accent_colour="#00aa00",
            logo=_png(),
            logo_type="image/png",
        )
    )
    db.session.commit()

    ended = certified()

    certificate = db.session.execute(
        db.select(Certificate).where(Certificate.session_id == ended.id).limit(1)
    ).scalar_one()
    assert certificate.data["issuer"] == "Samarkand State Medical University"
    assert certificate.data["signatories"] == [["Prof. A. Aliev", "Head"]]
    assert certificate.data["colour"] == "#aa0000"


def test_the_attendance_list_exports_to_csv_and_xlsx(app, client, login, certified):
    ended = certified()
    login(ended.lecturer)

    as_csv = client.get(f"/manage/sessions/{ended.id}/attendance.csv")
    as_xlsx = client.get(f"/manage/sessions/{ended.id}/attendance.xlsx")

    assert as_csv.data.startswith(b"\xef\xbb\xbf")  # Excel reads the Cyrillic names as UTF-8
    rows = list(csv.reader(io.StringIO(as_csv.data.decode("utf-8-sig"))))
    assert rows[0][:4] == ["Name", "Email", "Walk-in", "Attended"]
    by_name = {r[0]: r for r in rows[1:]}
    assert by_name["Алексей Иванов"][3] == "yes" and by_name["Absent Student"][3] == "no"
    sheet = load_workbook(io.BytesIO(as_xlsx.data)).active
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    assert values[0][:4] == ["Name", "Email", "Walk-in", "Attended"]
    assert sorted(v[0] for v in values[1:]) == sorted(by_name)
    assert client.get(f"/manage/sessions/{ended.id}/attendance.pdf").status_code == 404
