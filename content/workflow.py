"""The kit workflow: the only code that creates, edits and moves kits between statuses.

draft → submitted → (changes requested → submitted)* → approved → published → expired,
plus retracted (from published, the crisis brake) and archived. Four eyes: whoever
approves is neither the kit's author nor its last editor, and any edit after approval
sends the kit back to review. Every transition is recorded, every edit saves a version.

One transition is not gated by a role but by a fact: when the person a testimonial
quotes withdraws their consent, every kit made from it leaves circulation under the
name of whoever recorded the withdrawal (`kit_take_down_for_consent`).
"""

from collections.abc import Callable, Iterable

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from accounts.access import Role, roles_of
from accounts.models import JobFunction, Network, OrgUnit, User
from advocacy import richtext
from advocacy.errors import Conflict, DomainError
from content.links import link_problem
from content.models import Kit, KitTransition, KitVersion, KitVisual, SuggestedText, Topic

S = Kit.Status

# Who may move a kit from which status to which, and through which action.
TRANSITIONS: dict[str, tuple[frozenset[str], str]] = {
    "submit": (frozenset({S.DRAFT, S.CHANGES_REQUESTED}), S.SUBMITTED),
    "request_changes": (frozenset({S.SUBMITTED, S.APPROVED}), S.CHANGES_REQUESTED),
    "approve": (frozenset({S.SUBMITTED}), S.APPROVED),
    "publish": (frozenset({S.APPROVED}), S.PUBLISHED),
    "expire": (frozenset({S.PUBLISHED}), S.EXPIRED),
    "retract": (frozenset({S.PUBLISHED}), S.RETRACTED),
    "archive": (frozenset({S.DRAFT, S.CHANGES_REQUESTED, S.SUBMITTED, S.APPROVED, S.EXPIRED, S.RETRACTED}), S.ARCHIVED),
}
EDITABLE = frozenset({S.DRAFT, S.SUBMITTED, S.CHANGES_REQUESTED, S.APPROVED})
# Kits that have not reached any feed yet (archived, not retracted, when taken down).
NOT_YET_OUT = frozenset({S.DRAFT, S.SUBMITTED, S.CHANGES_REQUESTED, S.APPROVED})

# Other apps react to a kit's life from their AppConfig.ready(): `hook(kit)` runs after
# the transaction that moved the kit commits.
KIT_PUBLISHED_HOOKS: list[Callable[[Kit], None]] = []
KIT_RETRACTED_HOOKS: list[Callable[[Kit], None]] = []
KIT_EXPIRED_HOOKS: list[Callable[[Kit], None]] = []

EDITABLE_FIELDS = (
    "title",
    "brief",
    "link",
    "language",
    "hashtags",
    "target_job_functions",
    "publish_at",
    "expires_at",
    "is_important",
)
DEFAULT_HASHTAG = "AvecPôleEmploi"


# --- Preconditions -------------------------------------------------------------------


def _require(user: User, *roles: Role) -> None:
    if not roles_of(user) & set(roles):
        raise DomainError(_("Votre rôle ne permet pas cette action."), code="forbidden_role")


def _allowed(kit: Kit, action: str) -> str:
    sources, target = TRANSITIONS[action]
    if kit.status not in sources:
        raise Conflict(
            _("Impossible depuis le statut « %(status)s ».") % {"status": kit.get_status_display()},
            code="invalid_transition",
        )
    return target


def can_approve(kit: Kit, user: User) -> bool:
    """The four-eyes rule, for templates and the API: may `user` approve `kit` now?"""
    return (
        kit.status == S.SUBMITTED
        and Role.MODERATOR in roles_of(user)
        and user.pk not in (kit.author_id, kit.last_editor_id)
    )


def _move(kit: Kit, action: str, *, by: User | None, comment: str = "", **changes) -> Kit:
    """Move `kit` with a conditional UPDATE so that two concurrent actions cannot both win."""
    target = _allowed(kit, action)
    now = timezone.now()
    claimed = Kit.objects.filter(pk=kit.pk, status=kit.status).update(status=target, updated_at=now, **changes)
    if not claimed:
        raise Conflict(_("Ce kit vient d’être modifié par quelqu’un d’autre. Rechargez la page."), code="stale")
    KitTransition.objects.create(kit=kit, from_status=kit.status, to_status=target, by=by, at=now, comment=comment)
    kit.refresh_from_db()
    return kit


