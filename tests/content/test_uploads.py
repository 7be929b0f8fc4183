"""Uploads (content.uploads): the type is read from the bytes, sizes are capped, and
images come out with their pixels only."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from advocacy.errors import DomainError
from content import uploads

GPS_IFD = 0x8825


def jpeg_with_gps(size=(64, 48)) -> bytes:
    image = Image.new("RGB", size, (200, 30, 30))
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # camera make
    exif[0x0112] = 6  # orientation: rotate 90°
    exif.get_ifd(GPS_IFD).update({1: "N", 2: (48.0, 6.0, 30.0), 3: "W", 4: (1.0, 40.0, 0.0)})
    output = io.BytesIO()
    image.save(output, format="JPEG", exif=exif)
    return output.getvalue()


def png_bytes(size=(10, 10)) -> bytes:
    output = io.BytesIO()
    Image.new("RGBA", size, (0, 0, 0, 0)).save(output, format="PNG")
    return output.getvalue()


MINIMAL_PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def upload(name, data, content_type="image/jpeg"):
    return SimpleUploadedFile(name, data, content_type=content_type)


def test_gps_and_camera_metadata_are_stripped_and_orientation_applied():
    original = Image.open(io.BytesIO(jpeg_with_gps()))
    assert original.getexif().get_ifd(GPS_IFD)

    cleaned = uploads.clean_image(upload("photo.jpg", jpeg_with_gps()))

    result = Image.open(cleaned.content)
    assert result.format == "JPEG"
    exif = result.getexif()
    assert not exif.get_ifd(GPS_IFD)
    assert 0x010F not in exif and 0x0112 not in exif
    assert b"PhoneMaker" not in cleaned.content.read()
    assert result.size == (48, 64)  # turned upright before the orientation tag was dropped
    assert cleaned.content.name.endswith(".jpg") and "photo" not in cleaned.content.name


def test_png_is_accepted_and_keeps_its_transparency_mode():
    cleaned = uploads.clean_image(upload("visuel.PNG", png_bytes(), "image/png"))
    assert cleaned.content_type == "image/png"
    assert Image.open(cleaned.content).mode == "RGBA"


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("notes.txt", b"hello world"),
        ("logo.svg", b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"></svg>'),
        ("page.html", b"<html><script>alert(1)</script></html>"),
    ],
)
def test_wrong_types_are_refused(name, data):
    with pytest.raises(DomainError) as error:
        uploads.clean_image(upload(name, data, "image/jpeg"))
    assert error.value.code == "file_type"
    assert "image" in error.value.message


def test_a_pdf_disguised_as_a_jpeg_is_refused():
    with pytest.raises(DomainError) as error:
        uploads.clean_image(upload("photo.jpg", MINIMAL_PDF, "image/jpeg"))
    assert error.value.code == "file_type"


def test_a_png_named_jpg_is_refused():
    with pytest.raises(DomainError) as error:
        uploads.clean_image(upload("photo.jpg", png_bytes(), "image/jpeg"))
    assert error.value.code == "file_type_mismatch"


def test_truncated_image_is_refused():
    with pytest.raises(DomainError) as error:
        uploads.clean_image(upload("photo.jpg", jpeg_with_gps()[:200]))
    assert error.value.code == "file_corrupt"


def test_oversized_file_is_refused(settings):
    settings.CONTENT_IMAGE_MAX_BYTES = 1000
    with pytest.raises(DomainError) as error:
        uploads.clean_image(upload("photo.jpg", jpeg_with_gps((400, 400))))
    assert error.value.code == "file_too_large"
    assert "taille maximale" in error.value.message


def test_too_many_pixels_is_refused(settings):
    settings.CONTENT_IMAGE_MAX_PIXELS = 100
    with pytest.raises(DomainError) as error:
        uploads.clean_image(upload("photo.png", png_bytes((20, 20)), "image/png"))
    assert error.value.code == "image_too_large"


def test_signed_form_accepts_a_pdf_or_a_photo_only():
    cleaned = uploads.clean_document(upload("formulaire.pdf", MINIMAL_PDF, "application/pdf"))
    assert cleaned.kind == "pdf" and cleaned.content.read() == MINIMAL_PDF
    photo = uploads.clean_document(upload("scan.jpg", jpeg_with_gps()))
    assert photo.kind == "image" and not Image.open(photo.content).getexif().get_ifd(GPS_IFD)
    with pytest.raises(DomainError):
        uploads.clean_document(upload("formulaire.pdf", b"PK\x03\x04 a zip file", "application/pdf"))
    with pytest.raises(DomainError) as error:
        uploads.clean_document(upload("formulaire.docx", MINIMAL_PDF, "application/pdf"))
    assert error.value.code == "file_type_mismatch"


def test_empty_file_is_refused():
    with pytest.raises(DomainError) as error:
        uploads.clean_image(upload("photo.jpg", b""))
    assert error.value.code == "file_empty"
