"""Written notices and decisions (Administrative Licensing Law): the texts, and storing the PDFs.

Each notice is a PDF in the applicant's language and Chinese, kept with the case: acceptance (or
the one-time list of what is missing), the extension of the decision period with its reason
(art. 42), a refusal with its reasons and the right to administrative reconsideration or a
lawsuit (art. 38), and a revocation.
"""

import hashlib
from dataclasses import dataclass, field
from datetime import date

from django.core.files.base import ContentFile
from django.core.signing import Signer
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import pdf
from .models import NoticeKind, ReasonCode, WrittenNotice

VERIFY_SALT = "permits.verify"


def verification_token(permit) -> str:
    """The signed token in the QR code: the permit number and its signature."""
    return Signer(salt=VERIFY_SALT).sign(permit.number)


def reason_texts(codes) -> list[str]:
    """Texts of reason codes in the active language, in the given order."""
    by_code = {reason.code: reason.text for reason in ReasonCode.objects.filter(code__in=codes)}
    return [by_code.get(code, code) for code in codes]


RIGHTS = gettext_lazy(
    "If you disagree with this decision, you may apply for administrative reconsideration within "
    "60 days of receiving it, or bring an administrative lawsuit before a people's court within "
    "6 months."
)


@dataclass
class Content:
    kind: str
    date: date
    data: dict = field(default_factory=dict)

    def title(self) -> str:
        return str(dict(NoticeKind.choices)[self.kind])

    def body(self) -> list[str]:
        data = self.data
        if self.kind == NoticeKind.ACCEPTANCE:
            return [
                _("Your application has been accepted for review."),
                _("The commission aims to decide by %(target)s. The decision is due by law by %(limit)s.")
                % {
                    "target": date_format(data["target_date"], "DATE_FORMAT"),
                    "limit": date_format(data["statutory_limit"], "DATE_FORMAT"),
                },
            ]
        if self.kind == NoticeKind.RETURN:
            lines = [
                _(
                    "Your application cannot be accepted yet. Please complete all of the following at once and submit it again:"
                )
            ]
            lines += [f"• {text}" for text in reason_texts(data.get("reason_codes", []))]
            lines += [f"• {text}" for text in data.get("documents", [])]
            if data.get("note"):
                lines.append(data["note"])
            return lines
        if self.kind == NoticeKind.EXTENSION:
            return [
                _(
                    "The period for deciding on your application has been extended by %(days)d working days, to %(limit)s."
                )
                % {"days": data["days"], "limit": date_format(data["statutory_limit"], "DATE_FORMAT")},
                _("Reason: %(reason)s") % {"reason": data["reason"]},
            ]
        if self.kind in (NoticeKind.REFUSAL, NoticeKind.REVOCATION, NoticeKind.RESIDENCE_REFUSAL):
            opening = {
                NoticeKind.REFUSAL: _("Your application is refused for the following reasons:"),
                NoticeKind.REVOCATION: _("Your work permit is revoked for the following reasons:"),
                NoticeKind.RESIDENCE_REFUSAL: _(
                    "Your application for a residence permit for work, filed through the single window, "
                    "is refused by the exit-entry administration for the following reasons:"
                ),
            }[self.kind]
            lines = [opening]
            lines += [f"• {text}" for text in reason_texts(data.get("reason_codes", []))]
            if data.get("note"):
                lines.append(data["note"])
            if self.kind == NoticeKind.RESIDENCE_REFUSAL:
                lines.append(
                    _(
                        "This decision concerns the residence permit only: your work permit application "
                        "continues as an ordinary application."
                    )
                )
            lines.append(str(RIGHTS))
            return lines
        raise ValueError(self.kind)


def notice_create(*, application, kind: str, on: date, data: dict, permit=None) -> WrittenNotice:
    """Render and store a notice in the applicant's language and Chinese. Call inside the change."""
    language = application.submitted_language or (
        application.applicant.preferred_language if application.applicant_id else "zh-hans"
    )
    content = pdf.notice_pdf(
        title=str(kind),
        application=application,
        language=language,
        paragraphs=Content(kind=kind, date=on, data=data),
    )
    notice = WrittenNotice(
        application=application,
        permit=permit,
        kind=kind,
        language=language,
        sha256=hashlib.sha256(content).hexdigest(),
    )
    notice.file.save(f"{application.reference}-{kind}.pdf", ContentFile(content), save=False)
    notice.save()
    return notice


def permit_notice_create(*, permit, application) -> WrittenNotice:
    """The electronic permit PDF (stored like a notice, so that it is kept with the case)."""
    language = application.submitted_language or "zh-hans"
    content = pdf.permit_pdf(permit, language=language, token=verification_token(permit))
    notice = WrittenNotice(
        application=application,
        permit=permit,
        kind=NoticeKind.PERMIT,
        language=language,
        sha256=hashlib.sha256(content).hexdigest(),
    )
    notice.file.save(f"{permit.number}.pdf", ContentFile(content), save=False)
    notice.save()
    return notice
