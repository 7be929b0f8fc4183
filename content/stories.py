"""Field stories and testimonials: proposing and editing them, recording and withdrawing
consent, turning them into draft kits, and what each person may see of them.

Consent comes first: a testimonial cannot be proposed without it, a kit cannot be
made from one whose consent does not cover social networks, and withdrawing it takes
every kit that uses the testimonial out of circulation at once.

A story's status moves here only: proposed → in a kit (a curator made a draft kit of
it) or declined; any of them → withdrawn (its consent); in a kit → proposed again when
its author edits it.
"""

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Prefetch, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from django.utils.translation import gettext as _

from accounts.access import Role, can
from accounts.models import User
from advocacy.errors import Conflict, DomainError
from content import uploads, workflow
from content.diff import DiffPiece, word_diff
from content.models import Consent, Kit, Story, StoryPhoto, SuggestedText

MAX_PHOTOS = 6
# The version of the consent text shown to the person and printed on the paper form.
# Changing the text means a new version here: old consents keep the version they got.
CONSENT_TEXT_VERSION = "2026-01"


@dataclass
class PhotoInput:
    upload: object
    alt_text: str


# What the author may change after proposing. The kind, the photos and the consent stay
# as proposed: the consent is proof of what the quoted person agreed to, and changing
# the kind would make a testimonial without one.
EDITABLE_FIELDS = ("title", "body", "video_url", "subject_label", "is_anonymised")
# Declined and withdrawn stories are closed.
EDITABLE_STATUSES = frozenset({Story.Status.PROPOSED, Story.Status.IN_KIT})
TITLE_MAX_LENGTH = Story._meta.get_field("title").max_length
SUBJECT_LABEL_MAX_LENGTH = Story._meta.get_field("subject_label").max_length


def _clean_text(fields: dict, *, kind: str) -> dict:
    """The story's own fields (any of EDITABLE_FIELDS), checked and tidied."""
    fields = dict(fields)
    if "title" in fields:
        fields["title"] = (fields["title"] or "").strip()
        if not fields["title"]:
            raise DomainError(_("Donnez un titre et un texte à votre histoire."), field="title")
        if len(fields["title"]) > TITLE_MAX_LENGTH:
            raise DomainError(_("Le titre dépasse %(max)s caractères.") % {"max": TITLE_MAX_LENGTH}, field="title")
    if "body" in fields:
        fields["body"] = (fields["body"] or "").strip()
        if not fields["body"]:
            raise DomainError(_("Donnez un titre et un texte à votre histoire."), field="body")
    if "video_url" in fields:
        fields["video_url"] = (fields["video_url"] or "").strip()
        if fields["video_url"] and not fields["video_url"].lower().startswith("https://"):
            raise DomainError(_("Le lien vers la vidéo doit commencer par https://."), field="video_url")
    if "subject_label" in fields:
        fields["subject_label"] = (fields["subject_label"] or "").strip()
        if len(fields["subject_label"]) > SUBJECT_LABEL_MAX_LENGTH:
            raise DomainError(
                _("La présentation de la personne dépasse %(max)s caractères.") % {"max": SUBJECT_LABEL_MAX_LENGTH},
                field="subject_label",
            )
    if "is_anonymised" in fields:
        # Only a testimonial quotes someone who could be anonymised.
        fields["is_anonymised"] = bool(fields["is_anonymised"]) and kind != Story.Kind.STORY
    return fields


def _consent_fields(consent: dict | None, kind: str) -> dict | None:
    if kind == Story.Kind.STORY:
        return None
    if not consent:
        raise DomainError(
            _("Un témoignage ne peut être proposé qu’avec le consentement enregistré de la personne."),
            code="consent_required",
            field="consent",
        )
    required = {
        "subject_name": _("Indiquez le nom de la personne qui a donné son consentement."),
        "given_at": _("Indiquez la date du consentement."),
        "channel": _("Indiquez comment le consentement a été recueilli."),
    }
    for name, message in required.items():
        if not consent.get(name):
            raise DomainError(message, code="consent_incomplete", field=name)
    uses = [use for use in consent.get("uses") or [] if use in Consent.Use.values]
    if not uses:
        raise DomainError(_("Indiquez au moins un usage autorisé."), code="consent_incomplete", field="uses")
    if consent.get("channel") not in Consent.Channel.values:
        raise DomainError(_("Ce moyen de recueil n’existe pas."), code="consent_incomplete", field="channel")
    if consent["given_at"] > timezone.localdate():
        raise DomainError(_("La date du consentement ne peut pas être dans le futur."), field="given_at")
    return {
        "subject_name": consent["subject_name"].strip(),
        "subject_contact": (consent.get("subject_contact") or "").strip(),
        "given_at": consent["given_at"],
        "uses": uses,
        "channel": consent["channel"],
        "text_version": consent.get("text_version") or CONSENT_TEXT_VERSION,
    }


