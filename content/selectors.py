"""Reads of the content library, always for a given person."""

from functools import reduce
from operator import or_

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from accounts.models import User
from content.models import Kit, SuggestedText


def _ancestor_paths(path: str) -> list[str]:
    """ "/dg/dr-bre/a-1/" → ["/dg/", "/dg/dr-bre/", "/dg/dr-bre/a-1/"]: the units covering it."""
    codes = [code for code in path.split("/") if code]
    return ["/" + "/".join(codes[: i + 1]) + "/" for i in range(len(codes))]


def kits_live_for(*, user: User, at=None) -> QuerySet[Kit]:
    """Published, unexpired kits meant for `user`: targeted to a unit covering theirs (or
    to everyone) and to their job function (or to every function). Unordered."""
    at = at or timezone.now()
    kits = Kit.objects.filter(status=Kit.Status.PUBLISHED).filter(Q(expires_at__isnull=True) | Q(expires_at__gt=at))
    targets = Kit.target_units.through.objects.filter(kit_id=OuterRef("pk"))
    paths = _ancestor_paths(user.unit.path) if user.unit_id else []
    kits = kits.filter(~Exists(targets) | Exists(targets.filter(orgunit__path__in=paths)))
    # Job functions are a JSON list; the quoted value cannot match a longer one.
    by_function = Q(target_job_functions=[])
    if user.job_function:
        by_function |= Q(target_job_functions__icontains=f'"{user.job_function}"')
    return kits.filter(by_function)


def audience_for_kit(*, kit: Kit) -> QuerySet[User]:
    """The active, opted-in ambassadors a kit is meant for."""
    people = User.objects.filter(is_active=True, opted_in_at__isnull=False)
    units = list(kit.target_units.all())
    if units:
        people = people.filter(reduce(or_, (Q(unit__path__startswith=unit.path) for unit in units)))
    if kit.target_job_functions:
        people = people.filter(job_function__in=kit.target_job_functions)
    return people


def kit_texts_for(*, kit: Kit, network: str) -> list[SuggestedText]:
    return [text for text in kit.texts.all() if text.fits(network)]
