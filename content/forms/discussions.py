"""Forms of the discussions: posting a message, hiding one."""

from django import forms
from django.utils.translation import gettext_lazy as _

from advocacy.forms import DsfrForm


class MessageForm(DsfrForm):
    body = forms.CharField(
        label=_("Votre message"), widget=forms.Textarea(attrs={"rows": 3}), max_length=4000, required=True
    )


class HideMessageForm(DsfrForm):
    reason = forms.CharField(label=_("Motif (visible par l’auteur)"), max_length=300, required=True)
