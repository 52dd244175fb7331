"""A certificate in each language: the text of the PDF says the holder's name (Cyrillic,
Uzbek Latin), the number and the verification address, and its QR code decodes back to
that address; the PDF and its email name the department in the certificate's language."""

from __future__ import annotations

import html
import io

import pypdfium2
import pytest
import zxingcpp
from pypdf import PdfReader

from tests.fixtures.attendance import STUDENTS
from tests.fixtures.registration import outbox
from webinars.domain.certificates.issue import verify_url
from webinars.extensions import db
from webinars.models import Certificate

TITLES = {
    "ru": "СЕРТИФИКАТ ОБ УЧАСТИИ",
    "uz": "ISHTIROK SERTIFIKATI",
    "en": "CERTIFICATE OF ATTENDANCE",
}

HOME_NAMES = {
    "en": "Department of Children's Diseases",
    "ru": "Кафедра детских болезней",
    "uz": "Bolalar kasalliklari kafedrasi",
}
HOLDERS = [("Алексей Иванов", "ru"), ("Oʻgʻiloy Toʻxtayeva", "uz"), ("Emma Brown", "en")]


def _text(pdf: bytes) -> str:
    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) == 1
    return reader.pages[0].extract_text()


def _qr(pdf: bytes) -> list[str]:
    document = pypdfium2.PdfDocument(pdf)
    try:
        image = document[0].render(scale=3).to_pil()
    finally:
        document.close()
    return [result.text for result in zxingcpp.read_barcodes(image)]


def _certificate_of(session_id: int, name: str) -> Certificate:
    return db.session.execute(
        db.select(Certificate).where(
            Certificate.session_id == session_id, Certificate.holder_name == name
        )
    ).scalar_one()


def _names_in(text: str) -> list[str]:
    flat = " ".join(text.split())
    return [home for home in HOME_NAMES.values() if home in flat]


@pytest.mark.parametrize(("name", "locale"), HOLDERS)
def test_a_certificate_in_each_language(ctx, certified, name, locale):
    ended = certified()
    certificate = _certificate_of(ended.id, name)
    url = verify_url(certificate)

    text = _text(certificate.pdf)
    flat = " ".join(text.split())

    assert certificate.locale == locale
    assert name in flat
    assert TITLES[locale] in flat
    assert certificate.number in flat
    assert url in flat.replace("\n", "")
    assert _qr(certificate.pdf) == [url]
    assert len(certificate.pdf) < 100_000  # the fonts are subset


def test_the_page_is_a4_landscape(ctx, certified):
    ended = certified()
    certificate = db.session.execute(
        db.select(Certificate).where(Certificate.session_id == ended.id).limit(1)
    ).scalar_one()

    box = PdfReader(io.BytesIO(certificate.pdf)).pages[0].mediabox

    assert (round(float(box.width) * 25.4 / 72), round(float(box.height) * 25.4 / 72)) == (297, 210)


@pytest.mark.parametrize(("name", "locale"), HOLDERS)
def test_a_certificate_names_the_department_in_its_language(app, ctx, certified, name, locale):
    app.config.update(
        HOME_NAME=HOME_NAMES["en"], HOME_NAME_RU=HOME_NAMES["ru"], HOME_NAME_UZ=HOME_NAMES["uz"]
    )
    ended = certified()

    certificate = _certificate_of(ended.id, name)

    assert certificate.data["department"] == HOME_NAMES[locale]
    assert certificate.data["issuer"] == HOME_NAMES[locale]  # no issuer in the layout
    assert _names_in(_text(certificate.pdf)) == [HOME_NAMES[locale]]


@pytest.mark.parametrize(("name", "locale"), HOLDERS)
def test_a_certificates_email_is_signed_with_the_department_in_its_language(
    app, certified, name, locale
):
    app.config.update(
        HOME_NAME=HOME_NAMES["en"], HOME_NAME_RU=HOME_NAMES["ru"], HOME_NAME_UZ=HOME_NAMES["uz"]
    )
    certified()
    email = next(e for n, e, _lang in STUDENTS.values() if n == name)

    [message] = outbox(app, kind="certificate", to_address=email)

    assert _names_in(message.text_body) == [HOME_NAMES[locale]]
    assert _names_in(html.unescape(message.html_body)) == [HOME_NAMES[locale]]