def _on_commit(hooks: Iterable[Callable[[Kit], None]], kit: Kit) -> None:
    for hook in list(hooks):
        transaction.on_commit(lambda hook=hook: hook(kit))


# --- Editing -------------------------------------------------------------------------


def _unique_slug(title: str) -> str:
    base = slugify(title)[:70] or "kit"
    slug, n = base, 1
    while Kit.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


def _clean_hashtags(tags: Iterable[str]) -> list[str]:
    cleaned = []
    for tag in tags:
        tag = tag.strip().lstrip("#＃").strip()
        if not tag:
            continue
        if any(ch.isspace() for ch in tag):
            raise DomainError(_("Un hashtag ne contient pas d’espace : « %(tag)s ».") % {"tag": tag}, field="hashtags")
        if tag.casefold() not in {t.casefold() for t in cleaned}:
            cleaned.append(tag)
    return cleaned


def _validate(fields: dict) -> dict:
    if "title" in fields:
        fields["title"] = fields["title"].strip()
        if not fields["title"]:
            raise DomainError(_("Le titre est obligatoire."), field="title")
    if "brief" in fields:
        fields["brief"] = richtext.sanitize(fields["brief"] or "")
    if "link" in fields:
        problem = link_problem(fields["link"] or "")
        if problem:
            raise DomainError(problem, field="link")
    if "hashtags" in fields:
        fields["hashtags"] = _clean_hashtags(fields["hashtags"] or [])
    if "target_job_functions" in fields:
        values = list(dict.fromkeys(fields["target_job_functions"] or []))
        unknown = set(values) - set(JobFunction.values)
        if unknown:
            raise DomainError(_("Fonction inconnue : %(values)s.") % {"values": ", ".join(sorted(unknown))})
        fields["target_job_functions"] = values
    if "language" in fields and fields["language"] not in Kit.Language.values:
        raise DomainError(_("Langue inconnue."), field="language")
    return fields


def _validate_texts(texts: list[dict]) -> list[dict]:
    cleaned = []
    for text in texts:
        body = (text.get("body") or "").strip()
        if not body:
            continue
        networks = list(dict.fromkeys(text.get("networks") or []))
        unknown = set(networks) - set(Network.values)
        if unknown:
            raise DomainError(_("Réseau inconnu : %(values)s.") % {"values": ", ".join(sorted(unknown))}, field="texts")
        cleaned.append({"body": body, "networks": networks})
    return cleaned


def snapshot(kit: Kit) -> dict:
    """The editable content of a kit as plain data, as saved in each version."""
    return {
        "title": kit.title,
        "brief": kit.brief,
        "link": kit.link,
        "language": kit.language,
        "hashtags": list(kit.hashtags),
        "topics": sorted(t.name for t in kit.topics.all()),
        "target_units": sorted(u.name for u in kit.target_units.all()),
        "target_job_functions": list(kit.target_job_functions),
        "publish_at": kit.publish_at.isoformat() if kit.publish_at else None,
        "expires_at": kit.expires_at.isoformat() if kit.expires_at else None,
        "is_important": kit.is_important,
        "texts": [{"body": t.body, "networks": list(t.networks)} for t in kit.texts.all()],
        "visuals": [
            {"kind": v.kind, "image": v.image.name if v.image else "", "alt_text": v.alt_text, "video_url": v.video_url}
            for v in kit.visuals.all()
        ],
    }


def _save_version(kit: Kit, by: User) -> KitVersion:
    Kit.objects.filter(pk=kit.pk).update(version=kit.version + 1)
    kit.version += 1
    return KitVersion.objects.create(kit=kit, number=kit.version, snapshot=snapshot(kit), by=by)


def _apply_relations(kit: Kit, *, texts, topics, target_units) -> None:
    if texts is not None:
        kit.texts.all().delete()
        SuggestedText.objects.bulk_create(
            SuggestedText(kit=kit, body=t["body"], networks=t["networks"], position=i)
            for i, t in enumerate(_validate_texts(texts))
        )
    if topics is not None:
        kit.topics.set(topics)
    if target_units is not None:
        kit.target_units.set(target_units)


