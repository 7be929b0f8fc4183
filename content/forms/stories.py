"""Forms of the field stories: proposing one (with photos and, for a testimonial, the
consent), its author editing it, declining one, recording a consent withdrawal."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from advocacy.forms import DsfrForm
from content import stories
from content.models import Consent, Story

PHOTO_SLOTS = 3
ACCEPTED_IMAGES = "image/jpeg,image/png,image/webp,image/gif"


class StoryTextForm(DsfrForm):
    """What the author writes, and may edit later (content.stories.EDITABLE_FIELDS)."""

    title = forms.CharField(label=_("Titre"), max_length=200)
    body = forms.CharField(
        label=_("L’histoire"),
        widget=forms.Textarea(attrs={"rows": 8}),
        max_length=5000,
        help_text=_("Ce qui s’est passé, avec vos mots. Ne citez pas de nom sans accord."),
    )
    video_url = forms.URLField(label=_("Lien vers une vidéo"), required=False, assume_scheme="https", max_length=500)
    subject_label = forms.CharField(
        label=_("Présentation de la personne (témoignage)"),
        max_length=200,
        required=False,
        help_text=_("Comme elle apparaîtra : « Amélie, 34 ans, aide-soignante », « une PME du bâtiment »."),
    )
    is_anonymised = forms.BooleanField(
        label=_("Anonymiser le témoignage (aucun nom, aucun détail qui permette de reconnaître la personne)"),
        required=False,
    )


class StoryEditForm(StoryTextForm):
    """The author's edit of `story`. A story that quotes nobody has no presentation of a
    person to edit, so those fields are left out (and left as they are)."""

    TESTIMONIAL_ONLY = ("subject_label", "is_anonymised")

    def __init__(self, *args, story: Story, **kwargs):
        kwargs.setdefault("initial", {name: getattr(story, name) for name in stories.EDITABLE_FIELDS})
        super().__init__(*args, **kwargs)
        if not story.is_testimonial:
            for name in self.TESTIMONIAL_ONLY:
                del self.fields[name]


class StoryForm(StoryTextForm):
    # Required for a testimonial (see clean()), which the consent fieldset says; a photo's
    # description is required with the photo, which its hint says.
    conditionally_required = (
        "subject_name",
        "given_at",
        "uses",
        "channel",
        "consent_text_read",
        *(f"alt_{slot}" for slot in range(1, PHOTO_SLOTS + 1)),
    )

    kind = forms.ChoiceField(label=_("Ce que je partage"), choices=Story.Kind.choices, widget=forms.RadioSelect)
    # Consent, required for testimonials. About someone else: the browser must not offer
    # the author's own name or address (autocomplete="off").
    subject_name = forms.CharField(
        label=_("Nom et prénom de la personne qui consent"),
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    subject_contact = forms.CharField(
        label=_("Comment la recontacter"),
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
        help_text=_("Pour la prévenir d’une publication, ou si elle retire son accord."),
    )
    given_at = forms.DateField(
        label=_("Date du consentement"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    uses = forms.MultipleChoiceField(
        label=_("Usages autorisés"), choices=Consent.Use.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    channel = forms.ChoiceField(
        label=_("Consentement recueilli par"), choices=[("", "—")] + list(Consent.Channel.choices), required=False
    )
    consent_text_read = forms.BooleanField(
        label=_("La personne a pris connaissance du texte de consentement en vigueur et l’a accepté."),
        required=False,
    )
    signed_form = forms.FileField(
        label=_("Formulaire signé : PDF ou photo"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,image/jpeg,image/png"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for slot in range(1, PHOTO_SLOTS + 1):
            self.fields[f"photo_{slot}"] = forms.FileField(
                label=_("Photo %(n)s") % {"n": slot},
                required=False,
                widget=forms.ClearableFileInput(attrs={"accept": ACCEPTED_IMAGES}),
                help_text=_("JPEG, PNG, WebP ou GIF ; la position GPS et les autres métadonnées sont retirées."),
            )
            self.fields[f"alt_{slot}"] = forms.CharField(
                label=_("Description de la photo %(n)s (texte alternatif)") % {"n": slot},
                max_length=300,
                required=False,
                help_text=_("Obligatoire si la photo est jointe : décrivez ce qu’elle montre à qui ne la voit pas."),
            )

    def photos(self) -> list[stories.PhotoInput]:
        """The photos chosen, each with its alternative text."""
        data = self.cleaned_data
        return [
            stories.PhotoInput(upload=data[f"photo_{slot}"], alt_text=data[f"alt_{slot}"])
            for slot in range(1, PHOTO_SLOTS + 1)
            if data.get(f"photo_{slot}")
        ]

    def photo_slots(self):
        return [(self[f"photo_{slot}"], self[f"alt_{slot}"]) for slot in range(1, PHOTO_SLOTS + 1)]

    def clean_given_at(self):
        value = self.cleaned_data.get("given_at")
        if value and value > timezone.localdate():
            raise forms.ValidationError(_("La date du consentement ne peut pas être dans le futur."))
        return value

    def clean(self):
        data = super().clean()
        for slot in range(1, PHOTO_SLOTS + 1):
            if data.get(f"photo_{slot}") and not (data.get(f"alt_{slot}") or "").strip():
                self.add_error(f"alt_{slot}", _("Décrivez la photo : ce texte est lu à qui ne la voit pas."))
        if data.get("kind") and data["kind"] != Story.Kind.STORY:
            for name, message in (
                ("subject_name", _("Indiquez qui a donné son consentement.")),
                ("given_at", _("Indiquez la date du consentement.")),
                ("uses", _("Cochez au moins un usage autorisé.")),
                ("channel", _("Indiquez comment le consentement a été recueilli.")),
                ("consent_text_read", _("Un témoignage n’est possible qu’avec le consentement de la personne.")),
            ):
                if not data.get(name):
                    self.add_error(name, message)
        return data

    def consent(self) -> dict | None:
        data = self.cleaned_data
        if data["kind"] == Story.Kind.STORY:
            return None
        return {
            "subject_name": data["subject_name"],
            "subject_contact": data["subject_contact"],
            "given_at": data["given_at"],
            "uses": data["uses"],
            "channel": data["channel"],
            "text_version": stories.CONSENT_TEXT_VERSION,
        }


class StoryDeclineForm(DsfrForm):
    note = forms.CharField(
        label=_("Message à l’auteur"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000, required=True
    )


class ConsentWithdrawForm(DsfrForm):
    note = forms.CharField(
        label=_("Circonstances du retrait (date, canal)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        required=False,
    )
