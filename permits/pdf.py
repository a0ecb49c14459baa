"""PDFs: the electronic permit and the written notices, in the applicant's language and Chinese.

reportlab draws them with a CJK TrueType font from Debian (fonts-wqy-microhei, installed by the
Makefile); segno draws the QR code that opens the public verification page.
"""

import io
from pathlib import Path

import segno
from django.conf import settings
from django.utils import translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

FONT_CANDIDATES = (
    Path("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"),
    Path("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc"),
)
FONT = "PortalCJK"


def _register_font() -> str:
    if FONT in pdfmetrics.getRegisteredFontNames():
        return FONT
    for path in FONT_CANDIDATES:
        if path.exists():
            pdfmetrics.registerFont(TTFont(FONT, str(path), subfontIndex=0))
            return FONT
    raise RuntimeError("No CJK TrueType font found: install Debian's fonts-wqy-microhei (make install does).")


def _languages(language: str) -> list[str]:
    """The applicant's language first, then Chinese (once, if they read Chinese)."""
    return [language] if language == "zh-hans" else [language, "zh-hans"]


class _Page:
    def __init__(self, title_key):
        self.buffer = io.BytesIO()
        self.canvas = canvas.Canvas(self.buffer, pagesize=A4)
        self.font = _register_font()
        self.y = A4[1] - 25 * mm
        self.canvas.setTitle(title_key)

    def text(self, value: str, *, size: int = 10, gap: float = 6, indent: float = 0):
        width = A4[0] - 40 * mm - indent
        for line in _wrap(str(value), self.font, size, width):
            if self.y < 25 * mm:
                self.canvas.showPage()
                self.y = A4[1] - 25 * mm
            self.canvas.setFont(self.font, size)
            self.canvas.drawString(20 * mm + indent, self.y, line)
            self.y -= size + 3
        self.y -= gap

    def rule(self):
        self.canvas.setStrokeColorRGB(0.55, 0.11, 0.11)
        self.canvas.line(20 * mm, self.y, A4[0] - 20 * mm, self.y)
        self.y -= 8

    def finish(self) -> bytes:
        self.canvas.showPage()
        self.canvas.save()
        return self.buffer.getvalue()


def _wrap(text: str, font: str, size: int, width: float) -> list[str]:
    """Wrap by measured width; CJK text has no spaces, so break anywhere when needed."""
    lines = []
    for paragraph in text.split("\n"):
        line = ""
        for char in paragraph:
            candidate = line + char
            if pdfmetrics.stringWidth(candidate, font, size) > width and line:
                cut = line.rfind(" ")
                if cut > len(line) // 2:
                    lines.append(line[:cut])
                    line = line[cut + 1 :] + char
                else:
                    lines.append(line)
                    line = char
            else:
                line = candidate
        lines.append(line)
    return lines


def verification_url(token: str) -> str:
    return f"{settings.SITE_URL}/verify/{token}"


def permit_pdf(permit, *, language: str, token: str) -> bytes:
    """The electronic permit with its QR code."""
    page = _Page(f"permit-{permit.number}")
    for lang in _languages(language):
        with translation.override(lang):
            page.text(_("Foreigner's Work Permit of the People's Republic of China"), size=15, gap=4)
            page.text(_("Issued by the Shanghai Municipal Science and Technology Commission"), size=9)
            page.rule()
            rows = [
                (_("Permit number"), permit.number),
                (_("Kind"), permit.get_kind_display()),
                (_("Holder"), permit.holder_name),
                (_("Nationality"), permit.nationality),
                (_("Date of birth"), date_format(permit.date_of_birth, "DATE_FORMAT")),
                (_("Class"), permit.get_talent_class_display()),
                (_("Employer"), permit.organization.display_name),
                (_("Post"), permit.post_title),
                (_("Valid from"), date_format(permit.valid_from, "DATE_FORMAT")),
                (_("Valid until"), date_format(permit.valid_until, "DATE_FORMAT")),
            ]
            if permit.category_name:
                rows.append((_("Shanghai talent category"), permit.category_name))
            for label, value in rows:
                page.text(f"{label}: {value}", size=10, gap=1)
            page.text(
                _(
                    "Scan the QR code or open the address below to check that this permit is genuine and valid."
                ),
                size=9,
                gap=10,
            )
    qr = segno.make(verification_url(token), error="m")
    buffer = io.BytesIO()
    qr.save(buffer, kind="png", scale=6, border=2)
    buffer.seek(0)
    page.canvas.drawImage(ImageReader(buffer), A4[0] - 60 * mm, A4[1] - 70 * mm, 40 * mm, 40 * mm)
    page.text(verification_url(token), size=8)
    return page.finish()


def notice_pdf(*, title: str, application, language: str, paragraphs) -> bytes:
    """A written notice or decision. ``paragraphs`` is called once per language, under it."""
    page = _Page(title)
    for lang in _languages(language):
        with translation.override(lang):
            page.text(_("Shanghai Municipal Science and Technology Commission"), size=9, gap=2)
            page.text(str(paragraphs.title()), size=14, gap=4)
            page.rule()
            page.text(f"{_('Reference')}: {application.reference}", gap=1)
            page.text(f"{_('Applicant')}: {application.applicant_name}", gap=1)
            page.text(f"{_('Employer')}: {application.organization.display_name}", gap=8)
            for paragraph in paragraphs.body():
                page.text(paragraph, gap=5)
            page.text(date_format(paragraphs.date, "DATE_FORMAT"), gap=14)
    return page.finish()
