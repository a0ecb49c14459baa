"""The automatic pre-check (issue 13): one report of findings, for the applicant and the officer.

``precheck_report`` reads a case and returns every finding at once, each with a code, a
translated message, a severity and what it concerns (a field or a document kind). It extends the
rules of ``permits.rules`` (the checklist, the dated documents, the parties' parts) with the checks
that compare data: the passport against the permit period, the name read from the passport
(once the applicant confirmed the reading) against the name typed, the employer's salary against
the applicant's, and the photo's pixel size, shape and file size. ``blocking_messages`` is
the submission guard for the checks ``rules.ready_to_submit`` does not already make.
"""

from dataclasses import dataclass
from datetime import date

from django.utils.translation import gettext as _
from PIL import Image

from . import rules, uploads
from .models import DocumentKind, DocumentVersion, ReviewStatus


class Severity:
    BLOCKING = "blocking"
    WARNING = "warning"


@dataclass(frozen=True)
class Finding:
    code: str
    message: str
    severity: str
    concerns: str = ""  # a field name or a document kind

    def as_dict(self) -> dict:
        return {
            "code": self.code,
            "message": str(self.message),
            "severity": self.severity,
            "concerns": self.concerns,
        }


def normalised_name(*parts: str) -> str:
    """A name for comparison, whatever the order of the words and the spacing ("VAN DER BERG" =
    "VANDERBERG", surname and given names swapped): its letters, upper case, in sorted order.
    (Two names made of exactly the same letters would compare equal: the officer still reads.)"""
    return "".join(
        sorted(char for char in " ".join(part or "" for part in parts).upper() if "A" <= char <= "Z")
    )


def _passport_findings(application, *, on: date) -> list[Finding]:
    findings = []
    expiry = application.passport_expiry
    end = application.contract_end
    if expiry and end and expiry < end and expiry > on:
        findings.append(
            Finding(
                "passport_shorter_than_period",
                _("The passport expires before the end of the period requested: renew it first."),
                Severity.BLOCKING,
                "passport_expiry",
            )
        )
    # Only a reading the applicant confirmed (by saving the identity step after it) is compared,
    # with the names typed in the form as they stand now.
    reading = application.passport_reading or {}
    if not reading.get("confirmed"):
        reading = {}
    read = normalised_name(reading.get("surname", ""), reading.get("given_names", ""))
    typed = normalised_name(application.surname, application.given_names)
    if read and typed and read != typed:
        findings.append(
            Finding(
                "name_mismatch",
                _("The name typed in the form does not match the name read from the passport."),
                Severity.BLOCKING,
                "surname",
            )
        )
    return findings


def _salary_findings(application) -> list[Finding]:
    employer, applicant = application.annual_salary_cny, application.declared_salary_cny
    if employer is not None and applicant is not None and employer != applicant:
        return [
            Finding(
                "salary_mismatch",
                _("The salary the employer entered differs from the salary the applicant declared."),
                Severity.BLOCKING,
                "annual_salary_cny",
            )
        ]
    return []


# The photo of the permit: the size the commission asks for (354 × 472 px, i.e. 3:4, printed at
# 33 × 48 mm), in portrait, as a JPEG of at most 1 MB (the same bounds as the upload's check).
PHOTO_MIN_SIZE = uploads.PHOTO_MIN_SIZE
PHOTO_MAX_BYTES = uploads.PHOTO_MAX_BYTES
# Below this a "photo" is blank, truncated or compressed beyond use (a plain white JPEG of
# 400 × 520 px is about 4 KB; a real face photo of the minimum size, 20 KB or more). A warning:
# the officer may still judge it.
PHOTO_MIN_BYTES = 10 * 1024
# Width ÷ height: 33 ÷ 48 = 0.6875 and 3 ÷ 4 = 0.75 are both fine; a little latitude for cropping.
PHOTO_RATIO_RANGE = (0.66, 0.80)
_EXIF_ORIENTATION = 0x0112
_QUARTER_TURNS = {5, 6, 7, 8}


