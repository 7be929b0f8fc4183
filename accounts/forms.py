"""Forms of the profile, handles, charter and admin pages."""

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import CharterVersion, Network, User
from advocacy.forms import DsfrForm, DsfrModelForm


class ProfileForm(DsfrModelForm):
    class Meta:
        model = User
        fields = ["first_name", "last_name", "job_function", "notification_preference", "appears_in_rankings"]
        widgets = {"notification_preference": forms.RadioSelect}
        labels = {"job_function": _("Ma fonction"), "notification_preference": _("Recevoir les nouveaux contenus")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["job_function"].required = True
        self.fields["first_name"].required = True
        self.fields["last_name"].required = True
        self.fields["first_name"].widget.attrs["autocomplete"] = "given-name"
        self.fields["last_name"].widget.attrs["autocomplete"] = "family-name"


class HandleForm(DsfrForm):
    network = forms.ChoiceField(label=_("Réseau"), choices=Network.choices)
    handle = forms.CharField(
        label=_("Identifiant ou adresse du profil"),
        max_length=300,
        help_text=_("Par exemple @prenom_nom, ou l’adresse de votre profil."),
    )
    instance = forms.CharField(
        label=_("Instance Mastodon"),
        max_length=253,
        required=False,
        help_text=_(
            "Le serveur de votre compte, par exemple mastodon.social. Inutile si votre identifiant "
            "l’indique déjà (@prenom@mastodon.social)."
        ),
    )
    follower_count = forms.IntegerField(
        label=_("Nombre d’abonné·es (approximatif)"),
        min_value=0,
        max_value=100_000_000,
        required=False,
        help_text=_("Sert à estimer la portée potentielle ; vous pouvez le mettre à jour à tout moment."),
    )


class JoinForm(DsfrForm):
    version = forms.IntegerField(widget=forms.HiddenInput)
    accept = forms.BooleanField(
        label=_("J’ai lu la charte des ambassadeur·rices et je l’accepte."),
        required=True,
        error_messages={"required": _("Cochez la case pour accepter la charte.")},
    )


class CharterVersionForm(forms.ModelForm):
    class Meta:
        model = CharterVersion
        fields = ["title", "body", "summary_of_changes", "is_material_change"]
