"""A certificate in each language: the text of the PDF says the holder's name (Cyrillic,
Uzbek Latin), the number and the verification address, and its QR code decodes back to
that address."""

from __future__ import annotations

import io

import pypdfium2
import pytest
import zxingcpp
from pypdf import PdfReader

from webinars.domain.certificates.issue import verify_url
from webinars.extensions import db
from webinars.models import Certificate

TITLES = {
    "ru": "СЕРТИФИКАТ ОБ УЧАСТИИ",
    "uz": "ISHTIROK SERTIFIKATI",
    "en": "CERTIFICATE OF ATTENDANCE",
}


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


@pytest.mark.parametrize(
    ("name", "locale"),
    [("Алексей Иванов", "ru"), ("Oʻgʻiloy Toʻxtayeva", "uz"), ("Emma Brown", "en")],
)
def test_a_certificate_in_each_language(ctx, certified, name, locale):
    ended = certified()
    certificate = db.session.execute(
        db.select(Certificate).where(
            Certificate.session_id == ended.id, Certificate.holder_name == name
        )
    ).scalar_one()
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
