"""Uploads are checked by content, cleaned, and never named by the uploader."""

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from talent_portal.core.uploads import UploadRefused, clean_original_name, sanitize_upload
from tests.permits.factories import jpeg_bytes, pdf_bytes, png_bytes

GPS_IFD = 0x8825


def jpeg_with_gps() -> bytes:
    exif = Image.Exif()
    exif[0x010F] = "SpyCam"  # Make
    exif[0x0110] = "Model 7"  # Model
    gps = exif.get_ifd(GPS_IFD)
    gps[1] = "N"
    gps[2] = (31.0, 14.0, 5.0)
    gps[3] = "E"
    gps[4] = (121.0, 28.0, 9.0)
    buffer = io.BytesIO()
    Image.new("RGB", (400, 520), (200, 180, 160)).save(buffer, "JPEG", exif=exif.tobytes())
    return buffer.getvalue()


def refused(content, name="file.pdf", **kwargs) -> str:
    with pytest.raises(UploadRefused) as error:
        sanitize_upload(SimpleUploadedFile(name, content), **kwargs)
    return str(error.value.message)


def test_a_jpeg_with_gps_exif_comes_out_without_any_metadata():
    original = jpeg_with_gps()
    assert Image.open(io.BytesIO(original)).getexif().get_ifd(GPS_IFD)  # the fixture has GPS data
    checked = sanitize_upload(SimpleUploadedFile("holiday.jpg", original))
    assert checked.content_type == "image/jpeg"
    cleaned = Image.open(io.BytesIO(checked.content))
    assert dict(cleaned.getexif()) == {}
    assert not cleaned.getexif().get_ifd(GPS_IFD)
    assert b"Exif" not in checked.content
    assert b"SpyCam" not in checked.content
    assert cleaned.size == (400, 520)


def test_a_jpeg_with_an_appended_zip_comes_out_without_it():
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as bundle:
        bundle.writestr("payload.js", "alert(document.cookie)")
    polyglot = jpeg_bytes() + archive.getvalue()
    assert zipfile.is_zipfile(io.BytesIO(polyglot))
    checked = sanitize_upload(SimpleUploadedFile("photo.jpg", polyglot))
    assert b"PK\x03\x04" not in checked.content
    assert b"payload.js" not in checked.content
    assert not zipfile.is_zipfile(io.BytesIO(checked.content))
    assert checked.content.endswith(b"\xff\xd9")


def test_a_png_is_reencoded_without_text_chunks():
    from PIL.PngImagePlugin import PngInfo

    info = PngInfo()
    info.add_text("Comment", "secret-location")
    buffer = io.BytesIO()
    Image.new("RGB", (50, 50)).save(buffer, "PNG", pnginfo=info)
    checked = sanitize_upload(SimpleUploadedFile("scan.png", buffer.getvalue()))
    assert checked.content_type == "image/png"
    assert b"secret-location" not in checked.content
    assert sanitize_upload(SimpleUploadedFile("plain.png", png_bytes())).content_type == "image/png"


def test_an_html_page_named_pdf_is_refused():
    assert "Only PDF, JPEG and PNG" in refused(b"<!doctype html><script>alert(1)</script>", "passport.pdf")


def test_an_executable_renamed_jpg_is_refused():
    assert "Only PDF, JPEG and PNG" in refused(b"MZ\x90\x00\x03" + b"\x00" * 300, "photo.jpg")


def test_a_pdf_that_does_not_open_is_refused():
    assert "cannot be opened" in refused(b"%PDF-1.7\n<html><body>not a pdf</body></html>\n")


def test_a_valid_pdf_is_kept_byte_for_byte():
    content = pdf_bytes("diploma")
    checked = sanitize_upload(SimpleUploadedFile("diploma.pdf", content))
    assert checked.content == content
    assert checked.content_type == "application/pdf"
    assert checked.extension == "pdf"


def test_the_size_cap_comes_from_the_settings(settings):
    settings.UPLOAD_MAX_FILE_BYTES = 1000
    assert "larger than" in refused(pdf_bytes() + b" " * 1000)


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("../../etc/passwd", "passwd"),
        ("/etc/shadow", "shadow"),
        ("..\\..\\windows\\system32\\cmd.exe", "cmd.exe"),
        ("report\x00.pdf", "report.pdf"),
        ("invoice\u202efdp.exe", "invoicefdp.exe"),  # RTL override dropped: no hidden reversal
        ("\uff0e\uff0e\uff0f\uff0e\uff0e\uff0fetc\uff0fpasswd", "passwd"),  # full-width dots and slashes
        ("zero\u200bwidth.pdf", "zerowidth.pdf"),
        ("", "upload"),
        ("..", "upload"),
        ("a" * 300 + ".pdf", ("a" * 300 + ".pdf")[-200:]),
    ],
)
def test_original_names_are_cleaned_metadata(name, expected):
    assert clean_original_name(name) == expected