@transaction.atomic
def story_propose(
    *,
    author: User,
    kind: str,
    title: str,
    body: str,
    video_url: str = "",
    is_anonymised: bool = False,
    subject_label: str = "",
    photos: list[PhotoInput] = (),
    consent: dict | None = None,
    signed_form=None,
) -> Story:
    """Record a story proposed by an ambassador. Photos are checked and cleaned of their
    metadata; a testimonial needs `consent` (subject_name, given_at, uses, channel,
    text_version) and may carry the signed form."""
    if not author.has_opted_in:
        raise DomainError(_("Seuls les membres du programme peuvent proposer une histoire."), code="not_ambassador")
    if kind not in Story.Kind.values:
        raise DomainError(_("Ce type d’histoire n’existe pas."), field="kind")
    text = _clean_text(
        {
            "title": title,
            "body": body,
            "video_url": video_url,
            "subject_label": subject_label,
            "is_anonymised": is_anonymised,
        },
        kind=kind,
    )
    if len(photos) > MAX_PHOTOS:
        raise DomainError(_("%(count)s photos au plus.") % {"count": MAX_PHOTOS}, field="photos")
    for photo in photos:
        if not photo.alt_text.strip():
            raise DomainError(_("Chaque photo a besoin d’un texte alternatif qui la décrit."), field="photos")
    consent_fields = _consent_fields(consent, kind)
    # Files are checked before anything is written, so a bad file leaves no half story.
    cleaned_photos = [(uploads.clean_image(p.upload, field="photos"), p.alt_text.strip()) for p in photos]
    cleaned_form = uploads.clean_document(signed_form, field="signed_form") if signed_form else None

    story = Story.objects.create(author=author, kind=kind, **text)
    for position, (cleaned, alt_text) in enumerate(cleaned_photos):
        StoryPhoto.objects.create(story=story, image=cleaned.content, alt_text=alt_text, position=position)
    if consent_fields is not None:
        record = Consent(story=story, recorded_by=author, **consent_fields)
        if cleaned_form is not None:
            record.signed_form = cleaned_form.content
        record.save()
    transaction.on_commit(lambda: _tell_curators(story.pk, _new_story_message))
    return story


@transaction.atomic
def story_update(*, story: Story, by: User, **fields) -> Story:
    """The author edits their story: any of EDITABLE_FIELDS.

    A story still waiting for the editorial team just changes. A story already made into
    a kit goes back to the team (status "proposed" again, curators told), as an edit to an
    approved kit goes back to review: what the team took up is no longer what the story
    says. The kits made from it keep the text that was reviewed, since a kit is a copy
    that only content.workflow changes; the curators compare and carry the edit over if
    they agree. A declined story, or one whose consent was withdrawn, is closed."""
    story = Story.objects.select_for_update().get(pk=story.pk)
    if story.author_id != by.pk:
        raise DomainError(_("Seul·e l’auteur·rice d’une histoire peut la modifier."), code="forbidden")
    if story.status not in EDITABLE_STATUSES:
        raise Conflict(
            _("Une histoire « %(status)s » ne se modifie plus.") % {"status": story.get_status_display()},
            code="story_closed",
        )
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise DomainError(_("Champ non modifiable : %(fields)s.") % {"fields": ", ".join(sorted(unknown))})
    changed = {
        name: value for name, value in _clean_text(fields, kind=story.kind).items() if getattr(story, name) != value
    }
    if not changed:
        return story
    for name, value in changed.items():
        setattr(story, name, value)
    sent_back = story.status == Story.Status.IN_KIT
    if sent_back:
        story.status = Story.Status.PROPOSED
    story.save(update_fields=[*changed, "status", "updated_at"])
    if sent_back:
        transaction.on_commit(lambda: _tell_curators(story.pk, _edit_message))
    return story


def _curator_emails() -> list[str]:
    return list(User.objects.filter(is_curator=True, is_active=True).values_list("email", flat=True))


def _tell_curators(story_pk: int, message: Callable[[Story], tuple[str, str]]) -> None:
    """E-mail every curator the (subject, body) that `message` writes about the story;
    called once the transaction that changed the story has committed."""
    story = Story.objects.filter(pk=story_pk).first()
    recipients = _curator_emails()
    if story is None or not recipients:
        return
    subject, body = message(story)
    send_mail(subject, body, None, recipients)


