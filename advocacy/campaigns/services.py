"""Writes of the campaigns app that people start: announcements, reading notifications,
unsubscribing. Sending itself lives in sending.py, the crisis brake in crisis.py."""

from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import services as account_services
from accounts.models import JobFunction, NotificationPreference, OrgUnit, User
from advocacy.campaigns import sending, tokens
from advocacy.campaigns.models import Campaign, Notification
from advocacy.campaigns.selectors import targeted_ambassadors, unread_forget
from advocacy.errors import Conflict, DomainError


def announcement_send(
    *, by: User, subject: str, body: str, units: list[OrgUnit] = (), job_functions: list[str] = (), url: str = ""
) -> Campaign:
    """A curator's announcement to the ambassadors of `units` (none: everyone) and
    `job_functions` (none: every function), signed by the curator. It reaches everyone
    in the portal, and by e-mail those who did not turn e-mails off."""
    subject, body = (subject or "").strip(), (body or "").strip()
    if not subject:
        raise DomainError(_("Indiquez l’objet de l’annonce."), field="subject")
    if not body:
        raise DomainError(_("Écrivez le message de l’annonce."), field="body")
    unknown = [f for f in job_functions if f not in JobFunction.values]
    if unknown:
        raise DomainError(_("Fonction inconnue : %(f)s.") % {"f": unknown[0]}, field="job_functions")
    if url and not (url.startswith("https://") or url.startswith("/")):
        raise DomainError(_("Le lien doit commencer par https://."), field="url")
    audience = targeted_ambassadors(units=units, job_functions=job_functions)
    campaign = sending.campaign_create(
        kind=Campaign.Kind.ANNOUNCEMENT,
        subject=subject,
        body=body,
        sender=by,
        url=url,
        units=units,
        job_functions=job_functions,
    )
    recipients = (
        (pk, preference != NotificationPreference.NONE)
        for pk, preference in audience.order_by("pk").values_list("pk", "notification_preference")
    )
    sending.campaign_queue(campaign=campaign, recipients=recipients)
    return campaign


def notification_read(*, user: User, notification: Notification) -> Notification:
    if notification.recipient_id != user.pk:
        raise DomainError(_("Cette notification ne vous est pas destinée."), code="not_found")
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
        unread_forget(user.pk)
    return notification


def notifications_read_all(*, user: User) -> int:
    marked = Notification.objects.filter(recipient=user, read_at__isnull=True).update(read_at=timezone.now())
    unread_forget(user.pk)
    return marked


def unsubscribe_user(token: str) -> User:
    """The person a valid unsubscribe link names; raises tokens.InvalidToken otherwise."""
    payload = tokens.unsubscribe_payload(token)
    user = User.objects.filter(pk=payload.get("u"), email=payload.get("e")).first()
    if user is None:
        raise tokens.InvalidToken(expired=False)
    return user


def unsubscribe_apply(*, token: str) -> User:
    """Turn notification e-mails off for the person the link names (portal only)."""
    user = unsubscribe_user(token)
    if user.notification_preference == NotificationPreference.NONE:
        raise Conflict(_("Vous ne recevez déjà plus nos e-mails."), code="already_unsubscribed")
    return account_services.profile_update(user=user, notification_preference=NotificationPreference.NONE)