def _check_window(kit: Kit) -> None:
    if kit.publish_at and kit.expires_at and kit.expires_at <= kit.publish_at:
        raise DomainError(_("L’expiration doit suivre la publication."), field="expires_at")


def _check_not_expired(kit: Kit) -> None:
    # A draft may keep an old date while it is written; a kit sent to review or approved
    # with it would be published and expired within the minute.
    if kit.expires_at and kit.expires_at <= timezone.now():
        raise DomainError(
            _("La date d’expiration est passée : changez-la, ou videz-la pour un kit sans expiration."),
            field="expires_at",
            code="expired_window",
        )


@transaction.atomic
def kit_create(
    *,
    by: User,
    title: str,
    link: str,
    texts: list[dict] | None = None,
    topics: Iterable[Topic] | None = None,
    target_units: Iterable[OrgUnit] | None = None,
    **fields,
) -> Kit:
    """A new draft by a curator. #AvecPôleEmploi is added to its hashtags unless removed later."""
    _require(by, Role.CURATOR)
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise DomainError(_("Champ non modifiable : %(fields)s.") % {"fields": ", ".join(sorted(unknown))})
    fields.setdefault("hashtags", [DEFAULT_HASHTAG])
    fields = _validate({"title": title, "link": link, **fields})
    kit = Kit(slug=_unique_slug(fields["title"]), author=by, last_editor=by, **fields)
    _check_window(kit)
    kit.save()
    KitTransition.objects.create(kit=kit, from_status="", to_status=S.DRAFT, by=by, at=kit.created_at)
    _apply_relations(kit, texts=texts or [], topics=topics, target_units=target_units)
    _save_version(kit, by)
    return kit


@transaction.atomic
def kit_update(
    *,
    kit: Kit,
    by: User,
    texts: list[dict] | None = None,
    topics: Iterable[Topic] | None = None,
    target_units: Iterable[OrgUnit] | None = None,
    comment: str = "",
    **fields,
) -> Kit:
    """Edit a kit that is not yet out. An edit to an approved kit sends it back to review."""
    _require(by, Role.CURATOR)
    kit = Kit.objects.select_for_update().get(pk=kit.pk)
    if kit.status not in EDITABLE:
        raise Conflict(
            _("Un kit « %(status)s » ne se modifie plus.") % {"status": kit.get_status_display()},
            code="not_editable",
        )
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise DomainError(_("Champ non modifiable : %(fields)s.") % {"fields": ", ".join(sorted(unknown))})
    fields = _validate(fields)
    before = snapshot(kit)
    for name, value in fields.items():
        setattr(kit, name, value)
    _check_window(kit)
    kit.last_editor = by
    kit.updated_at = timezone.now()
    kit.save(update_fields=[*fields, "last_editor", "updated_at"])
    _apply_relations(kit, texts=texts, topics=topics, target_units=target_units)
    if snapshot(kit) == before:
        return kit
    _save_version(kit, by)
    if kit.status == S.APPROVED:
        # Approval covered the previous content only: the new one needs its own review.
        kit = _move_back_to_review(kit, by=by, comment=comment)
    return kit


def _move_back_to_review(kit: Kit, *, by: User, comment: str) -> Kit:
    now = timezone.now()
    Kit.objects.filter(pk=kit.pk, status=S.APPROVED).update(
        status=S.SUBMITTED, approved_by=None, approved_at=None, updated_at=now
    )
    KitTransition.objects.create(
        kit=kit,
        from_status=S.APPROVED,
        to_status=S.SUBMITTED,
        by=by,
        at=now,
        comment=comment or _("Modifié après approbation : nouvelle relecture nécessaire."),
    )
    kit.refresh_from_db()
    return kit


