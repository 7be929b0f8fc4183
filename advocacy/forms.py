"""Form base classes rendered with the French state design system (django-dsfr)."""

from django import forms
from dsfr.forms import DsfrBaseForm, DsfrBoundField
from dsfr.utils import dsfr_input_class_attr


class DsfrForm(DsfrBaseForm):
    pass


class DsfrModelForm(forms.ModelForm):
    template_name = DsfrBaseForm.template_name
    bound_field_class = DsfrBoundField

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for visible in self.visible_fields():
            dsfr_input_class_attr(visible)