def _story_url(story: Story) -> str:
    return settings.SITE_URL + reverse("story_detail", args=[story.pk])


def _new_story_message(story: Story) -> tuple[str, str]:
    return (
        _("Nouvelle histoire du terrain : %(title)s") % {"title": story.title},
        _("Une nouvelle histoire a été proposée : %(url)s") % {"url": _story_url(story)},
    )


def _edit_message(story: Story) -> tuple[str, str]:
    return (
        _("Histoire modifiée par son auteur·rice : %(title)s") % {"title": story.title},
        _(
            "L’histoire « %(title)s », déjà reprise dans un kit, a été modifiée par son auteur·rice. "
            "Les kits n’ont pas changé : comparez-les au nouveau texte et reportez la modification "
            "si vous l’approuvez. %(url)s"
        )
        % {"title": story.title, "url": _story_url(story)},
    )


def _withdrawal_message(story: Story, *, kit_pks: list[int]) -> tuple[str, str]:
    titles = "\n".join(f"- {title}" for title in Kit.objects.filter(pk__in=kit_pks).values_list("title", flat=True))
    return (
        _("Consentement retiré : %(title)s") % {"title": story.title},
        _(
            "La personne citée dans le témoignage « %(title)s » a retiré son consentement.\n"
            "Les kits qui l’utilisaient ont été retirés ou archivés :\n%(kits)s\n\n"
            "N’utilisez plus ce témoignage. %(url)s"
        )
        % {"title": story.title, "kits": titles or _("(aucun)"), "url": _story_url(story)},
    )


def _kits_using(story: Story) -> QuerySet:
    return Kit.objects.filter(source_stories=story).order_by("pk")


def may_record_withdrawal(story: Story, user: User) -> bool:
    """The ambassador who collected the consent records its withdrawal, or the web-social
    team (curators, and moderators, who handle crises), whom the person may call instead."""
    return story.author_id == user.pk or can(user, Role.CURATOR, Role.MODERATOR)


@transaction.atomic
def consent_withdraw(*, story: Story, by: User, note: str = "") -> list[Kit]:
    """Record that the person withdrew their consent, and take every kit that uses the
    testimonial out of circulation now (content.workflow.kit_take_down_for_consent):
    published kits are retracted (ambassadors are asked to delete their posts), kits not
    yet out are archived. The story is withdrawn. Curators are told.

    Returns the kits that were changed."""
    if not may_record_withdrawal(story, by):
        raise DomainError(
            _("Seul·e l’auteur·rice de l’histoire ou l’équipe web social peut enregistrer ce retrait."),
            code="forbidden",
        )
    consent = Consent.objects.select_for_update().filter(story=story).first()
    if consent is None:
        raise DomainError(_("Cette histoire n’a pas de consentement enregistré."), code="no_consent")
    if consent.withdrawn_at is not None:
        raise Conflict(_("Le consentement a déjà été retiré."), code="already_withdrawn")
    consent.withdrawn_at = timezone.now()
    consent.withdrawn_by = by
    consent.withdrawal_note = note.strip()
    consent.save(update_fields=["withdrawn_at", "withdrawn_by", "withdrawal_note"])
    Story.objects.filter(pk=story.pk).update(status=Story.Status.WITHDRAWN, updated_at=timezone.now())
    story.status = Story.Status.WITHDRAWN
    reason = _("Consentement retiré par la personne dont le témoignage est cité.")
    changed = []
    for kit in _kits_using(story):
        kit = workflow.kit_take_down_for_consent(kit=kit, by=by, reason=reason)
        if kit is not None:
            changed.append(kit)
    kit_pks = [kit.pk for kit in changed]
    transaction.on_commit(lambda: _tell_curators(story.pk, partial(_withdrawal_message, kit_pks=kit_pks)))
    return changed