@transaction.atomic
def kit_visual_add(
    *, kit: Kit, by: User, image=None, alt_text: str = "", video_url: str = "", has_captions: bool = False
) -> KitVisual:
    """Attach an image (already validated and cleaned by content.uploads) or a video link."""
    _require(by, Role.CURATOR)
    kit = Kit.objects.select_for_update().get(pk=kit.pk)
    if kit.status not in EDITABLE:
        raise Conflict(_("Ce kit ne se modifie plus."), code="not_editable")
    if image is None and not video_url:
        raise DomainError(_("Ajoutez une image ou un lien vers une vidéo."), field="image")
    if image is not None and not alt_text.strip():
        raise DomainError(_("Une image a besoin d’un texte alternatif."), field="alt_text")
    if video_url and not video_url.startswith("https://"):
        raise DomainError(_("Le lien de la vidéo doit commencer par https://."), field="video_url")
    visual = KitVisual.objects.create(
        kit=kit,
        kind=KitVisual.Kind.IMAGE if image is not None else KitVisual.Kind.VIDEO,
        image=image or "",
        alt_text=alt_text.strip(),
        video_url=video_url,
        has_captions=has_captions,
        position=kit.visuals.count(),
    )
    _touched(kit, by)
    return visual


@transaction.atomic
def kit_visual_remove(*, visual: KitVisual, by: User) -> None:
    _require(by, Role.CURATOR)
    kit = Kit.objects.select_for_update().get(pk=visual.kit_id)
    if kit.status not in EDITABLE:
        raise Conflict(_("Ce kit ne se modifie plus."), code="not_editable")
    visual.delete()
    _touched(kit, by)


def _touched(kit: Kit, by: User) -> None:
    kit.last_editor = by
    kit.updated_at = timezone.now()
    kit.save(update_fields=["last_editor", "updated_at"])
    _save_version(kit, by)
    if kit.status == S.APPROVED:
        _move_back_to_review(kit, by=by, comment="")


# --- Moving through the workflow -----------------------------------------------------


def kit_findings(kit: Kit) -> list[dict]:
    """The guideline findings of every suggested text of `kit`, as stored data."""
    from content.guidelines import check_kit

    return [finding.as_dict() for finding in check_kit(kit)]


@transaction.atomic
def kit_submit(*, kit: Kit, by: User, comment: str = "") -> Kit:
    """Send a kit to review. Blocking guideline findings refuse it; warnings travel with it."""
    _require(by, Role.CURATOR)
    kit = Kit.objects.select_for_update().get(pk=kit.pk)
    _allowed(kit, "submit")
    _check_not_expired(kit)
    if not kit.texts.exists():
        raise DomainError(_("Ajoutez au moins un texte suggéré avant de soumettre."), code="no_text")
    findings = kit_findings(kit)
    blocking = [f for f in findings if f["severity"] == "blocking"]
    if blocking:
        raise DomainError(
            _("Ce kit ne respecte pas une règle bloquante : %(message)s") % {"message": blocking[0]["message"]},
            code="blocking_findings",
        )
    return _move(kit, "submit", by=by, comment=comment, findings=findings)


@transaction.atomic
def kit_request_changes(*, kit: Kit, by: User, comment: str) -> Kit:
    _require(by, Role.MODERATOR)
    kit = Kit.objects.select_for_update().get(pk=kit.pk)
    if not comment.strip():
        raise DomainError(_("Dites ce qu’il faut modifier."), field="comment")
    return _move(kit, "request_changes", by=by, comment=comment.strip(), approved_by=None, approved_at=None)


@transaction.atomic
def kit_approve(*, kit: Kit, by: User, comment: str = "") -> Kit:
    """Approve a submitted kit: four eyes, so never by its author nor its last editor.

    A kit without a publication date is published at once; otherwise the scheduled task
    publishes it at `publish_at`.
    """
    _require(by, Role.MODERATOR)
    kit = Kit.objects.select_for_update().get(pk=kit.pk)
    _allowed(kit, "approve")
    if by.pk == kit.author_id:
        raise DomainError(_("Vous ne pouvez pas approuver un kit que vous avez écrit."), code="four_eyes")
    if by.pk == kit.last_editor_id:
        raise DomainError(_("Vous ne pouvez pas approuver un kit que vous avez modifié en dernier."), code="four_eyes")
    _check_not_expired(kit)
    blocking = [f for f in kit_findings(kit) if f["severity"] == "blocking"]
    if blocking:
        raise DomainError(
            _("Ce kit ne respecte pas une règle bloquante : %(message)s") % {"message": blocking[0]["message"]},
            code="blocking_findings",
        )
    kit = _move(kit, "approve", by=by, comment=comment, approved_by=by, approved_at=timezone.now())
    if kit.publish_at is None or kit.publish_at <= timezone.now():
        kit = kit_publish(kit=kit)
    return kit


