"""Factories for the content library: kits driven through the real workflow."""

import itertools

from django.utils import timezone

from content import workflow
from content.models import AllowedDomain, Kit, Topic
from tests.accounts.factories import UserFactory

_counter = itertools.count(1)
LINK = "https://www.francetravail.fr/actualites/un-article"


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
