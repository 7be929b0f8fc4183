"""Forms of the profile, handles, charter and admin pages, and of signing in."""

from allauth.account import forms as allauth_forms
from allauth.mfa import app_settings as mfa_settings
from allauth.mfa.base import forms as mfa_forms
from allauth.mfa.totp import forms as totp_forms
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


# Sign-in (django-allauth's forms, named in ACCOUNT_FORMS and MFA_FORMS).


class LoginForm(allauth_forms.LoginForm):
    """The link to reset the password goes under the field, in a paragraph of its own (the
    design system's sign-in pattern): allauth gives it as the field's hint, inside its
    label, where a screen reader reads it as part of the label's name."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "password" in self.fields:
            self.fields["password"].help_text = ""
            self.fields["password"].template_name = "dsfr/form_field_snippets/login_password_snippet.html"


def _numeric_code(field, *lengths: int) -> None:
    """A field for a code of digits: a phone's keyboard of digits, the browser's offer of a
    code received, and the lengths it takes (spaces allowed, as allauth ignores them)."""
    field.widget.attrs.update(
        inputmode="numeric",
        autocomplete="one-time-code",
        pattern=r"\s*(" + "|".join(rf"([0-9]\s*){{{length}}}" for length in lengths) + ")",
    )


def _totp_or_recovery_code(field) -> None:
    _numeric_code(field, mfa_settings.TOTP_DIGITS, mfa_settings.RECOVERY_CODE_DIGITS)
    field.help_text = _(
        "Le code à %(totp)d chiffres de votre application d’authentification, ou un code de secours "
        "à %(recovery)d chiffres."
    ) % {"totp": mfa_settings.TOTP_DIGITS, "recovery": mfa_settings.RECOVERY_CODE_DIGITS}


class AuthenticateForm(mfa_forms.AuthenticateForm):
    """Sign-in, second step: a TOTP code or a recovery code, both digits in allauth's own
    codes (MFA_TOTP_DIGITS, MFA_RECOVERY_CODE_DIGITS)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _totp_or_recovery_code(self.fields["code"])


class ReauthenticateForm(mfa_forms.ReauthenticateForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _totp_or_recovery_code(self.fields["code"])


class ActivateTOTPForm(totp_forms.ActivateTOTPForm):
    """Turning TOTP on: a code of the application only."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _numeric_code(self.fields["code"], mfa_settings.TOTP_DIGITS)
        self.fields["code"].help_text = _("Le code à %(totp)d chiffres que l’application affiche.") % {
            "totp": mfa_settings.TOTP_DIGITS
        }
