"""Checking a case document by its content, never by its name (see ``talent_portal.core.uploads``)."""

from django.http import FileResponse
from django.utils.translation import gettext as _

from talent_portal.core.uploads import CheckedFile, UploadRefused, sanitize_upload

from .models import DocumentKind

__all__ = ["CheckedFile", "UploadRefused", "check_upload", "document_file_response", "SENSITIVE_KINDS"]

PHOTO_TYPES = {"image/jpeg": "jpg"}
PHOTO_MAX_BYTES = 1024 * 1024
PHOTO_MIN_SIZE = (354, 472)  # width × height in pixels

# Sensitive personal information under the PIPL (health, criminal records): uploaded only with
# the person's explicit consent, recorded on the version and in the audit log.
SENSITIVE_KINDS = frozenset(
    {
        DocumentKind.HEALTH_CERTIFICATE,
        DocumentKind.CRIMINAL_RECORD,
        DocumentKind.HEALTH_CHECK_RECORD_CHINA,
    }
)


def check_upload(kind: str, uploaded) -> CheckedFile:
    """Read, check and clean an upload; raise ``UploadRefused`` with a translated reason."""
    if kind == DocumentKind.PHOTO:
        checked = sanitize_upload(
            uploaded,
            allowed=PHOTO_TYPES,
            max_bytes=PHOTO_MAX_BYTES,
            refusal=_("The photo must be a JPEG image."),
        )
        _check_photo(checked)
        return checked
    return sanitize_upload(uploaded)


def _check_photo(checked: CheckedFile) -> None:
    width, height = checked.image.size
    min_width, min_height = PHOTO_MIN_SIZE
    if width < min_width or height < min_height:
        raise UploadRefused(
            _(
                "The photo is %(width)d × %(height)d pixels; it must be at least %(min_width)d × %(min_height)d."
            )
            % {"width": width, "height": height, "min_width": min_width, "min_height": min_height}
        )


def document_file_response(version) -> FileResponse:
    """A stored version as a download (never shown inline): an attachment with a generated name,
    the sniffed type, ``nosniff`` and no caching. The pages and the API both answer with it."""
    extension = {"application/pdf": "pdf", "image/jpeg": "jpg", "image/png": "png"}.get(
        version.content_type, "bin"
    )
    response = FileResponse(
        version.file.open("rb"),
        as_attachment=True,
        filename=f"{version.document.kind}-v{version.number}.{extension}",
        content_type=version.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