@transaction.atomic
def story_to_kit(*, story: Story, by: User):
    """A curator turns a story into a draft kit, with the story's text as the first
    suggested text (the curator then edits it; the author sees the differences)."""
    story = Story.objects.select_for_update().get(pk=story.pk)
    if not can(by, Role.CURATOR):
        raise DomainError(_("Seule l’équipe éditoriale peut créer un kit."), code="forbidden")
    if story.status in (Story.Status.WITHDRAWN, Story.Status.DECLINED):
        raise Conflict(_("Cette histoire ne peut plus être reprise."), code="story_closed")
    if story.is_testimonial:
        consent = Consent.objects.filter(story=story).first()
        if consent is None or consent.is_withdrawn:
            raise Conflict(_("Le consentement manque ou a été retiré."), code="consent_missing")
        if Consent.Use.SOCIAL_NETWORKS not in consent.uses:
            raise Conflict(
                _("Le consentement ne couvre pas les publications sur les réseaux sociaux."), code="consent_scope"
            )
    kit = workflow.kit_create(
        by=by,
        title=story.title[:200],
        link=settings.CONTENT_STORY_DEFAULT_LINK,
        brief=_story_brief(story),
        texts=[{"body": story.body, "networks": []}],
    )
    # The story's photos (already checked and cleaned of metadata) and video become the
    # kit's visuals, with the alternative texts their author wrote.
    for photo in story.photos.all():
        with photo.image.open("rb") as source:
            copy = ContentFile(source.read(), name=photo.image.name.rsplit("/", 1)[-1])
        workflow.kit_visual_add(kit=kit, by=by, image=copy, alt_text=photo.alt_text)
    if story.video_url:
        workflow.kit_visual_add(kit=kit, by=by, video_url=story.video_url)
    story.kits.add(kit)
    Story.objects.filter(pk=story.pk).update(status=Story.Status.IN_KIT)
    return kit


def _story_brief(story: Story) -> str:
    author = story.author.get_full_name() if story.author else _("un·e ambassadeur·rice")
    parts = [_("D’après une histoire proposée par %(author)s.") % {"author": author}]
    consent = Consent.objects.filter(story=story).first() if story.is_testimonial else None
    if consent is not None:
        parts.append(
            _("Témoignage publié avec le consentement de la personne (donné le %(date)s, texte %(version)s).")
            % {"date": consent.given_at.strftime("%d/%m/%Y"), "version": consent.text_version}
        )
    if story.is_anonymised:
        parts.append(_("Témoignage anonymisé : ne citez ni nom ni détail qui permette de reconnaître la personne."))
    return "".join(f"<p>{escape(part)}</p>" for part in parts)


@transaction.atomic
def story_decline(*, story: Story, by: User, note: str) -> Story:
    if not can(by, Role.CURATOR):
        raise DomainError(_("Seule l’équipe éditoriale peut répondre à une histoire."), code="forbidden")
    if not note.strip():
        raise DomainError(_("Expliquez à l’auteur pourquoi l’histoire n’est pas retenue."), field="note")
    if story.status != Story.Status.PROPOSED:
        raise Conflict(_("Cette histoire a déjà reçu une réponse."), code="story_closed")
    Story.objects.filter(pk=story.pk).update(status=Story.Status.DECLINED, curator_note=note.strip())
    story.refresh_from_db()
    return story


# --- Reads ---------------------------------------------------------------------------


def _with_relations(queryset: QuerySet) -> QuerySet:
    return queryset.select_related("author", "consent").prefetch_related(
        Prefetch("photos", queryset=StoryPhoto.objects.order_by("position", "pk"))
    )


def stories_visible_to(*, user: User) -> QuerySet:
    """Curators see every story; anyone else sees their own."""
    if can(user, Role.CURATOR):
        return _with_relations(Story.objects.all())
    return _with_relations(Story.objects.filter(author=user))


def stories_of(*, user: User) -> QuerySet:
    return _with_relations(Story.objects.filter(author=user))


def story_photo_for(*, user: User, pk: int) -> StoryPhoto | None:
    photos = StoryPhoto.objects.select_related("story")
    if not can(user, Role.CURATOR):
        photos = photos.filter(story__author=user)
    return photos.filter(pk=pk).first()


def consent_form_for(*, user: User, story_pk: int) -> Consent | None:
    """The signed form holds a private person's name and signature: curators only."""
    if not can(user, Role.CURATOR):
        return None
    return Consent.objects.filter(story_id=story_pk).exclude(signed_form="").first()


# --- What changed between the story and the kit --------------------------------------


@dataclass
class KitChanges:
    kit: Kit
    texts: list[tuple[SuggestedText, list[DiffPiece]]]

    @property
    def is_unchanged(self) -> bool:
        return all(all(p.op == "equal" for p in pieces) for _text, pieces in self.texts)


def story_changes(*, story: Story) -> list[KitChanges]:
    """For the author: each kit made from their story and how each suggested text
    differs from what they wrote."""
    kits = _kits_using(story).prefetch_related(
        Prefetch("texts", queryset=SuggestedText.objects.order_by("position", "pk"))
    )
    return [KitChanges(kit, [(text, word_diff(story.body, text.body)) for text in kit.texts.all()]) for kit in kits]
