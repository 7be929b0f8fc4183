"""Forms of the curators' and moderators' workspace: the kit editor, its suggested texts
and visuals, the workflow actions and the library's filters. Writes go through
content.workflow; these forms only read and shape what the person typed."""

import re

import django_filters
from django import forms
from django.db.models import Q
from django.forms import formset_factory
from django.utils.translation import gettext_lazy as _
from dsfr.widgets import InlineCheckboxSelectMultiple, InlineRadioSelect

from accounts.models import JobFunction, Network, OrgUnit, User
from advocacy.forms import DsfrForm, FilterForm, RichTextField, UnitPicker, rich_text_help
from content.models import Kit, KitVisual, Topic
from content.selectors import kit_search, kits_for_network

DATETIME_FORMAT = "%Y-%m-%dT%H:%M"


class DateTimeLocalInput(forms.DateTimeInput):
    """A native date and time picker; values are read and shown in Paris time."""

    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format=DATETIME_FORMAT)


def split_hashtags(value: str) -> list[str]:
    """ "#AvecPôleEmploi, emploi  #jeunes" → ["AvecPôleEmploi", "emploi", "jeunes"]."""
    return [tag.lstrip("#＃") for tag in re.split(r"[\s,;]+", value or "") if tag.lstrip("#＃")]


