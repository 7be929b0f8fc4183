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


class UnitPicker(forms.CheckboxSelectMultiple):
    """Units of the organisation to tick, shown by the `unit_picker` template tag as one
    folding group per region with a search box: a flat list of 320 units is unusable,
    on a phone above all. Forms rendered with `form_fields` pick it up by itself."""
