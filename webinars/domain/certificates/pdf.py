"""A certificate as one A4 page (landscape), rendered from its frozen content.

Pure Python (fpdf2, segno for the QR code); the fonts are DejaVu Sans shipped in
webinars/fonts (Cyrillic, and the Uzbek Latin oʻ, gʻ and ʼ), never looked up on the
host. Words are in the holder's language; the verification address is printed under
the QR code that holds it.
"""

from __future__ import annotations

import io
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import segno
from babel.dates import format_date
from babel.numbers import format_decimal
from flask_babel import force_locale
from flask_babel import gettext as _
from fpdf import FPDF

from webinars.domain.certificates.layout import current_layout
from webinars.domain.sessions.kinds import KIND_LABELS
from webinars.models import Certificate, CertificateKind, SessionKind

FONTS = Path(__file__).resolve().parents[2] / "fonts"
FONT = "DejaVu"
WIDTH, HEIGHT = 297, 210  # A4 landscape, millimetres


def _rgb(colour: str) -> tuple[int, int, int]:
    value = colour.lstrip("#")
    return int(value[0:2], 16), int(value[2:4], 16), int(value[4:6], 16)


def academic_hours(minutes: int, hour_minutes: int, locale: str) -> str:
    """Minutes as academic hours, to a tenth at most: 90 min of 45 -> "2"."""
    hours = round(minutes / hour_minutes, 1) if hour_minutes else 0
    return format_decimal(hours, format="#,##0.#", locale=locale)


def local_date(content: dict, locale: str) -> str:
    """The session's date in the holder's place, in their language."""
    moment = datetime.fromisoformat(content["starts_at"]).astimezone(ZoneInfo(content["zone"]))
    return format_date(moment.date(), format="long", locale=locale)


class _Page(FPDF):
    def __init__(self) -> None:
        super().__init__(orientation="L", unit="mm", format="A4")
        self.set_auto_page_break(False)
        self.set_margins(25, 20, 25)
        self.add_font(FONT, "", str(FONTS / "DejaVuSans.ttf"))
        self.add_font(FONT, "B", str(FONTS / "DejaVuSans-Bold.ttf"))

    def line_of(self, text: str, size: float, bold: bool = False, height: float = 0) -> None:
        """One centred paragraph (wrapped when long)."""
        self.set_font(FONT, "B" if bold else "", size)
        self.multi_cell(0, height or size * 0.5, text, align="C", new_x="LMARGIN", new_y="NEXT")


def render_pdf(certificate: Certificate, verify_url: str, logo: bytes | None = None) -> bytes:
    """The certificate's PDF bytes (rendered in the worker, stored with the certificate)."""
    content, locale = certificate.data, certificate.locale
    with force_locale(locale):
        return _render(certificate, content, locale, verify_url, logo)


def _render(
    certificate: Certificate, content: dict, locale: str, verify_url: str, logo: bytes | None
) -> bytes:
    page = _Page()
    teaching = certificate.kind is CertificateKind.TEACHING
    page.set_title(_("Certificate of teaching") if teaching else _("Certificate of attendance"))
    page.set_author(content["issuer"])
    page.set_creation_date(certificate.issued_at)
    page.add_page()
    colour, accent = _rgb(content["colour"]), _rgb(content["accent_colour"])
    page.set_draw_color(*colour)
    page.set_line_width(1.6)
    page.rect(8, 8, WIDTH - 16, HEIGHT - 16)
    page.set_draw_color(*accent)
    page.set_line_width(0.5)
    page.rect(11.5, 11.5, WIDTH - 23, HEIGHT - 23)
    if logo:
        page.image(io.BytesIO(logo), x=18, y=16, h=22)
    page.set_text_color(70, 70, 70)
    page.set_y(18)
    page.line_of(content["issuer"], 11, height=6)
    page.set_text_color(*colour)
    page.ln(4)
    title = _("Certificate of teaching") if teaching else _("Certificate of attendance")
    page.line_of(title.upper(), 26, bold=True, height=13)
    page.set_text_color(30, 30, 30)
    page.ln(2)
    page.line_of(_("This is to certify that"), 12, height=7)
    page.line_of(certificate.holder_name, 24, bold=True, height=13)
    page.line_of(_("taught") if teaching else _("attended"), 12, height=7)
    kind = str(KIND_LABELS[SessionKind(content["kind"])])
    page.line_of(f"{kind} «{content['title']}»", 15, bold=True, height=8)
    page.ln(3)
    for line in details(content, locale, teaching):
        page.line_of(line, 10.5, height=5.6)
    _footer(page, certificate, content, verify_url, colour)
    return bytes(page.output())


def details(content: dict, locale: str, teaching: bool) -> list[str]:
    """The lines under the title: date, duration, who taught, academies, organiser."""
    hours = academic_hours(content["minutes"], content["academic_hour_minutes"], locale)
    lines = [
        _("Date: %(date)s", date=local_date(content, locale)),
        _(
            "Duration: %(hours)s academic hours (%(minutes)d minutes)",
            hours=hours,
            minutes=content["minutes"],
        ),
    ]
    if content["lecturers"]:
        lines.append(_("Lecturers: %(names)s", names=", ".join(content["lecturers"])))
    if content["guest_speakers"]:
        guests = [f"{n} ({a})" if a else n for n, a in content["guest_speakers"]]
        lines.append(_("Guest speakers: %(names)s", names=", ".join(guests)))
    if content["academies"]:
        lines.append(_("Partner academies: %(names)s", names=", ".join(content["academies"])))
    lines.append(_("Organised by: %(department)s", department=content["department"]))
    if teaching:
        lines.append(_("Students who attended: %(count)d", count=content.get("students", 0)))
    return lines


def _footer(page: _Page, certificate: Certificate, content: dict, url: str, colour) -> None:
    qr = io.BytesIO()
    segno.make(url, error="m").save(qr, kind="png", scale=8, border=2)
    qr.seek(0)
    page.image(qr, x=20, y=HEIGHT - 58, w=38)
    page.set_text_color(60, 60, 60)
    page.set_xy(60, HEIGHT - 50)
    page.set_font(FONT, "B", 10)
    page.cell(110, 6, _("Certificate No. %(number)s", number=certificate.number or ""))
    page.set_xy(60, HEIGHT - 43)
    page.set_font(FONT, "", 8.5)
    page.multi_cell(110, 4.5, _("Check that it is valid at:") + "\n" + url)
    x = WIDTH - 25 - 75
    for index, (name, title) in enumerate(content["signatories"][:2]):
        top = HEIGHT - 52 + index * 19
        page.set_draw_color(*colour)
        page.set_line_width(0.3)
        page.line(x, top + 6, x + 75, top + 6)
        page.set_xy(x, top + 7)
        page.set_font(FONT, "B", 9.5)
        page.cell(75, 5, name, align="C")
        page.set_xy(x, top + 12)
        page.set_font(FONT, "", 8)
        page.cell(75, 4, title, align="C")


def logo_of_layout() -> bytes | None:
    """The layout's logo now (read when rendering, in the worker)."""
    return current_layout().logo