class KitForm(DsfrForm):
    title = forms.CharField(label=_("Titre"), max_length=200)
    brief = RichTextField(
        label=_("Note aux ambassadeur·rices"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=rich_text_help(_("Pourquoi ce contenu compte, les faits clés, ce qu’il ne faut pas dire.")),
    )
    link = forms.URLField(
        label=_("Lien"),
        max_length=500,
        assume_scheme="https",
        help_text=_("Adresse en https:// sur un domaine autorisé."),
    )
    language = forms.ChoiceField(label=_("Langue"), choices=Kit.Language.choices, initial=Kit.Language.FRENCH)
    hashtags = forms.CharField(
        label=_("Hashtags"),
        required=False,
        help_text=_("Séparés par des virgules ou des espaces, avec ou sans #."),
    )
    topics = forms.ModelMultipleChoiceField(
        label=_("Thèmes"),
        queryset=Topic.objects.all(),
        required=False,
        widget=InlineCheckboxSelectMultiple,
    )
    target_units = forms.ModelMultipleChoiceField(
        label=_("Unités ciblées"),
        queryset=OrgUnit.objects.all(),
        required=False,
        widget=UnitPicker,
        help_text=_("Une unité couvre toutes celles qui en dépendent. Aucune unité cochée : tout le monde."),
    )
    target_job_functions = forms.MultipleChoiceField(
        label=_("Fonctions ciblées"),
        choices=JobFunction.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Aucune fonction cochée : toutes les fonctions."),
    )
    publish_at = forms.DateTimeField(
        label=_("Publication le"),
        required=False,
        widget=DateTimeLocalInput,
        input_formats=[DATETIME_FORMAT, "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S"],
        help_text=_("Heure de Paris. Vide : publié dès son approbation."),
    )
    expires_at = forms.DateTimeField(
        label=_("Expiration le"),
        required=False,
        widget=DateTimeLocalInput,
        input_formats=[DATETIME_FORMAT, "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S"],
        help_text=_("Heure de Paris. Vide : pas d’expiration."),
    )
    is_important = forms.BooleanField(
        label=_("Important"),
        required=False,
        help_text=_("Mis en avant dans le fil des ambassadeur·rices."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The unit picker is rendered by the `unit_picker` template tag as groups per
        # region, read once.
        self.fields["target_units"].queryset = OrgUnit.objects.order_by("path")

    def clean_hashtags(self):
        return split_hashtags(self.cleaned_data.get("hashtags", ""))

    def workflow_fields(self) -> dict:
        """The cleaned data as the workflow's keyword arguments."""
        data = dict(self.cleaned_data)
        return {
            "title": data["title"],
            "brief": data["brief"],
            "link": data["link"],
            "language": data["language"],
            "hashtags": data["hashtags"],
            "target_job_functions": data["target_job_functions"],
            "publish_at": data["publish_at"],
            "expires_at": data["expires_at"],
            "is_important": data["is_important"],
            "topics": list(data["topics"]),
            "target_units": list(data["target_units"]),
        }

    @classmethod
    def initial_for(cls, kit: Kit) -> dict:
        return {
            "title": kit.title,
            "brief": kit.brief,
            "link": kit.link,
            "language": kit.language,
            "hashtags": " ".join(f"#{tag}" for tag in kit.hashtags),
            "topics": [t.pk for t in kit.topics.all()],
            "target_units": [u.pk for u in kit.target_units.all()],
            "target_job_functions": list(kit.target_job_functions),
            "publish_at": kit.publish_at,
            "expires_at": kit.expires_at,
            "is_important": kit.is_important,
        }


class TextForm(DsfrForm):
    # Required in every text block kept: an empty one was dropped on save without a word,
    # with the networks ticked for it. A block added and left untouched is not kept
    # (Django's empty_permitted for the forms added on the page).
    body = forms.CharField(
        label=_("Texte suggéré"),
        max_length=5000,  # as the API's (content.api.kits.KitTextSerializer)
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "Un point de départ, que chaque ambassadeur·rice adapte avec ses mots avant de partager : "
            "écrivez-le comme une personne parle, pas comme un communiqué."
        ),
        error_messages={"required": _("Écrivez ce texte, ou cochez « Retirer ce texte ».")},
    )
    networks = forms.MultipleChoiceField(
        label=_("Réseaux"),
        choices=Network.choices,
        required=False,
        widget=InlineCheckboxSelectMultiple,
        help_text=_("Aucun réseau coché : tous les réseaux."),
    )


class BaseTextFormSet(forms.BaseFormSet):
    def add_fields(self, form, index):
        super().add_fields(form, index)
        if "DELETE" in form.fields:
            form.fields["DELETE"].label = _("Retirer ce texte")


TextFormSet = formset_factory(TextForm, formset=BaseTextFormSet, extra=0, can_delete=True, max_num=10, absolute_max=20)


def texts_from(formset) -> list[dict]:
    return [
        {"body": form.cleaned_data.get("body", ""), "networks": form.cleaned_data.get("networks", [])}
        for form in formset.forms
        if form.cleaned_data and not form.cleaned_data.get("DELETE")
    ]


class VisualForm(DsfrForm):
    # Required by the kind of visual chosen (see clean()), which their hints say.
    conditionally_required = ("image", "alt_text", "video_url")

    kind = forms.ChoiceField(
        label=_("Type de visuel"),
        choices=KitVisual.Kind.choices,
        initial=KitVisual.Kind.IMAGE,
        widget=InlineRadioSelect,
    )
    image = forms.ImageField(
        label=_("Image"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
        help_text=_(
            "Obligatoire pour un visuel de type image. JPEG, PNG ou WebP ; les métadonnées (dont la position GPS) "
            "sont retirées."
        ),
    )
    alt_text = forms.CharField(
        label=_("Texte alternatif"),
        max_length=400,
        required=False,
        help_text=_("Obligatoire si une image est jointe : décrivez ce qu’elle montre à qui ne la voit pas."),
    )
    video_url = forms.URLField(
        label=_("Lien de la vidéo"),
        required=False,
        assume_scheme="https",
        help_text=_("Obligatoire pour un visuel de type vidéo."),
    )
    has_captions = forms.BooleanField(label=_("La vidéo est sous-titrée"), required=False)

    def clean(self):
        data = super().clean()
        if data.get("kind") == KitVisual.Kind.IMAGE:
            if not data.get("image"):
                self.add_error("image", _("Choisissez une image."))
            if not (data.get("alt_text") or "").strip():
                self.add_error("alt_text", _("Une image a besoin d’un texte alternatif."))
        elif data.get("kind") == KitVisual.Kind.VIDEO and not data.get("video_url"):
            self.add_error("video_url", _("Indiquez le lien de la vidéo."))
        return data


class CommentForm(DsfrForm):
    comment = forms.CharField(
        label=_("Commentaire"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class RequiredCommentForm(DsfrForm):
    comment = forms.CharField(
        label=_("Ce qu’il faut modifier"),
        max_length=2000,
        error_messages={"required": _("Dites ce qu’il faut modifier.")},
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class RetractForm(DsfrForm):
    reason = forms.CharField(
        label=_("Motif du retrait"),
        max_length=2000,
        error_messages={"required": _("Le motif du retrait est obligatoire.")},
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Les ambassadeur·rices qui l’ont partagé le liront avec la demande de suppression."),
    )


class KitFilter(django_filters.FilterSet):
    """The library's search and filters, shared by the page and the API."""

    q = django_filters.CharFilter(label=_("Rechercher"), method="filter_search")
    status = django_filters.MultipleChoiceFilter(
        label=_("Statut"), choices=Kit.Status.choices, widget=forms.CheckboxSelectMultiple
    )
    topic = django_filters.ModelChoiceFilter(
        label=_("Thème"), field_name="topics", queryset=Topic.objects.all(), empty_label=_("Tous les thèmes")
    )
    network = django_filters.ChoiceFilter(
        label=_("Réseau"), choices=Network.choices, method="filter_network", empty_label=_("Tous les réseaux")
    )
    author = django_filters.ModelChoiceFilter(
        label=_("Auteur·rice"),
        queryset=User.objects.filter(Q(is_curator=True)).order_by("last_name", "first_name"),
        empty_label=_("Toutes et tous"),
    )
    publish_after = django_filters.DateFilter(
        label=_("Publication à partir du"),
        field_name="publish_at",
        lookup_expr="date__gte",
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    publish_before = django_filters.DateFilter(
        label=_("Publication jusqu’au"),
        field_name="publish_at",
        lookup_expr="date__lte",
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    class Meta:
        model = Kit
        form = FilterForm
        fields = ["q", "status", "topic", "network", "author", "publish_after", "publish_before"]

    def filter_search(self, queryset, name, value):
        return kit_search(queryset, value)

    def filter_network(self, queryset, name, value):
        return kits_for_network(queryset, value) if value else queryset
