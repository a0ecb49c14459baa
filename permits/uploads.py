"""Checking an uploaded file by its content, never by its name."""

import hashlib
from dataclasses import dataclass
from io import BytesIO

import filetype
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

from .models import DocumentKind

ALLOWED_TYPES = {"application/pdf": "pdf", "image/jpeg": "jpg", "image/png": "png"}
PHOTO_TYPES = {"image/jpeg"}
MAX_BYTES = 10 * 1024 * 1024
PHOTO_MAX_BYTES = 1024 * 1024
PHOTO_MIN_SIZE = (354, 472)  # width × height in pixels
# Refuse decompression bombs before Pillow decodes them.
MAX_PIXELS = 40_000_000


class UploadRefused(Exception):
    def __init__(self, message):
        self.message = message
        super().__init__(message)


@dataclass(frozen=True)
class CheckedFile:
    content: bytes
    content_type: str
    extension: str
    sha256: str


def check_upload(kind: str, uploaded) -> CheckedFile:
    """Read and check an upload; raise ``UploadRefused`` with a translated reason."""
    limit = PHOTO_MAX_BYTES if kind == DocumentKind.PHOTO else MAX_BYTES
    if uploaded.size is not None and uploaded.size > limit:
        raise UploadRefused(_size_message(limit))
    content = uploaded.read(limit + 1)
    if len(content) > limit:
        raise UploadRefused(_size_message(limit))
    if not content:
        raise UploadRefused(_("The file is empty."))
    guessed = filetype.guess(content)
    content_type = guessed.mime if guessed else ""
    if kind == DocumentKind.PHOTO:
        if content_type not in PHOTO_TYPES:
            raise UploadRefused(_("The photo must be a JPEG image."))
        _check_photo(content)
    elif content_type not in ALLOWED_TYPES:
        raise UploadRefused(_("Only PDF, JPEG and PNG files are accepted. This file is of another kind."))
    elif content_type != "application/pdf":
        _check_image(content)
    return CheckedFile(
        content=content,
        content_type=content_type,
        extension=ALLOWED_TYPES[content_type],
        sha256=hashlib.sha256(content).hexdigest(),
    )


def _size_message(limit: int) -> str:
    return _("The file is larger than %(size)s MB.") % {"size": limit // (1024 * 1024)}


def _open(content: bytes) -> Image.Image:
    try:
        image = Image.open(BytesIO(content))
        if image.width * image.height > MAX_PIXELS:
            raise UploadRefused(_("The image has too many pixels."))
        image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, Image.DecompressionBombError):
        raise UploadRefused(_("The image cannot be read. It may be damaged.")) from None
    return Image.open(BytesIO(content))


def _check_image(content: bytes) -> None:
    _open(content)


def _check_photo(content: bytes) -> None:
    image = _open(content)
    width, height = image.size
    min_width, min_height = PHOTO_MIN_SIZE
    if width < min_width or height < min_height:
        raise UploadRefused(
            _(
                "The photo is %(width)d × %(height)d pixels; it must be at least %(min_width)d × %(min_height)d."
            )
            % {"width": width, "height": height, "min_width": min_width, "min_height": min_height}
        )
