"""Checking and cleaning uploaded files: story photos, kit visuals, signed consent forms.

A file's type is judged by its bytes, never by its name or by the type the browser
claims, and images are re-encoded by Pillow so that nothing but pixels survives: no
GPS position, no camera serial, no comment, no script hidden in a polyglot file.
"""

import io
import uuid
from dataclasses import dataclass

from django.conf import settings
from django.core.files.base import ContentFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from advocacy.errors import DomainError

# Magic numbers of the formats we accept, and the extensions each may carry.
IMAGE_FORMATS = {
    "JPEG": {"extension": "jpg", "names": {"jpg", "jpeg"}, "content_type": "image/jpeg"},
    "PNG": {"extension": "png", "names": {"png"}, "content_type": "image/png"},
    "WEBP": {"extension": "webp", "names": {"webp"}, "content_type": "image/webp"},
    "GIF": {"extension": "gif", "names": {"gif"}, "content_type": "image/gif"},
}
PDF = {"extension": "pdf", "names": {"pdf"}, "content_type": "application/pdf"}


def sniff(head: bytes) -> str:
    """The format the first bytes of a file announce ("JPEG", "PNG", "WEBP", "GIF",
    "PDF"), or "" when they announce none of them."""
    if head.startswith(b"\xff\xd8\xff"):
        return "JPEG"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "PNG"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "WEBP"
    if head[:6] in (b"GIF87a", b"GIF89a"):
        return "GIF"
    if head.startswith(b"%PDF-"):
        return "PDF"
    return ""


@dataclass(frozen=True)
class CleanedFile:
    content: ContentFile
    content_type: str
    kind: str  # "image" or "pdf"
    width: int | None = None
    height: int | None = None


def _extension(name: str) -> str:
    return name.rsplit(".", 1)[-1].lower() if "." in (name or "") else ""


def _read(upload, max_bytes: int, field: str) -> bytes:
    size = getattr(upload, "size", None)
    if size is not None and size > max_bytes:
        raise DomainError(_too_big(max_bytes), code="file_too_large", field=field)
    if hasattr(upload, "seek"):
        upload.seek(0)
    data = upload.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise DomainError(_too_big(max_bytes), code="file_too_large", field=field)
    if not data:
        raise DomainError(_("Le fichier est vide."), code="file_empty", field=field)
    return data


def _too_big(max_bytes: int) -> str:
    return _("Le fichier dépasse la taille maximale de %(size)s.") % {"size": filesizeformat(max_bytes)}


def _check_name(name: str, expected: dict, found_format: str, field: str) -> None:
    extension = _extension(name)
    if extension not in expected["names"]:
        raise DomainError(
            _("Le nom du fichier (.%(extension)s) ne correspond pas à son contenu (%(format)s).")
            % {"extension": extension or "?", "format": found_format},
            code="file_type_mismatch",
            field=field,
        )


def clean_image(upload, *, field: str = "image", max_bytes: int | None = None) -> CleanedFile:
    """Check that `upload` is a JPEG, PNG, WebP or GIF image of acceptable size and
    return a re-encoded copy without any metadata (orientation applied first, so the
    picture still stands the right way up)."""
    max_bytes = max_bytes or settings.CONTENT_IMAGE_MAX_BYTES
    data = _read(upload, max_bytes, field)
    found = sniff(data[:16])
    if found not in IMAGE_FORMATS:
        raise DomainError(
            _("Ce fichier n’est pas une image acceptée : envoyez une image JPEG, PNG, WebP ou GIF."),
            code="file_type",
            field=field,
        )
    _check_name(getattr(upload, "name", ""), IMAGE_FORMATS[found], found, field)
    try:
        with Image.open(io.BytesIO(data)) as probe:
            probe.verify()
        image = Image.open(io.BytesIO(data))
        if image.format != found:
            raise DomainError(_("Cette image est endommagée ou déguisée."), code="file_type_mismatch", field=field)
        if image.width * image.height > settings.CONTENT_IMAGE_MAX_PIXELS:
            raise DomainError(_("Cette image a trop de pixels."), code="image_too_large", field=field)
        image.load()
    except DomainError:
        raise
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError) as exc:
        raise DomainError(_("Cette image est endommagée ou illisible."), code="file_corrupt", field=field) from exc

    return CleanedFile(
        content=ContentFile(_reencode(image, found), name=f"{uuid.uuid4().hex}.{IMAGE_FORMATS[found]['extension']}"),
        content_type=IMAGE_FORMATS[found]["content_type"],
        kind="image",
        width=image.width,
        height=image.height,
    )


def _reencode(image: Image.Image, image_format: str) -> bytes:
    # Animated GIFs keep only their first frame: a visual for a post, not a film.
    image = ImageOps.exif_transpose(image) or image
    if image_format == "JPEG" and image.mode not in ("RGB", "L"):
        image = image.convert("RGB")
    # A fresh image holds the pixels only: no EXIF (GPS, camera), XMP, ICC comment or text chunk.
    if image.mode == "P":
        clean = image.copy()
        clean.info = {key: value for key, value in image.info.items() if key == "transparency"}
    else:
        clean = Image.new(image.mode, image.size)
        clean.paste(image)
    output = io.BytesIO()
    options = {"JPEG": {"quality": 90}, "PNG": {"optimize": True}, "WEBP": {"quality": 90}, "GIF": {}}[image_format]
    clean.save(output, format=image_format, **options)
    return output.getvalue()


def clean_document(upload, *, field: str = "signed_form", max_bytes: int | None = None) -> CleanedFile:
    """A signed form: a PDF (kept as is, type checked) or a photo of the paper (cleaned
    like any image)."""
    max_bytes = max_bytes or settings.CONTENT_DOCUMENT_MAX_BYTES
    data = _read(upload, max_bytes, field)
    found = sniff(data[:16])
    if found in IMAGE_FORMATS:
        if hasattr(upload, "seek"):
            upload.seek(0)
        return clean_image(upload, field=field, max_bytes=max_bytes)
    if found != "PDF":
        raise DomainError(
            _("Ce fichier n’est pas accepté : envoyez un PDF ou une photo (JPEG, PNG)."), code="file_type", field=field
        )
    _check_name(getattr(upload, "name", ""), PDF, found, field)
    if b"%%EOF" not in data[-2048:]:
        raise DomainError(_("Ce PDF est incomplet ou endommagé."), code="file_corrupt", field=field)
    return CleanedFile(
        content=ContentFile(data, name=f"{uuid.uuid4().hex}.pdf"), content_type=PDF["content_type"], kind="pdf"
    )
