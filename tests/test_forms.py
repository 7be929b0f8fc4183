"""Form fields across the site: which say « (facultatif) », the design system's « Sauf
mention contraire… » line, and hints and errors tied to their field (advocacy/forms.py,
templates/dsfr/form_field_snippets/)."""

import re

from bs4 import BeautifulSoup
from django import forms
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template import Context, Template
from django.urls import reverse

from accounts.models import OrgUnit
from advocacy.forms import DsfrForm, FilterForm, UnitPicker, needs_required_notice
from tests.content.factories import make_kit
from tests.sharing.factories import live_kit

NOTICE = "Sauf mention contraire, tous les champs sont obligatoires."


def soup_of(response) -> BeautifulSoup:
    return BeautifulSoup(response.content, "html.parser")


def label_text(soup, field_id) -> str:
    """The text of a field's label, or of its legend for a group of choices."""
    label = soup.find("label", attrs={"for": field_id}) or soup.find(id=f"{field_id}-legend")
    return re.sub(r"\s+", " ", label.get_text(" ")).strip()


def notices(soup) -> int:
    return soup.get_text().count(NOTICE)


class Entry(DsfrForm):
    name = forms.CharField(label="Nom")
    note = forms.CharField(label="Note", required=False)
    consent = forms.BooleanField(label="J’accepte", required=False)
    alt = forms.CharField(label="Texte alternatif", required=False)
    conditionally_required = ("alt",)


class Filters(FilterForm):
    q = forms.CharField(label="Rechercher", required=False)
    status = forms.ChoiceField(label="Statut", choices=[("", "Tous"), ("a", "A")], required=False)


def test_only_a_data_entry_forms_optional_answers_are_marked():
    form = Entry()
    marked = {name: form[name].is_marked_optional for name in form.fields}
    # A single checkbox is a choice, not an answer to give; a field required with
    # another answer says so in its hint rather than claim to be optional.
    assert marked == {"name": False, "note": True, "consent": False, "alt": False}
    assert not any(Filters()[name].is_marked_optional for name in Filters.base_fields)


def test_the_required_notice_is_for_forms_that_mix_marked_and_unmarked_fields():
    assert needs_required_notice(Entry())
    assert not needs_required_notice(Filters())

    class RequiredOnly(DsfrForm):
        reason = forms.CharField(label="Motif")

    class OptionalOnly(DsfrForm):
        comment = forms.CharField(label="Commentaire", required=False)

    assert not needs_required_notice(RequiredOnly())
    assert not needs_required_notice(OptionalOnly())


# --- Filter and search forms ---------------------------------------------------------


def test_the_librarys_filters_mark_no_field_optional(client, curator):
    client.force_login(curator)
    soup = soup_of(client.get(reverse("kit_library")))
    assert label_text(soup, "id_q") == "Rechercher"
    assert label_text(soup, "id_status") == "Statut"
    assert label_text(soup, "id_publish_after") == "Publication à partir du"
    assert "(facultatif)" not in soup.select_one("form[role=search]").get_text()
    assert notices(soup) == 0


def test_the_report_period_picker_marks_no_field_optional(client, manager):
    client.force_login(manager)
    soup = soup_of(client.get(reverse("reach_reports")))
    assert label_text(soup, "id_periode") == "Période"
    assert label_text(soup, "id_unite") == "Unité"
    assert "(facultatif)" not in soup.select_one("#report-filters").get_text()
    assert notices(soup) == 0


# --- Data-entry forms ----------------------------------------------------------------


def test_a_data_entry_form_marks_its_optional_fields_and_says_the_rest_are_required(client, ambassador):
    client.force_login(ambassador)
    soup = soup_of(client.get(reverse("handle_edit", args=["mastodon"])))
    form = soup.select_one("main form")
    assert label_text(soup, "id_instance").startswith("Instance Mastodon (facultatif)")
    assert label_text(soup, "id_handle").startswith("Identifiant ou adresse du profil Par exemple")
    # Once, at the top of the form, before its first field.
    assert notices(form) == 1
    assert form.get_text().index(NOTICE) < form.get_text().index("Réseau")


def test_the_kit_editor_says_once_that_unmarked_fields_are_required(client, curator):
    client.force_login(curator)
    soup = soup_of(client.get(reverse("kit_create")))
    form = soup.select_one("#kit-form")
    assert notices(form) == 1 and notices(soup) == 1
    assert form.get_text().index(NOTICE) < form.get_text().index("Titre")
    assert label_text(soup, "id_brief").startswith("Note aux ambassadeur·rices (facultatif)")
    assert label_text(soup, "id_target_units").startswith("Unités ciblées (facultatif)")
    assert label_text(soup, "id_is_important").startswith("Important Mis en avant")


def test_forms_of_required_fields_only_have_no_notice(client, db):
    soup = soup_of(client.get(reverse("account_login")))
    assert notices(soup) == 0


