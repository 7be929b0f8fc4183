"""Factories for guideline pages, stories with consent and discussions."""

import datetime as dt
import io

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from content import stories
from content.models_community import Consent, DiscussionMessage, GuidelinePage, Story

MINIMAL_PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def jpeg_upload(name="photo.jpg", size=(32, 24)):
    output = io.BytesIO()
    Image.new("RGB", size, (10, 120, 200)).save(output, format="JPEG")
    return SimpleUploadedFile(name, output.getvalue(), content_type="image/jpeg")


def pdf_upload(name="formulaire.pdf"):
    return SimpleUploadedFile(name, MINIMAL_PDF, content_type="application/pdf")


def consent_data(**overrides):
    data = {
        "subject_name": "Amélie Durand",
        "subject_contact": "amelie@example.org",
        "given_at": dt.date(2026, 11, 2),
        "uses": [Consent.Use.SOCIAL_NETWORKS],
        "channel": Consent.Channel.PAPER,
        "text_version": stories.CONSENT_TEXT_VERSION,
    }
    data.update(overrides)
    return data


def make_story(author, *, kind=Story.Kind.STORY, photos=0, signed_form=False, **fields) -> Story:
    fields.setdefault("title", "Un recrutement réussi à Rennes")
    fields.setdefault("body", "Grâce au forum de l’agence, une PME du bâtiment a recruté trois apprentis.")
    consent = fields.pop("consent", None)
    if kind != Story.Kind.STORY and consent is None:
        consent = consent_data()
    return stories.story_propose(
        author=author,
        kind=kind,
        photos=[stories.PhotoInput(jpeg_upload(), f"Photo {n}") for n in range(photos)],
        consent=consent,
        signed_form=pdf_upload() if signed_form else None,
        **fields,
    )


def guideline_page(by, *, slug="personnaliser", title="Personnaliser un message", body="<p>Conseils</p>"):
    from content import pages

    existing = GuidelinePage.objects.filter(slug=slug).first()
    return existing or pages.guideline_page_save(by=by, slug=slug, title=title, body=body)


def message(author, *, kit=None, body="Une question sur ce kit ?") -> DiscussionMessage:
    return DiscussionMessage.objects.create(kit=kit, author=author, body=body)
