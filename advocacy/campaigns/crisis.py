"""The crisis brake: the global pause, kit retraction with its requests to delete posts,
their acknowledgements and reminders. Every action is written to the crisis journal."""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from advocacy.campaigns import sending
from advocacy.campaigns.models import CrisisEvent, Pause
from advocacy.campaigns.selectors import pause_current
from advocacy.errors import Conflict, DomainError


def crisis_record(*, action: str, actor=None, reason: str = "", detail: str = "") -> CrisisEvent:
    return CrisisEvent.objects.create(action=action, actor=actor, reason=reason, detail=detail[:300])


# --- Global pause ---------------------------------------------------------------------


@transaction.atomic
def pause_set(*, by, reason: str, ends_at) -> Pause:
    """Stop new shares and notifications until `ends_at` (or until lifted)."""
    reason = (reason or "").strip()
    now = timezone.now()
    if not reason:
        raise DomainError(_("Indiquez le motif de la pause."), field="reason")
    if ends_at is None or ends_at <= now:
        raise DomainError(_("La fin de la pause doit être dans le futur."), field="ends_at")
    if ends_at > now + timedelta(days=30):
        raise DomainError(_("Une pause dure au plus 30 jours."), field="ends_at")
    if pause_current(now) is not None:
        raise Conflict(_("Une pause globale est déjà en cours."), code="pause_active")
    pause = Pause.objects.create(reason=reason, starts_at=now, ends_at=ends_at, set_by=by)
    crisis_record(
        action=CrisisEvent.Action.PAUSE_SET,
        actor=by,
        reason=reason,
        detail=_("jusqu’au %(end)s") % {"end": timezone.localtime(ends_at).strftime("%d/%m/%Y %H:%M")},
    )
    return pause


@transaction.atomic
def pause_lift(*, by, reason: str = "") -> Pause:
    pause = pause_current()
    if pause is None:
        raise Conflict(_("Aucune pause globale n’est en cours."), code="no_pause")
    now = timezone.now()
    Pause.objects.filter(pk=pause.pk).update(lifted_at=now, lifted_by=by, ended_handled_at=now)
    pause.refresh_from_db()
    crisis_record(action=CrisisEvent.Action.PAUSE_LIFTED, actor=by, reason=reason.strip())
    sending.campaigns_resume()
    return pause


def pauses_end_due() -> int:
    """Write the end of pauses that expired by themselves and resume held campaigns.
    The pause itself stops at `ends_at` whatever this does: pause_active() reads it."""
    now = timezone.now()
    ended = 0
    for pause in Pause.objects.filter(ended_handled_at__isnull=True, ends_at__lte=now):
        # The conditional UPDATE makes a second beat run a no-op.
        if Pause.objects.filter(pk=pause.pk, ended_handled_at__isnull=True).update(ended_handled_at=now):
            if pause.lifted_at is None:
                crisis_record(action=CrisisEvent.Action.PAUSE_ENDED, reason=pause.reason)
            ended += 1
    if ended:
        sending.campaigns_resume()
    return ended
