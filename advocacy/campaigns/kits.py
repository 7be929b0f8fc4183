"""Telling ambassadors about kits: the KIT_PUBLISHED hook and the daily and weekly digests.

Everyone the kit targets sees it in the portal at once. By e-mail, each person gets it
according to their preference: immediately, in the next daily or weekly digest (a
DigestItem waits for it), or not at all.
"""

from django.db import IntegrityError, transaction
from django.urls import NoReverseMatch, reverse
from django.utils import timezone, translation
from django.utils.html import strip_tags
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.models import NotificationPreference
from advocacy.campaigns import composer, sending
from advocacy.campaigns.models import Campaign, DigestItem
from content.models import Kit
from content.selectors import audience_for_kit

P = NotificationPreference


def kit_url(kit: Kit) -> str:
    """The kit's page in the ambassadors' portal (the sharing app's), or the home page."""
    for name in ("sharing:kit_detail", "sharing:kit"):
        try:
            return reverse(name, args=[kit.pk])
        except NoReverseMatch:
            continue
    return reverse("home")


def kit_published_notify(kit: Kit) -> Campaign | None:
    """KIT_PUBLISHED hook: one campaign to the kit's audience, each as they prefer.
    Running it twice for the same kit does nothing the second time."""
    if Campaign.objects.filter(kit=kit, kind=Campaign.Kind.KIT_PUBLISHED).exists():
        return None
    audience = list(audience_for_kit(kit=kit).order_by("pk").values_list("pk", "notification_preference"))
    with translation.override("fr"):
        subject = _("Nouveau kit à partager : %(title)s") % {"title": kit.title}
        body = strip_tags(kit.brief or "").strip() or kit.title
    try:
        with transaction.atomic():
            campaign = sending.campaign_create(
                kind=Campaign.Kind.KIT_PUBLISHED,
                subject=subject,
                body=body,
                sender=kit.author,
                url=kit_url(kit),
                kit=kit,
            )
            now = timezone.now()
            DigestItem.objects.bulk_create(
                [
                    DigestItem(recipient_id=pk, kit=kit, frequency=preference, created_at=now)
                    for pk, preference in audience
                    if preference in (P.DAILY, P.WEEKLY)
                ],
                ignore_conflicts=True,
            )
            sending.campaign_queue(
                campaign=campaign, recipients=((pk, preference == P.IMMEDIATE) for pk, preference in audience)
            )
    except IntegrityError:  # the same hook ran at the same time elsewhere
        return None
    return campaign


def digests_send(*, frequency: str) -> int:
    """Send the pending daily (or weekly) digests: one e-mail per person listing the
    kits published since their last digest and still live. Returns the recipient count."""
    pending = DigestItem.objects.filter(frequency=frequency, campaign__isnull=True)
    # A kit retracted or expired before the digest left is no longer worth announcing.
    pending.exclude(kit__status=Kit.Status.PUBLISHED).delete()
    pks = list(pending.values_list("pk", flat=True))
    if not pks:
        return 0
    latest = pending.select_related("kit__author").order_by("-kit__published_at").first()
    with translation.override("fr"):
        subject = (
            _("Votre résumé quotidien des nouveaux kits")
            if frequency == P.DAILY
            else _("Votre résumé hebdomadaire des nouveaux kits")
        )
        body = _("Voici les kits publiés depuis votre dernier résumé, prêts à partager :")
    with transaction.atomic():
        campaign = sending.campaign_create(
            kind=Campaign.Kind.DIGEST, subject=subject, body=body, sender=latest.kit.author if latest else None
        )
        # The conditional UPDATE is what makes a kit go into one digest only, even if
        # two beat runs overlap.
        DigestItem.objects.filter(pk__in=pks, campaign__isnull=True).update(campaign=campaign)
        recipients = sorted(set(campaign.items.values_list("recipient_id", flat=True)))
        if not recipients:
            campaign.delete()
            return 0
        sending.campaign_queue(campaign=campaign, recipients=((pk, True) for pk in recipients), portal=False)
    return len(recipients)


def _digest_lines(campaign: Campaign, user_ids: list[int]) -> dict[int, str]:
    items = (
        DigestItem.objects.filter(campaign=campaign, recipient_id__in=user_ids)
        .select_related("kit")
        .order_by("kit__published_at", "kit_id")
    )
    lines: dict[int, list[str]] = {}
    for item in items:
        url = composer.absolute(kit_url(item.kit))
        lines.setdefault(item.recipient_id, []).append(f"• {item.kit.title}\n  {url}")
    return {
        pk: ngettext("%(n)s kit :", "%(n)s kits :", len(entries)) % {"n": len(entries)} + "\n\n" + "\n\n".join(entries)
        for pk, entries in lines.items()
    }


sending.PERSONALISERS[Campaign.Kind.DIGEST] = _digest_lines


def digest_items_forget(user) -> None:
    """LEAVE hook: someone who leaves the programme gets no digest of what they missed."""
    DigestItem.objects.filter(recipient=user, campaign__isnull=True).delete()
