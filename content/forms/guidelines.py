"""Forms of the guideline check and the guideline pages."""

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import Network
from advocacy.forms import DsfrForm, RichTextField, rich_text_help


class GuidelineCheckForm(DsfrForm):
    text = forms.CharField(
        label=_("Texte"),
        max_length=70000,
        widget=forms.Textarea,
        error_messages={"required": _("Écrivez ou collez le texte à vérifier.")},
    )
    network = forms.ChoiceField(label=_("Réseau"), choices=[("", _("Tous"))] + list(Network.choices), required=False)
    link = forms.CharField(label=_("Lien"), required=False, max_length=2000)


class GuidelinePageForm(DsfrForm):
    title = forms.CharField(
        label=_("Titre"), max_length=200, error_messages={"required": _("Donnez un titre à la page.")}
    )
    slug = forms.SlugField(
        label=_("Adresse"),
        max_length=80,
        required=False,
        help_text=_("Lettres, chiffres et tirets ; laissée vide, elle est tirée du titre."),
    )
    summary = forms.CharField(label=_("Résumé"), max_length=300, required=False)
    body = RichTextField(
        label=_("Contenu"),
        widget=forms.Textarea(attrs={"rows": 18}),
        error_messages={"required": _("Écrivez le contenu de la page.")},
        help_text=rich_text_help(),
    )
    position = forms.IntegerField(label=_("Ordre d’affichage"), min_value=0, max_value=1000, initial=0)