@transaction.atomic
def kit_publish(*, kit: Kit) -> Kit:
    """Put an approved kit in the feeds (called at approval or by the scheduled task)."""
    kit = Kit.objects.select_for_update().get(pk=kit.pk)
    _allowed(kit, "publish")
    # Defence in depth: the four-eyes rule is checked again at the last gate.
    if kit.approved_by_id is None or kit.approved_by_id in (kit.author_id, kit.last_editor_id):
        raise Conflict(_("Ce kit n’a pas été approuvé par une autre personne."), code="four_eyes")
    kit = _move(kit, "publish", by=None, published_at=timezone.now())
    _on_commit(KIT_PUBLISHED_HOOKS, kit)
    return kit


@transaction.atomic
def kit_expire(*, kit: Kit) -> Kit:
    kit = Kit.objects.select_for_update().get(pk=kit.pk)
    kit = _move(kit, "expire", by=None)
    _on_commit(KIT_EXPIRED_HOOKS, kit)
    return kit


@transaction.atomic
def kit_retract(*, kit: Kit, by: User, reason: str) -> Kit:
    """The crisis brake: take a published kit out of every feed at once, with a reason."""
    _require(by, Role.MODERATOR)
    if not reason.strip():
        raise DomainError(_("Le motif du retrait est obligatoire."), field="reason")
    kit = Kit.objects.select_for_update().get(pk=kit.pk)
    kit = _move(
        kit,
        "retract",
        by=by,
        comment=reason.strip(),
        retracted_at=timezone.now(),
        retracted_by=by,
        retraction_reason=reason.strip(),
    )
    _on_commit(KIT_RETRACTED_HOOKS, kit)
    return kit


@transaction.atomic
def kit_archive(*, kit: Kit, by: User, comment: str = "") -> Kit:
    _require(by, Role.CURATOR, Role.MODERATOR)
    kit = Kit.objects.select_for_update().get(pk=kit.pk)
    return _move(kit, "archive", by=by, comment=comment)


@transaction.atomic
def kit_take_down_for_consent(*, kit: Kit, by: User, reason: str) -> Kit | None:
    """Take a kit made from a testimonial whose consent was withdrawn out of circulation:
    retracted if published (its hooks ask ambassadors to delete their posts), archived if
    not out yet. Returns the kit moved, or None when it was already out of the feeds.

    The person recording the withdrawal may be the ambassador who collected the consent,
    who holds no moderator role: the quoted person must leave the feeds now, not when a
    moderator is free. So no role is required here; what allows the move is the fact,
    checked under the kit's lock, that a story the kit is made from has its consent
    withdrawn. The transition is recorded under their name like any other."""
    kit = Kit.objects.select_for_update().get(pk=kit.pk)
    if not Kit.objects.filter(pk=kit.pk, source_stories__consent__withdrawn_at__isnull=False).exists():
        raise Conflict(
            _("Aucun témoignage repris dans ce kit n’a vu son consentement retiré."), code="consent_not_withdrawn"
        )
    reason = reason.strip()
    if kit.status == S.PUBLISHED:
        now = timezone.now()
        kit = _move(kit, "retract", by=by, comment=reason, retracted_at=now, retracted_by=by, retraction_reason=reason)
        _on_commit(KIT_RETRACTED_HOOKS, kit)
        return kit
    if kit.status in NOT_YET_OUT:
        return _move(kit, "archive", by=by, comment=reason)
    return None


# --- Scheduled work ------------------------------------------------------------------


def _move_each(kits, move) -> int:
    """Apply `move` to each kit of `kits`; how many moved. Safe to run concurrently: a kit
    another worker moved first (or whose approval was withdrawn) is a Conflict, skipped."""
    done = 0
    for pk in kits.values_list("pk", flat=True):
        try:
            move(kit=Kit(pk=pk))
        except Conflict:
            continue
        done += 1
    return done


def publish_due_kits(now=None) -> int:
    """Publish every approved kit whose time has come."""
    return _move_each(Kit.objects.filter(status=S.APPROVED, publish_at__lte=now or timezone.now()), kit_publish)


def expire_due_kits(now=None) -> int:
    """Expire every published kit whose time is up."""
    return _move_each(Kit.objects.filter(status=S.PUBLISHED, expires_at__lte=now or timezone.now()), kit_expire)
