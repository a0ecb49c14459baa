"""Documents a permit holder downloads: the salary-remittance information form and a certificate
of employment status, as PDFs in the holder's language and Chinese.

Both carry a QR code to the same public ``/verify/<token>`` page as the permit. The token is the
permit's signer (same salt) over ``<permit number>:<document kind>:<issue date>``, so the page
shows the permit's live status together with which document was issued on which day; a token
changed by one character fails the signature and gets the portal's 404 page.
"""

import io
from dataclasses import dataclass
from datetime import date

import segno
from django.core.signing import BadSignature, Signer
from django.db import models
from django.utils import translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader

from . import pdf
from .models import Permit, PermitKind, PermitState
from .notices import VERIFY_SALT


class HolderDocument(models.TextChoices):
    SALARY_REMITTANCE = "salary_remittance", gettext_lazy("Salary-remittance information form")
    EMPLOYMENT_STATUS = "employment_status", gettext_lazy("Certificate of employment status")


@dataclass(frozen=True)
class VerifiedDocument:
    kind: str
    label: str
    issued_on: date


def is_current(permit: Permit, *, today: date) -> bool:
    """Only a valid work-permit card, inside its validity, gets these documents."""
    return (
        permit.kind == PermitKind.CARD
        and permit.state == PermitState.VALID
        and permit.valid_from <= today <= permit.valid_until
    )


def document_token(permit: Permit, kind: str, issued_on: date) -> str:
    """The signed token in the document's QR code."""
    return Signer(salt=VERIFY_SALT).sign(f"{permit.number}:{kind}:{issued_on.isoformat()}")


def document_from_token(token: str) -> tuple[Permit | None, VerifiedDocument | None]:
    """The permit and the document a document token names; (None, None) for a forged or odd token."""
    try:
        value = Signer(salt=VERIFY_SALT).unsign(token)
    except BadSignature:
        return None, None
    number, _separator, rest = value.partition(":")
    kind, _separator, issued = rest.partition(":")
    if kind not in HolderDocument.values:
        return None, None
    try:
        issued_on = date.fromisoformat(issued)
    except ValueError:
        return None, None
    permit = (
        Permit.objects.filter(number=number)
        .select_related("organization")
        .order_by("-valid_from", "-id")
        .first()
    )
    if permit is None:
        return None, None
    return permit, VerifiedDocument(kind=kind, label=str(HolderDocument(kind).label), issued_on=issued_on)


def _rows(permit: Permit, kind: str) -> list[tuple[str, str]]:
    organization = permit.organization
    rows = [
        (_("Holder"), permit.holder_name),
        (_("Nationality"), permit.nationality),
        (_("Date of birth"), date_format(permit.date_of_birth, "DATE_FORMAT")),
        (_("Passport (last digits)"), "•••••" + permit.passport_last_digits),
        (_("Permit number"), permit.number),
        (_("Class"), permit.get_talent_class_display()),
        (_("Employer"), organization.display_name),
        (_("Unified social credit code"), organization.uscc),
        (_("Post"), permit.post_title),
        (_("Valid from"), date_format(permit.valid_from, "DATE_FORMAT")),
        (_("Valid until"), date_format(permit.valid_until, "DATE_FORMAT")),
    ]
    application = permit.application
    if kind == HolderDocument.SALARY_REMITTANCE and application is not None and application.annual_salary_cny:
        rows.append((_("Annual salary paid in China (CNY)"), f"{application.annual_salary_cny:,}"))
    if kind == HolderDocument.EMPLOYMENT_STATUS and application is not None and application.contract_start:
        rows.append(
            (
                _("Employed under the current contract since"),
                date_format(application.contract_start, "DATE_FORMAT"),
            )
        )
    return rows


def _statement(kind: str) -> list[str]:
    if kind == HolderDocument.SALARY_REMITTANCE:
        return [
            _(
                "The holder named above is a foreign talent holding a valid Foreigner's Work Permit issued in "
                "Shanghai. Under the salary remittance channel for foreign talents, banks may convert and remit "
                "the holder's lawful after-tax salary paid in China abroad on the strength of this form, without "
                "asking again for the employment contract or tax records."
            ),
            _("This form is valid only while the permit is valid: check its status with the QR code below."),
        ]
    return [
        _(
            "The Shanghai Municipal Science and Technology Commission certifies that on the date below the holder "
            "named above is employed by the employer named above under a valid Foreigner's Work Permit."
        ),
        _(
            "This certificate is issued at the holder's request for landlords, schools and banks. The employment "
            "status can change: check it at any time with the QR code below."
        ),
    ]


def holder_document_pdf(permit: Permit, kind: str, *, language: str, issued_on: date) -> bytes:
    """The document in ``language`` and Chinese, with the QR code and the verification address."""
    token = document_token(permit, kind, issued_on)
    url = pdf.verification_url(token)
    page = pdf._Page(f"{kind}-{permit.number}")
    for lang in pdf._languages(language):
        with translation.override(lang):
            page.text(_("Shanghai Municipal Science and Technology Commission"), size=9, gap=2)
            page.text(str(HolderDocument(kind).label), size=15, gap=4)
            page.rule()
            for label, value in _rows(permit, kind):
                page.text(f"{label}: {value}", size=10, gap=1)
            page.y -= 6
            for paragraph in _statement(kind):
                page.text(paragraph, size=10, gap=5)
            page.text(
                _("Issued on {date}").format(date=date_format(issued_on, "DATE_FORMAT")), size=10, gap=4
            )
            page.text(_("Scan the QR code or open the address below to check this document."), size=9, gap=10)
    qr = segno.make(url, error="m")
    buffer = io.BytesIO()
    qr.save(buffer, kind="png", scale=6, border=2)
    buffer.seek(0)
    if page.y < 70 * mm:
        page.canvas.showPage()
        page.y = A4[1] - 25 * mm
    page.canvas.drawImage(ImageReader(buffer), 20 * mm, page.y - 40 * mm, 40 * mm, 40 * mm)
    page.y -= 46 * mm
    # The address on a line of its own, so that it is read (and copied) whole.
    page.text(url, size=7)
    return page.finish()
