"""Forms of the ambassador portal."""

from django import forms
from django.utils.translation import gettext_lazy as _

from advocacy.forms import DsfrForm
from advocacy.sharing.intents import Channel


class ShareForm(DsfrForm):
    text = forms.CharField(
        label=_("Votre publication"),
        help_text=_("Partez d’un texte proposé et mettez-y vos mots : une publication personnelle touche davantage."),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 6, "id": "share-text"}),
    )
    # Set by the network button that submitted the form.
    network = forms.ChoiceField(choices=Channel.choices, widget=forms.HiddenInput, required=True)


class PostUrlForm(DsfrForm):
    post_url = forms.URLField(
        label=_("Adresse de votre publication"),
        help_text=_("Si vous le souhaitez, collez le lien de votre publication pour la retrouver dans vos chiffres."),
        max_length=500,
        assume_scheme="https",
        error_messages={
            "required": _("Collez l’adresse complète de votre publication (https://…)."),
            "invalid": _("Collez l’adresse complète de votre publication (https://…)."),
        },
    )
