"""Factories for the content library: kits driven through the real workflow, stories with
their consent, guideline pages and discussion messages."""

import datetime as dt
import io
import itertools

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from content import pages, stories, workflow
from content.models import AllowedDomain, Consent, DiscussionMessage, GuidelinePage, Kit, Story, Topic
from tests.accounts.factories import UserFactory

_counter = itertools.count(1)
LINK = "https://www.francetravail.fr/actualites/un-article"
MINIMAL_PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def allow_default_domains():
    for domain in ("francetravail.fr", "pole-emploi.fr"):
        AllowedDomain.objects.get_or_create(domain=domain)


def topic(name="Emploi des jeunes"):
    from django.utils.text import slugify

    return Topic.objects.get_or_create(slug=slugify(name), defaults={"name": name})[0]


def make_kit(
    *,
    author=None,
    approver=None,
    status=Kit.Status.DRAFT,
    texts=None,
    title=None,
    **fields,
) -> Kit:
    """A kit brought to `status` through the workflow's own services, as in production."""
    allow_default_domains()
    author = author or UserFactory(curator=True)
    kit = workflow.kit_create(
        by=author,
        title=title or f"Kit n°{next(_counter)}",
        link=fields.pop("link", LINK),
        texts=texts if texts is not None else [{"body": "Un texte pour partager #AvecPôleEmploi", "networks": []}],
        **fields,
    )
    if status == Kit.Status.DRAFT:
        return kit
    if status == Kit.Status.ARCHIVED:
        return workflow.kit_archive(kit=kit, by=author)
    kit = workflow.kit_submit(kit=kit, by=author)
    if status == Kit.Status.SUBMITTED:
        return kit
    approver = approver or UserFactory(moderator=True)
    if status == Kit.Status.CHANGES_REQUESTED:
        return workflow.kit_request_changes(kit=kit, by=approver, comment="À reprendre.")
    if status == Kit.Status.APPROVED:
        if kit.publish_at is None or kit.publish_at <= timezone.now():
            workflow.kit_update(kit=kit, by=author, publish_at=timezone.now() + timezone.timedelta(days=1))
            kit.refresh_from_db()
        return workflow.kit_approve(kit=kit, by=approver)
    kit = workflow.kit_approve(kit=kit, by=approver)
    if kit.status == Kit.Status.APPROVED:
        kit = workflow.kit_publish(kit=kit)
    if status == Kit.Status.PUBLISHED:
        return kit
    if status == Kit.Status.EXPIRED:
        return workflow.kit_expire(kit=kit)
    if status == Kit.Status.RETRACTED:
        return workflow.kit_retract(kit=kit, by=approver, reason="Contenu inadapté.")
    raise ValueError(status)


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
    existing = GuidelinePage.objects.filter(slug=slug).first()
    return existing or pages.guideline_page_save(by=by, slug=slug, title=title, body=body)


def message(author, *, kit=None, body="Une question sur ce kit ?") -> DiscussionMessage:
    return DiscussionMessage.objects.create(kit=kit, author=author, body=body)