def photo_findings(version) -> list[Finding]:
    """The photo's pixel size, shape and file size, read with Pillow from the stored file.

    Blocking where the photo cannot be printed on the permit as filed (unreadable, too small,
    landscape, over 1 MB): an officer would return the file for it. A warning where the officer
    may still accept it (proportions a little off, a suspiciously small file).
    """
    kind = DocumentKind.PHOTO
    findings = []
    size = version.size or 0
    if size > PHOTO_MAX_BYTES:
        findings.append(
            Finding(
                "photo_file_too_large",
                _("The photo's file is larger than %(limit)s: upload a smaller JPEG.") % {"limit": "1 MB"},
                Severity.BLOCKING,
                kind,
            )
        )
    elif 0 < size < PHOTO_MIN_BYTES:
        findings.append(
            Finding(
                "photo_file_too_small",
                _(
                    "The photo's file is very small (%(size)d bytes): check that it is a clear, uncompressed photo."
                )
                % {"size": size},
                Severity.WARNING,
                kind,
            )
        )
    try:
        with version.file.open("rb") as stored, Image.open(stored) as image:
            width, height = image.size  # read from the header: the pixels are not decoded
            if image.getexif().get(_EXIF_ORIENTATION) in _QUARTER_TURNS:
                width, height = height, width
    except (OSError, ValueError, Image.DecompressionBombError):
        return findings + [
            Finding(
                "photo_unreadable",
                _("The photo cannot be read as an image: upload it again as a JPEG."),
                Severity.BLOCKING,
                kind,
            )
        ]
    min_width, min_height = PHOTO_MIN_SIZE
    if width >= height:
        findings.append(
            Finding(
                "photo_not_portrait",
                _("The photo is %(width)d × %(height)d pixels, wider than high: upload a portrait photo.")
                % {"width": width, "height": height},
                Severity.BLOCKING,
                kind,
            )
        )
    elif width < min_width or height < min_height:
        findings.append(
            Finding(
                "photo_too_small",
                _(
                    "The photo is %(width)d × %(height)d pixels; it must be at least "
                    "%(min_width)d × %(min_height)d."
                )
                % {"width": width, "height": height, "min_width": min_width, "min_height": min_height},
                Severity.BLOCKING,
                kind,
            )
        )
    elif not PHOTO_RATIO_RANGE[0] <= width / height <= PHOTO_RATIO_RANGE[1]:
        findings.append(
            Finding(
                "photo_proportions",
                _(
                    "The photo is %(width)d × %(height)d pixels: a passport-style photo is about 3 wide "
                    "for 4 high (33 × 48 mm). Crop it to those proportions."
                )
                % {"width": width, "height": height},
                Severity.WARNING,
                kind,
            )
        )
    return findings


def _photo_findings(application) -> list[Finding]:
    """The current photo's findings (one query; a rejected photo is reported as rejected)."""
    version = (
        DocumentVersion.objects.filter(document__application=application, document__kind=DocumentKind.PHOTO)
        .order_by("-number")
        .first()
    )
    if version is None or version.status == ReviewStatus.REJECTED:
        return []
    return photo_findings(version)


def _document_findings(application, *, on: date) -> list[Finding]:
    labels = dict(DocumentKind.choices)
    versions = rules.current_versions(application)
    findings = []
    for kind in rules.required_documents(application, on=on):
        version = versions.get(kind)
        name = labels[kind]
        if version is None:
            findings.append(
                Finding(
                    "document_missing",
                    _("%(document)s: not uploaded yet.") % {"document": name},
                    Severity.BLOCKING,
                    kind,
                )
            )
        elif version.status == ReviewStatus.REJECTED:
            findings.append(
                Finding(
                    "document_rejected",
                    _("%(document)s: was rejected; upload a new version.") % {"document": name},
                    Severity.BLOCKING,
                    kind,
                )
            )
        else:
            problem = rules.dated_document_problem(kind, version.issue_date, on)
            if problem:
                findings.append(Finding("document_lapsed", f"{name}: {problem}", Severity.BLOCKING, kind))
    return findings


def _employer_findings(application) -> list[Finding]:
    if application.is_holder_request:
        return []
    refusal = application.organization.sponsorship_refusal()
    return (
        [Finding("employer_not_eligible", str(refusal), Severity.BLOCKING, "organization")] if refusal else []
    )


def _condition_findings(application, *, on: date) -> list[Finding]:
    """The parties' parts and the route's rules (age, class, team, zone…), as ``rules`` words them."""
    refusal = None if application.is_holder_request else application.organization.sponsorship_refusal()
    return [
        Finding("condition_not_met", str(problem), Severity.BLOCKING)
        for problem in rules.part_problems(application, on=on) + rules.route_problems(application, on=on)
        if refusal is None or str(problem) != str(refusal)
    ]


def new_findings(application, *, on: date) -> list[Finding]:
    """The findings ``rules.submission_problems`` does not already report."""
    return (
        _passport_findings(application, on=on) + _salary_findings(application) + _photo_findings(application)
    )


def precheck_report(application, *, on: date) -> list[Finding]:
    """Every finding of the pre-check, blocking ones first."""
    findings = (
        _employer_findings(application)
        + _condition_findings(application, on=on)
        + new_findings(application, on=on)
        + _document_findings(application, on=on)
    )
    return sorted(findings, key=lambda finding: finding.severity != Severity.BLOCKING)


def findings_of(problems) -> list[Finding]:
    """Problems known only by their message (a guard's words), as blocking findings."""
    return [Finding("condition_not_met", str(problem), Severity.BLOCKING) for problem in problems]


def submission_findings(application, problems, *, on: date) -> list[Finding]:
    """Why a submission was refused, as findings: the whole pre-check report (warnings too), and
    any problem of the submission guard the report does not word the same way."""
    report = precheck_report(application, on=on)
    reported = {str(finding.message) for finding in report}
    others = findings_of(problem for problem in problems if str(problem) not in reported)
    return sorted(report + others, key=lambda finding: finding.severity != Severity.BLOCKING)


def blocking_messages(context: rules.Context) -> list[str]:
    """The submission guard: the blocking findings the other guards do not make."""
    return [
        finding.message
        for finding in new_findings(context.application, on=context.on)
        if finding.severity == Severity.BLOCKING
    ]
