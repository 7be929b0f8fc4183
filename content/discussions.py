"""Discussions: a thread per kit and one general space, with moderation.

Who may read and write a kit's thread is who may see the kit: the ambassadors it
targets while it is live, and the editorial team at any time. A hidden message stays
in the thread as a placeholder; its author alone still reads it, with the reason.
"""

from django.db import transaction
from django.db.models import Count, Max, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.access import Role, can
from accounts.models import User
from advocacy.errors import Conflict, DomainError
from content.models import DiscussionMessage, Kit
from content.selectors import kits_live_for

MAX_LENGTH = 4000
# The roles that may take part: ambassadors and the people who run the programme.
PARTICIPANTS = (Role.AMBASSADOR, Role.CURATOR, Role.MODERATOR, Role.ADMIN)
EDITORIAL_TEAM = (Role.CURATOR, Role.MODERATOR, Role.ADMIN)


def kits_discussable_by(*, user: User) -> QuerySet:
    if can(user, *EDITORIAL_TEAM):
        return Kit.objects.all()
    if can(user, Role.AMBASSADOR):
        return kits_live_for(user=user)
    return Kit.objects.none()


def kit_for_discussion(*, user: User, slug: str):
    return kits_discussable_by(user=user).filter(slug=slug).first()


def messages_in(*, kit=None) -> QuerySet:
    """Messages of a kit's thread (or of the general space), newest first."""
    return (
        DiscussionMessage.objects.filter(kit=kit).select_related("author", "hidden_by").order_by("-created_at", "-pk")
    )


@transaction.atomic
def message_post(*, author: User, body: str, kit=None) -> DiscussionMessage:
    if not can(author, *PARTICIPANTS):
        raise DomainError(_("Rejoignez le programme pour participer aux discussions."), code="not_participant")
    if kit is not None and not kits_discussable_by(user=author).filter(pk=kit.pk).exists():
        raise DomainError(_("Ce kit n’est pas ouvert à la discussion pour vous."), code="kit_not_visible")
    body = (body or "").strip()
    if not body:
        raise DomainError(_("Le message est vide."), field="body")
    if len(body) > MAX_LENGTH:
        raise DomainError(_("Le message dépasse %(max)s caractères.") % {"max": MAX_LENGTH}, field="body")
    return DiscussionMessage.objects.create(kit=kit, author=author, body=body)


@transaction.atomic
def message_hide(*, message: DiscussionMessage, by: User, reason: str) -> DiscussionMessage:
    if not can(by, Role.MODERATOR):
        raise DomainError(_("Seuls les modérateurs peuvent masquer un message."), code="forbidden")
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("Indiquez le motif : l’auteur du message le verra."), field="reason")
    updated = DiscussionMessage.objects.filter(pk=message.pk, hidden_at__isnull=True).update(
        hidden_at=timezone.now(), hidden_by=by, hidden_reason=reason[:300]
    )
    if not updated:
        raise Conflict(_("Ce message est déjà masqué."), code="already_hidden")
    message.refresh_from_db()
    return message


def kits_with_recent_messages(*, user: User, limit: int = 10) -> list:
    """The kit threads a person may open, most recently active first (one query)."""
    return list(
        kits_discussable_by(user=user)
        .filter(messages__isnull=False)
        .annotate(message_count=Count("messages"), last_message_at=Max("messages__created_at"))
        .order_by("-last_message_at")
        .only("slug", "title")[:limit]
    )