def test_a_single_checkbox_is_never_marked_optional(client, ambassador):
    soup = soup_of(client.get(reverse("account_login")))
    assert label_text(soup, "id_remember") == "Se souvenir de moi"
    client.force_login(ambassador)
    soup = soup_of(client.get(reverse("profile")))
    assert label_text(soup, "id_appears_in_rankings").startswith("Apparaître nommément dans les classements Sans")


# --- Kit visuals: required with an image ---------------------------------------------


def test_a_kit_images_alt_text_says_when_it_is_required_instead_of_optional(client, curator):
    kit = make_kit(author=curator)
    client.force_login(curator)
    soup = soup_of(client.get(reverse("kit_edit", args=[kit.pk])))
    assert label_text(soup, "id_image").startswith("Image Obligatoire pour un visuel de type image.")
    assert label_text(soup, "id_alt_text").startswith("Texte alternatif Obligatoire si une image est jointe")
    assert label_text(soup, "id_video_url") == "Lien de la vidéo Obligatoire pour un visuel de type vidéo."
    assert label_text(soup, "id_has_captions") == "La vidéo est sous-titrée"


def test_a_missing_alt_text_is_told_on_its_field_and_read_with_it(client, curator):
    kit = make_kit(author=curator)
    client.force_login(curator)
    image = SimpleUploadedFile("photo.png", _png(), content_type="image/png")
    response = client.post(reverse("kit_visual_add", args=[kit.pk]), {"kind": "image", "image": image})
    assert response.status_code == 400
    soup = soup_of(response)
    alt = soup.find(id="id_alt_text")
    assert alt["aria-invalid"] == "true"
    described = [soup.find(id=i) for i in alt["aria-describedby"].split()]
    assert all(described), alt["aria-describedby"]
    texts = [re.sub(r"\s+", " ", element.get_text(" ")).strip() for element in described]
    assert texts[0].startswith("Obligatoire si une image est jointe")
    assert "Une image a besoin d’un texte alternatif." in texts[1]
    # In the alternative text's own group, not elsewhere in the form.
    assert "Une image a besoin d’un texte alternatif." in alt.find_parent(class_="fr-input-group").get_text()


def _png() -> bytes:
    import io

    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "navy").save(buffer, "PNG")
    return buffer.getvalue()


# --- Every hint a field points at exists ---------------------------------------------


def test_a_field_with_its_own_id_is_still_described_by_its_hint(client, ambassador):
    kit = live_kit()
    client.force_login(ambassador)
    soup = soup_of(client.get(reverse("sharing:share", args=[kit.slug])))
    text = soup.find(id="share-text")
    hint = soup.find(id=text["aria-describedby"])
    assert hint is not None and "Partez d’un texte proposé" in hint.get_text()


def test_a_testimonials_consent_fields_are_not_called_optional(client, ambassador):
    client.force_login(ambassador)
    soup = soup_of(client.get(reverse("story_propose")))
    consent = soup.select_one("#consent")
    assert "Pour un témoignage seulement. Ses champs sont alors obligatoires" in consent.legend.get_text()
    for field_id in ("id_subject_name", "id_given_at", "id_channel", "id_uses", "id_consent_text_read"):
        assert "(facultatif)" not in label_text(soup, field_id), field_id
    # What a testimonial may still leave out stays marked.
    assert label_text(soup, "id_subject_contact").startswith("Comment la recontacter (facultatif)")
    assert label_text(soup, "id_photo_1").startswith("Photo 1 (facultatif)")
    assert label_text(soup, "id_alt_1").startswith(
        "Description de la photo 1 (texte alternatif) Obligatoire si la photo est jointe"
    )
    assert notices(soup) == 1


def test_file_inputs_are_the_design_systems_upload_field(client, curator):
    kit = make_kit(author=curator)
    client.force_login(curator)
    soup = soup_of(client.get(reverse("kit_edit", args=[kit.pk])))
    image = soup.find(id="id_image")
    assert image["class"] == ["fr-upload"] and "fr-upload-group" in image.parent["class"]


def test_a_refused_visual_says_so_where_the_page_opens_and_asks_for_the_image_again(client, curator):
    kit = make_kit(author=curator)
    client.force_login(curator)
    image = SimpleUploadedFile("photo.png", _png(), content_type="image/png")
    response = client.post(reverse("kit_visual_add", args=[kit.pk]), {"kind": "image", "image": image})
    soup = soup_of(response)
    form = soup.find(id="add-visual")
    # The form is at the foot of the editor: the response opens on it.
    assert form["action"].endswith("#add-visual")
    alert = form.select_one("[role=alert]")
    assert "Le visuel n’est pas ajouté" in alert.get_text()
    assert "Une image est à choisir de nouveau" in alert.get_text()
    image = SimpleUploadedFile("photo.png", _png(), content_type="image/png")
    response = client.post(
        reverse("kit_visual_add", args=[kit.pk]), {"kind": "image", "image": image, "alt_text": "Une agence"}
    )
    assert response["Location"] == reverse("kit_edit", args=[kit.pk]) + "#visuals-title"


