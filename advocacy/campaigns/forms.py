"""Forms of the campaigns pages: announcements, the global pause, retraction."""

from datetime import timedelta

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import JobFunction, OrgUnit
from advocacy.forms import DsfrForm, UnitPicker


class AnnouncementForm(DsfrForm):
    subject = forms.CharField(label=_("Objet"), max_length=200)
    body = forms.CharField(
        label=_("Message"),
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("La salutation personnelle et votre signature sont ajoutées automatiquement."),
    )
    url = forms.CharField(label=_("Lien"), max_length=500, required=False)
    units = forms.ModelMultipleChoiceField(
        label=_("Unités ciblées"),
        queryset=OrgUnit.objects.order_by("path"),
        required=False,
        widget=UnitPicker,
        help_text=_("Aucune : tout le monde. Une unité couvre toutes celles qui en dépendent."),
    )
    job_functions = forms.MultipleChoiceField(
        label=_("Fonctions ciblées"),
        choices=JobFunction.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Aucune : toutes les fonctions."),
    )


class PauseForm(DsfrForm):
    reason = forms.CharField(label=_("Motif"), widget=forms.Textarea(attrs={"rows": 3}))
    ends_at = forms.DateTimeField(
        label=_("Fin de la pause"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        help_text=_("La pause se termine d’elle-même à cette date."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial["ends_at"] = timezone.localtime(timezone.now() + timedelta(hours=24)).replace(
                second=0, microsecond=0
            )


class ReasonForm(DsfrForm):
    reason = forms.CharField(label=_("Motif"), widget=forms.Textarea(attrs={"rows": 3}))
