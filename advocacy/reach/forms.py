"""Forms of the reach pages."""

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import Network
from advocacy.errors import DomainError
from advocacy.forms import DsfrForm
from advocacy.reach import importing
from advocacy.reach.models import ImportJob


class ImportForm(DsfrForm):
    file = forms.FileField(
        label=_("Fichier"),
        help_text=_("Export CSV (virgule ou point-virgule ; UTF-8, avec ou sans BOM, ou Windows-1252) ou JSON lines."),
    )
    format = forms.ChoiceField(label=_("Format"), choices=ImportJob.Format.choices, initial=ImportJob.Format.CSV)
    default_network = forms.ChoiceField(
        label=_("Réseau par défaut"),
        choices=[("", _("— Indiqué dans le fichier —")), *Network.choices],
        required=False,
        help_text=_("Utilisé pour les lignes qui n’indiquent pas leur réseau."),
    )
    mapping = forms.CharField(
        label=_("Correspondance des colonnes"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_(
            "Une ligne par champ, « champ = colonne du fichier », par exemple « external_id = ID ». "
            "Un champ non indiqué est lu dans la colonne de même nom."
        ),
    )

    def clean_mapping(self):
        try:
            return importing.parse_mapping(self.cleaned_data["mapping"])
        except DomainError as exc:
            raise forms.ValidationError(exc.message) from exc