def test_the_post_address_is_not_called_optional_on_a_required_input(client, ambassador):
    from tests.sharing.factories import share

    shared = share(ambassador=ambassador)
    client.force_login(ambassador)
    soup = soup_of(client.get(reverse("sharing:share", args=[shared.kit.slug])))
    field = soup.find(id=f"post-url-{shared.pk}")
    assert field.has_attr("required")
    assert label_text(soup, f"post-url-{shared.pk}").startswith("Adresse de votre publication Si vous le souhaitez")
    assert "(facultatif)" not in label_text(soup, f"post-url-{shared.pk}")
    assert soup.find(id=field["aria-describedby"]).get_text().startswith("Si vous le souhaitez")


def test_the_browser_does_not_fill_in_a_testimonials_subject_with_the_authors_own_details(client, ambassador):
    client.force_login(ambassador)
    soup = soup_of(client.get(reverse("story_propose")))
    assert soup.find(id="id_subject_name")["autocomplete"] == "off"
    assert soup.find(id="id_subject_contact")["autocomplete"] == "off"


def _post_address_field(soup, shared):
    field = soup.find(id=f"post-url-{shared.pk}")
    described = [soup.find(id=i) for i in field["aria-describedby"].split()]
    assert all(described), field["aria-describedby"]
    return field, [element.get_text(" ", strip=True) for element in described]


def test_a_refused_post_address_is_told_on_its_own_field_with_what_was_typed(client, ambassador):
    from tests.sharing.factories import share

    kit = live_kit()
    other = share(ambassador=ambassador, kit=kit, network="linkedin")
    shared = share(ambassador=ambassador, kit=kit, network="x")
    client.force_login(ambassador)
    for typed, error in (
        ("pas une adresse", "Collez l’adresse complète de votre publication (https://…)."),
        ("https://www.facebook.com/camille/posts/1", "Cette adresse n’est pas une publication X."),
    ):
        response = client.post(reverse("sharing:attach_post", args=[shared.pk]), {"post_url": typed})
        assert response.status_code == 400
        soup = soup_of(response)
        field, described = _post_address_field(soup, shared)
        assert field["value"] == typed and field["aria-invalid"] == "true" and field.has_attr("autofocus")
        assert described[1] == error
        # Not on the other share's field, nor as a message at the top of the page.
        other_field, _ = _post_address_field(soup, other)
        assert not other_field.has_attr("aria-invalid") and not other_field.has_attr("value")
        assert soup.get_text().count(error) == 1
    # The page can still share: its network pages stay allowed as form targets.
    assert "https://x.com" in response["Content-Security-Policy"]


def test_an_error_in_the_django_admin_is_tied_to_its_field(client, admin_user):
    # The admin renders its forms without django-dsfr's snippets, with the project's
    # renderer and bound field all the same.
    client.force_login(admin_user)
    soup = soup_of(client.post(reverse("admin:content_topic_add"), {"name": "", "slug": ""}))
    field = soup.find(id="id_name")
    described = [soup.find(id=i) for i in field["aria-describedby"].split()]
    assert all(described), field["aria-describedby"]
    assert "Ce champ est obligatoire." in " ".join(element.get_text() for element in described)


class TwoPickers(DsfrForm):
    audience = forms.ModelMultipleChoiceField(label="Public", queryset=OrgUnit.objects.all(), widget=UnitPicker)
    excluded = forms.ModelMultipleChoiceField(
        label="Exclues", queryset=OrgUnit.objects.all(), widget=UnitPicker, required=False
    )


def test_two_unit_pickers_on_one_page_have_ids_of_their_own(org):
    form = TwoPickers(data={"announce-excluded": [org["a-bre-1"].pk]}, prefix="announce")
    form.is_valid()
    soup = BeautifulSoup(
        Template("{% load app_tags %}{% form_fields form %}").render(Context({"form": form})), "html.parser"
    )
    ids = [element["id"] for element in soup.find_all(id=True)]
    assert len(ids) == len(set(ids)), [i for i in ids if ids.count(i) > 1][:5]
    # Every label, legend, search box and error points inside its own picker.
    for name in ("audience", "excluded"):
        fieldset = soup.find("fieldset", id=f"id_announce-{name}-fieldset")
        inside = {element["id"] for element in fieldset.find_all(id=True)}
        assert set(fieldset["aria-labelledby"].split()) <= inside
        assert {label["for"] for label in fieldset.find_all("label")} <= inside
        search = fieldset.find("input", type="search")
        assert search["data-unit-filter"] in inside
        assert fieldset.find(attrs={"data-unit-filter-status": True}) is not None
        boxes = fieldset.find_all("input", type="checkbox")
        assert boxes and {box["name"] for box in boxes} == {f"announce-{name}"}
    # The error of the required one is named by its fieldset.
    audience = soup.find("fieldset", id="id_announce-audience-fieldset")
    assert "id_announce-audience-desc-error" in audience["aria-labelledby"]
    checked = soup.find("input", attrs={"name": "announce-excluded", "checked": True})
    assert checked["value"] == str(org["a-bre-1"].pk)
