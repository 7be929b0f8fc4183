"""Form base classes rendered with the French state design system (django-dsfr), and the
rule that decides which fields say « (facultatif) »."""

from django import forms
from django.forms.renderers import TemplatesSetting
from django.utils.functional import lazy
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _
from dsfr.forms import DsfrBaseForm, DsfrBoundField
from dsfr.utils import dsfr_input_class_attr

from advocacy import richtext


def is_marked_optional(bound_field) -> bool:
    """Whether the field's label says « (facultatif) ».

    The design system marks optional fields rather than required ones, but not where the
    mark tells nothing: on a search or filter form every field may be left empty
    (`mark_optional_fields = False`), a single checkbox is a choice rather than an answer
    to give, and a field required only with another answer (an image's alternative text)
    says so in its hint (`conditionally_required`) instead of claiming to be optional."""
    form = bound_field.form
    return (
        not bound_field.field.required
        and not bound_field.is_hidden
        and getattr(form, "mark_optional_fields", True)
        and bound_field.name not in getattr(form, "conditionally_required", ())
        and not isinstance(bound_field.field.widget, forms.CheckboxInput)
    )


def needs_required_notice(form) -> bool:
    """Whether the form opens with « Sauf mention contraire, tous les champs sont
    obligatoires. »: when it marks some fields optional and leaves others unmarked because
    they are required. A form of required fields only, or of optional ones only, says all
    it needs without it."""
    fields = [field for field in form if not field.is_hidden]
    return any(is_marked_optional(field) for field in fields) and any(field.field.required for field in fields)


class BoundField(DsfrBoundField):
    def __init__(self, form, field, name):
        super().__init__(form, field, name)
        if isinstance(field.widget, forms.FileInput):
            # The design system's upload field, which django-dsfr leaves to each form:
            # without it a file input shows as the browser's bare button.
            field.widget.attrs.setdefault("class", "fr-upload")
            field.widget.group_class = "fr-upload-group"

    @property
    def is_marked_optional(self) -> bool:
        return is_marked_optional(self)

    @property
    def aria_describedby(self):
        # Both the hint and the error list, with the ids Django gives them (the error
        # list's from templates/django/forms/errors/list/ul.html), which exist whoever
        # renders the field, the Django admin included. django-dsfr points the input at
        # its snippets' error block alone (so the hint is no longer read, and an admin
        # form's input at an id its page does not have).
        ids = []
        if self.auto_id and not self.is_hidden:
            if self.help_text:
                ids.append(f"{self.auto_id}_helptext")
            if self.errors:
                ids.append(f"{self.auto_id}_error")
        return " ".join(ids)


class _Typed(str):
    """Text as it came from the text box, which is shown again as typed."""


def _rich_text_help(intro=None) -> SafeString:
    """The hint of a RichTextField: how to write a paragraph, a list, a heading and a link,
    after `intro` (what the text is for) if given. HTML, as the form templates and the
    Django admin show a hint; the examples escaped in <code>."""
    help_text = _(
        "Paragraphes : séparés par une ligne vide. Liste : {list}. Titre : {heading} ({subheading} "
        "pour un sous-titre). Lien : {link}. Gras : {bold}. Tout autre HTML (scripts, styles, images) "
        "est retiré."
    )
    return format_html(
        "{} " + str(help_text) if intro else str(help_text),
        *([intro] if intro else []),
        list=_example(_("<ul><li>un point</li><li>un autre</li></ul>")),
        heading=_example(_("<h2>Titre</h2>")),
        subheading=_example("<h3>"),
        link=_example(_('<a href="https://www.francetravail.fr/">texte du lien</a>')),
        bold=_example(_("<strong>mot</strong>")),
    )


def _example(typed: str) -> SafeString:
    return format_html("<code>{}</code>", typed)


rich_text_help = lazy(_rich_text_help, SafeString)


class RichTextField(forms.CharField):
    """A text box for sanitised rich text (advocacy/richtext.py): it opens on the stored
    HTML written as text, paragraphs as lines separated by a blank line, and gives back
    sanitised HTML. Left untouched, it gives back the stored HTML byte for byte: the way
    back from text rebuilds the same page, but not always the same bytes (line breaks
    between tags or inside a paragraph of a row written elsewhere, by the API or a seed)."""

    widget = forms.Textarea

    def bound_data(self, data, initial):
        data = super().bound_data(data, initial)
        return _Typed(data) if isinstance(data, str) and not self.disabled else data

    def prepare_value(self, value):
        if value is None or isinstance(value, _Typed):
            return value
        return richtext.to_editable(value)

    def to_python(self, value):
        return richtext.from_editable(super().to_python(value))

    def has_changed(self, initial, data):
        return not self._is_unchanged(initial, self.to_python(data))

    def _clean_bound_field(self, bound_field):
        # Django's hook that hands a field its initial value with the data (FileField
        # uses it too); a form given no initial value saves what was typed.
        value = super()._clean_bound_field(bound_field)
        initial = bound_field.initial
        return richtext.sanitize(initial) if initial and self._is_unchanged(initial, value) else value

    @staticmethod
    def _is_unchanged(initial, value: str) -> bool:
        return richtext.from_editable(richtext.to_editable(initial or "")) == value


class FormRenderer(TemplatesSetting):
    """Renders every form, the libraries' (allauth's) included, with the project's
    templates, so that templates/dsfr/form_field_snippets/ overrides django-dsfr's, and
    with the bound field above."""

    bound_field_class = BoundField


class DsfrForm(DsfrBaseForm):
    bound_field_class = BoundField
    # See is_marked_optional().
    mark_optional_fields = True
    conditionally_required: tuple[str, ...] = ()


class FilterForm(DsfrForm):
    """A search or filter form: every field narrows a list and may be left empty, so none
    is marked « (facultatif) »."""

    mark_optional_fields = False


class DsfrModelForm(forms.ModelForm):
    template_name = DsfrBaseForm.template_name
    bound_field_class = BoundField
    mark_optional_fields = True
    conditionally_required: tuple[str, ...] = ()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for visible in self.visible_fields():
            dsfr_input_class_attr(visible)


class UnitPicker(forms.CheckboxSelectMultiple):
    """Units of the organisation to tick, shown by the `unit_picker` template tag as one
    folding group per region with a search box: a flat list of 320 units is unusable,
    on a phone above all. Forms rendered with `form_fields` pick it up by itself."""
