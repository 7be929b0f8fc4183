"""Field stories and testimonials: proposing with photos and consent, the author editing
them, curators turning them into kits, the author seeing the changes, consent withdrawal
taking kits down (pages and API)."""

import io

import pytest
from django.contrib.messages import get_messages
from django.core import mail
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st
from PIL import Image

from advocacy.errors import Conflict, DomainError
from content import stories, workflow
from content.diff import DiffPiece, word_diff
from content.models import Consent, Kit, KitTransition, Story
from tests.accounts.factories import make_ambassador
from tests.content.factories import (
    MINIMAL_PDF,
    allow_default_domains,
    consent_data,
    jpeg_upload,
    make_story,
    pdf_upload,
)

GPS_IFD = 0x8825


def gps_jpeg(name="terrain.jpg"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    exif = Image.Exif()
    exif.get_ifd(GPS_IFD).update({1: "N", 2: (48.0, 6.0, 30.0)})
    output = io.BytesIO()
    Image.new("RGB", (40, 30), (1, 2, 3)).save(output, format="JPEG", exif=exif)
    return SimpleUploadedFile(name, output.getvalue(), content_type="image/jpeg")


def story_form(**overrides):
    data = {
        "kind": "story",
        "title": "Forum de l’alternance à Vannes",
        "body": "Quarante jeunes ont rencontré douze employeurs.",
        "video_url": "",
    }
    data.update(overrides)
    return data


TESTIMONIAL = {
    "kind": "job_seeker",
    "subject_label": "Amélie, 34 ans",
    "subject_name": "Amélie Durand",
    "given_at": "2026-11-02",
    "uses": ["social_networks", "website"],
    "channel": "paper",
    "consent_text_read": "on",
}


class TestProposing:
    def test_ambassador_proposes_a_story_with_a_photo_cleaned_of_gps(
        self, client, ambassador, curator, django_capture_on_commit_callbacks
    ):
        client.force_login(ambassador)
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(
                reverse("story_propose"), story_form(photo_1=gps_jpeg(), alt_1="Des jeunes au forum")
            )
        story = Story.objects.get()
        assert response.status_code == 302 and response["Location"] == reverse("story_detail", args=[story.pk])
        photo = story.photos.get()
        assert photo.alt_text == "Des jeunes au forum"
        assert "terrain" not in photo.image.name
        assert not Image.open(photo.image.path).getexif().get_ifd(GPS_IFD)
        served = client.get(reverse("story_photo", args=[photo.pk]))
        assert served.status_code == 200 and served["Cache-Control"].startswith("private")
        assert [m.to for m in mail.outbox] == [[curator.email]]

    def test_another_ambassador_sees_neither_the_story_nor_its_photos(self, client, ambassador, org, charter):
        story = make_story(ambassador, photos=1)
        other = make_ambassador(unit=org["a-bre-1"], charter=charter)
        client.force_login(other)
        assert client.get(reverse("story_detail", args=[story.pk])).status_code == 404
        assert client.get(reverse("story_photo", args=[story.photos.get().pk])).status_code == 404

    def test_a_photo_needs_its_alternative_text(self, client, ambassador):
        client.force_login(ambassador)
        response = client.post(reverse("story_propose"), story_form(photo_1=jpeg_upload(), alt_1=""))
        assert response.status_code == 200
        assert "Décrivez la photo" in response.content.decode()
        assert not Story.objects.exists()

    @pytest.mark.parametrize(
        ("upload_name", "data", "message"),
        [
            ("photo.jpg", MINIMAL_PDF, "pas une image acceptée"),
            ("notes.txt", b"hello", "pas une image acceptée"),
        ],
    )
    def test_wrong_or_disguised_files_get_a_clear_error(self, client, ambassador, upload_name, data, message):
        from django.core.files.uploadedfile import SimpleUploadedFile

        client.force_login(ambassador)
        upload = SimpleUploadedFile(upload_name, data, content_type="image/jpeg")
        response = client.post(reverse("story_propose"), story_form(photo_1=upload, alt_1="Une photo"))
        assert response.status_code == 200
        assert message in response.content.decode()
        assert not Story.objects.exists()

    def test_oversized_photo_is_refused(self, client, ambassador, settings):
        settings.CONTENT_IMAGE_MAX_BYTES = 200
        client.force_login(ambassador)
        response = client.post(reverse("story_propose"), story_form(photo_1=jpeg_upload(), alt_1="Une photo"))
        assert "taille maximale" in response.content.decode()
        assert not Story.objects.exists()

    def test_a_refused_proposal_says_so_above_the_form(self, client, ambassador):
        from bs4 import BeautifulSoup

        client.force_login(ambassador)
        response = client.post(reverse("story_propose"), story_form(kind="employer"))
        soup = BeautifulSoup(response.content, "html.parser")
        summary = soup.select_one("main .fr-alert--error")
        assert "Votre histoire n’est pas encore envoyée" in summary.get_text()
        assert summary.find_next("form") is not None  # above the form, where the page opens

    def test_testimonial_without_consent_is_refused(self, client, ambassador):
        client.force_login(ambassador)
        response = client.post(reverse("story_propose"), story_form(kind="employer"))
        assert response.status_code == 200
        page = response.content.decode()
        assert "Indiquez qui a donné son consentement" in page
        assert not Story.objects.exists()
        with pytest.raises(DomainError) as error:
            stories.story_propose(author=ambassador, kind="employer", title="T", body="B")
        assert error.value.code == "consent_required"

    def test_testimonial_records_its_consent_and_signed_form(self, client, ambassador):
        client.force_login(ambassador)
        response = client.post(
            reverse("story_propose"), story_form(**TESTIMONIAL, is_anonymised="on", signed_form=pdf_upload())
        )
        assert response.status_code == 302
        story = Story.objects.get()
        assert story.is_anonymised and story.kind == "job_seeker"
        consent = story.consent
        assert consent.subject_name == "Amélie Durand"
        assert consent.uses == ["social_networks", "website"]
        assert consent.channel == "paper" and consent.text_version == stories.CONSENT_TEXT_VERSION
        assert consent.recorded_by == ambassador
        assert consent.signed_form.name.endswith(".pdf")

    def test_signed_form_is_for_curators_only(self, client, ambassador, curator):
        story = make_story(ambassador, kind="job_seeker", signed_form=True)
        client.force_login(curator)
        response = client.get(reverse("story_consent_form", args=[story.pk]))
        assert response.status_code == 200 and b"".join(response.streaming_content) == MINIMAL_PDF

    def test_a_curator_sees_each_note_field_with_its_own_label(self, client, ambassador, curator):
        from collections import Counter

        from bs4 import BeautifulSoup

        story = make_story(ambassador, kind="job_seeker")
        client.force_login(curator)
        soup = BeautifulSoup(client.get(reverse("story_detail", args=[story.pk])).content, "html.parser")
        ids = Counter(element["id"] for element in soup.select("[id]"))
        assert not [name for name, count in ids.items() if count > 1]
        notes = soup.select("main textarea[name=note]")
        assert len(notes) == 2  # recording a withdrawal, declining the story
        assert all(soup.select_one(f"label[for={note['id']}]") for note in notes)

    def test_a_future_consent_date_is_refused(self, ambassador):
        import datetime as dt

        with pytest.raises(DomainError):
            make_story(ambassador, kind="employer", consent=consent_data(given_at=dt.date(2999, 1, 1)))

    def test_staff_who_did_not_join_cannot_propose(self, staff):
        with pytest.raises(DomainError):
            make_story(staff)


class TestEditing:
    def test_author_edits_a_proposed_story_on_its_page(self, client, ambassador, django_capture_on_commit_callbacks):
        story = make_story(ambassador, title="Forum de Vannes", body="Quarante jeunes.")
        client.force_login(ambassador)
        page = client.get(reverse("story_edit", args=[story.pk])).content.decode()
        assert "Forum de Vannes" in page and "Quarante jeunes." in page
        mail.outbox.clear()
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(
                reverse("story_edit", args=[story.pk]),
                {"title": "Forum de l’alternance à Vannes", "body": "Quarante-deux jeunes."},
            )
        assert response.status_code == 302 and response["Location"] == reverse("story_detail", args=[story.pk])
        story.refresh_from_db()
        assert (story.title, story.body, story.status) == (
            "Forum de l’alternance à Vannes",
            "Quarante-deux jeunes.",
            Story.Status.PROPOSED,
        )
        assert mail.outbox == []  # still in the curators' inbox: nothing new to tell them

    def test_editing_a_story_made_into_a_kit_sends_it_back_to_the_team_and_leaves_the_kit_alone(
        self, client, ambassador, curator, moderator, django_capture_on_commit_callbacks
    ):
        allow_default_domains()
        story = make_story(ambassador, body="Trois apprentis recrutés au forum de Rennes. #AvecPôleEmploi")
        kit = stories.story_to_kit(story=story, by=curator)
        workflow.kit_submit(kit=kit, by=curator)
        kit = workflow.kit_approve(kit=kit, by=moderator)
        assert kit.status == Kit.Status.PUBLISHED
        client.force_login(ambassador)
        mail.outbox.clear()
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(
                reverse("story_edit", args=[story.pk]),
                {"title": story.title, "body": "Quatre apprentis recrutés au forum de Rennes. #AvecPôleEmploi"},
            )
        assert response.status_code == 302
        story.refresh_from_db()
        kit.refresh_from_db()
        assert story.status == Story.Status.PROPOSED and list(story.kits.all()) == [kit]
        assert kit.status == Kit.Status.PUBLISHED
        assert [t.body for t in kit.texts.all()] == ["Trois apprentis recrutés au forum de Rennes. #AvecPôleEmploi"]
        (message,) = mail.outbox
        assert message.to == [curator.email] and "Histoire modifiée" in message.subject
        page = client.get(reverse("story_detail", args=[story.pk])).content.decode()
        assert "<del>Quatre </del>" in page and "<ins>Trois </ins>" in page  # the kit now differs from the story

    def test_only_the_author_edits_a_story(self, client, ambassador, curator, org, charter):
        story = make_story(ambassador, kind="job_seeker")
        client.force_login(make_ambassador(unit=org["a-bre-1"], charter=charter))
        assert client.get(reverse("story_edit", args=[story.pk])).status_code == 404
        with pytest.raises(DomainError) as error:
            stories.story_update(story=story, by=curator, title="Autre titre")
        assert error.value.code == "forbidden"
        story.refresh_from_db()
        assert story.title == "Un recrutement réussi à Rennes"

    @pytest.mark.parametrize("closed", ["declined", "withdrawn"])
    def test_a_declined_or_withdrawn_story_is_closed(self, client, ambassador, curator, closed):
        story = make_story(ambassador, kind="job_seeker")
        if closed == "declined":
            stories.story_decline(story=story, by=curator, note="Déjà relayée.")
        else:
            stories.consent_withdraw(story=story, by=ambassador)
        client.force_login(ambassador)
        response = client.get(reverse("story_edit", args=[story.pk]), follow=True)
        assert "Cette histoire ne se modifie plus." in response.content.decode()
        assert "Modifier mon histoire" not in response.content.decode()
        with pytest.raises(Conflict) as error:
            stories.story_update(story=story, by=ambassador, title="Autre titre")
        assert error.value.code == "story_closed"

    def test_the_kind_and_the_consent_are_not_editable(self, client, ambassador):
        story = make_story(ambassador)
        with pytest.raises(DomainError) as error:
            stories.story_update(story=story, by=ambassador, kind="employer")
        assert "Champ non modifiable" in error.value.message
        client.force_login(ambassador)
        page = client.get(reverse("story_edit", args=[story.pk])).content.decode()
        assert 'name="subject_label"' not in page and 'name="kind"' not in page  # a story quotes nobody

    def test_a_testimonial_edits_how_the_person_is_presented(self, client, ambassador):
        story = make_story(ambassador, kind="employer", subject_label="Une PME")
        client.force_login(ambassador)
        client.post(
            reverse("story_edit", args=[story.pk]),
            {"title": story.title, "body": story.body, "subject_label": "Une PME du bâtiment", "is_anonymised": "on"},
        )
        story.refresh_from_db()
        assert story.subject_label == "Une PME du bâtiment" and story.is_anonymised
        assert story.consent.subject_name == "Amélie Durand"  # the proof is untouched

    def test_a_refused_edit_is_a_french_error_that_keeps_what_was_typed(self, client, ambassador):
        story = make_story(ambassador)
        client.force_login(ambassador)
        response = client.post(
            reverse("story_edit", args=[story.pk]),
            {"title": "Nouveau titre", "body": "Nouveau texte", "video_url": "http://video.example/x"},
        )
        page = response.content.decode()
        assert response.status_code == 200
        assert "Le lien vers la vidéo doit commencer par https://." in page and "Nouveau texte" in page
        story.refresh_from_db()
        assert story.title == "Un recrutement réussi à Rennes"

    def test_author_edits_their_story_through_the_api(self, api_client, ambassador):
        story = make_story(ambassador, kind="employer")
        api_client.force_authenticate(ambassador)
        url = f"/api/v1/stories/{story.pk}/"
        response = api_client.patch(url, {"title": "Une PME recrute", "is_anonymised": True}, format="json")
        assert response.status_code == 200, response.json()
        body = response.json()
        assert body["title"] == "Une PME recrute" and body["is_anonymised"] and body["status"] == "proposed"
        assert body["body"] == story.body  # a partial edit leaves the rest
        assert api_client.get(url).json()["title"] == "Une PME recrute"

    def test_the_api_refuses_fields_the_author_cannot_change(self, api_client, ambassador):
        story = make_story(ambassador)
        api_client.force_authenticate(ambassador)
        response = api_client.patch(
            f"/api/v1/stories/{story.pk}/", {"title": "Titre", "status": "in_kit", "kind": "employer"}, format="json"
        )
        assert response.status_code == 400
        assert set(response.json()["error"]["fields"]) == {"status", "kind"}
        story.refresh_from_db()
        assert story.status == Story.Status.PROPOSED and story.title == "Un recrutement réussi à Rennes"

    def test_the_api_edits_only_ones_own_open_stories(self, api_client, ambassador, curator, org, charter):
        story = make_story(ambassador)
        api_client.force_authenticate(make_ambassador(unit=org["a-bre-1"], charter=charter))
        assert api_client.patch(f"/api/v1/stories/{story.pk}/", {"title": "X"}, format="json").status_code == 404
        stories.story_decline(story=story, by=curator, note="Déjà relayée.")
        api_client.force_authenticate(ambassador)
        response = api_client.patch(f"/api/v1/stories/{story.pk}/", {"title": "X"}, format="json")
        assert response.status_code == 409 and response.json()["error"]["code"] == "story_closed"


class TestIntoKits:
    def test_curator_turns_a_story_into_a_draft_kit(self, client, ambassador, curator):
        allow_default_domains()
        story = make_story(ambassador)
        client.force_login(curator)
        response = client.post(reverse("story_to_kit", args=[story.pk]))
        assert response.status_code == 302
        kit = Kit.objects.get()
        assert kit.status == Kit.Status.DRAFT and kit.author == curator
        assert [t.body for t in kit.texts.all()] == [story.body]
        story.refresh_from_db()
        assert story.status == Story.Status.IN_KIT and list(story.kits.all()) == [kit]

    def test_photos_video_and_consent_travel_into_the_kit(self, ambassador, curator):
        allow_default_domains()
        story = make_story(
            ambassador, kind="job_seeker", photos=2, video_url="https://video.example/x", is_anonymised=True
        )
        kit = stories.story_to_kit(story=story, by=curator)
        visuals = list(kit.visuals.all())
        assert [v.kind for v in visuals] == ["image", "image", "video"]
        assert [v.alt_text for v in visuals[:2]] == ["Photo 0", "Photo 1"]
        assert visuals[0].image.name != story.photos.first().image.name  # a copy the kit owns
        assert "consentement" in kit.brief and "anonymisé" in kit.brief

    def test_author_sees_what_the_curators_changed(self, client, ambassador, curator):
        allow_default_domains()
        story = make_story(ambassador, body="Trois apprentis recrutés au forum de Rennes.")
        kit = stories.story_to_kit(story=story, by=curator)
        workflow.kit_update(
            kit=kit, by=curator, texts=[{"body": "Trois apprentis recrutés au forum de Rennes #AvecPôleEmploi"}]
        )
        client.force_login(ambassador)
        page = client.get(reverse("story_detail", args=[story.pk])).content.decode()
        assert "<del>Rennes.</del>" in page
        assert "<ins>Rennes #AvecPôleEmploi</ins>" in page

    def test_consent_not_covering_social_networks_cannot_become_a_kit(self, ambassador, curator):
        allow_default_domains()
        story = make_story(ambassador, kind="employer", consent=consent_data(uses=[Consent.Use.INTERNAL]))
        with pytest.raises(Conflict) as error:
            stories.story_to_kit(story=story, by=curator)
        assert error.value.code == "consent_scope"

    def test_curator_declines_with_a_note_the_author_reads(self, client, ambassador, curator):
        story = make_story(ambassador)
        client.force_login(curator)
        client.post(reverse("story_decline", args=[story.pk]), {"note": "Déjà relayé en octobre."})
        client.force_login(ambassador)
        page = client.get(reverse("story_detail", args=[story.pk])).content.decode()
        assert "Déjà relayé en octobre." in page and "Non retenue" in page

    def test_text_diff_marks_insertions_and_deletions(self):
        pieces = word_diff("un deux trois", "un trois quatre")
        deleted = "".join(p.text for p in pieces if p.op == "delete")
        inserted = "".join(p.text for p in pieces if p.op == "insert")
        assert "deux" in deleted and "quatre" in inserted
        assert pieces[0] == DiffPiece("equal", "un ")

    @given(st.text(max_size=60), st.text(max_size=60))
    def test_text_diff_rebuilds_both_texts(self, before, after):
        pieces = word_diff(before, after)
        assert "".join(p.text for p in pieces if p.op != "insert") == before
        assert "".join(p.text for p in pieces if p.op != "delete") == after


class TestConsentWithdrawal:
    @pytest.fixture
    def testimonial_kits(self, ambassador, curator, moderator, django_capture_on_commit_callbacks):
        """A testimonial used by a published kit and by a draft kit."""
        allow_default_domains()
        story = make_story(ambassador, kind="job_seeker", body="Amélie a trouvé un CDI. #AvecPôleEmploi")
        published = stories.story_to_kit(story=story, by=curator)
        workflow.kit_submit(kit=published, by=curator)
        published = workflow.kit_approve(kit=published, by=moderator)
        draft = stories.story_to_kit(story=story, by=curator)
        assert published.status == Kit.Status.PUBLISHED
        return story, published, draft

    def test_withdrawal_unpublishes_every_kit_that_uses_the_testimonial(
        self, client, ambassador, curator, testimonial_kits, django_capture_on_commit_callbacks
    ):
        story, published, draft = testimonial_kits
        retracted = []
        workflow.KIT_RETRACTED_HOOKS.append(retracted.append)
        mail.outbox.clear()
        try:
            client.force_login(ambassador)  # the agent who collected the consent records its withdrawal
            with django_capture_on_commit_callbacks(execute=True):
                response = client.post(reverse("consent_withdraw", args=[story.pk]), {"note": "Appel du 20/11"})
        finally:
            workflow.KIT_RETRACTED_HOOKS.remove(retracted.append)
        assert response.status_code == 302
        notice = [str(m) for m in get_messages(response.wsgi_request)]
        assert notice == ["Le retrait du consentement est enregistré ; 2 kits retirés de la diffusion."]
        published.refresh_from_db()
        draft.refresh_from_db()
        assert published.status == Kit.Status.RETRACTED and published.retracted_by == ambassador
        assert draft.status == Kit.Status.ARCHIVED
        assert [k.pk for k in retracted] == [published.pk]
        assert KitTransition.objects.filter(kit=published, to_status=Kit.Status.RETRACTED, by=ambassador).exists()
        story.refresh_from_db()
        assert story.status == Story.Status.WITHDRAWN and story.consent.is_withdrawn
        assert story.consent.withdrawal_note == "Appel du 20/11"
        (message,) = mail.outbox
        assert message.to == [curator.email] and "Consentement retiré" in message.subject
        assert published.title in message.body

    def test_withdrawn_story_cannot_be_used_again(self, curator, moderator, testimonial_kits):
        story, _published, _draft = testimonial_kits
        stories.consent_withdraw(story=story, by=moderator)
        with pytest.raises(Conflict):
            stories.story_to_kit(story=story, by=curator)
        with pytest.raises(Conflict):
            stories.consent_withdraw(story=story, by=moderator)

    def test_a_curator_can_record_the_withdrawal_too(self, curator, testimonial_kits):
        story, published, _draft = testimonial_kits
        changed = stories.consent_withdraw(story=story, by=curator)
        assert {k.status for k in changed} == {Kit.Status.RETRACTED, Kit.Status.ARCHIVED}

    def test_withdrawal_through_the_api_takes_the_kits_down(
        self, api_client, ambassador, curator, testimonial_kits, django_capture_on_commit_callbacks
    ):
        story, published, draft = testimonial_kits
        api_client.force_authenticate(ambassador)
        url = f"/api/v1/stories/{story.pk}/withdraw-consent/"
        mail.outbox.clear()
        with django_capture_on_commit_callbacks(execute=True):
            response = api_client.post(url, {"note": "Courriel du 21/11"}, format="json")
        assert response.status_code == 200, response.json()
        body = response.json()
        assert body["story"]["status"] == "withdrawn" and body["story"]["consent"]["is_withdrawn"]
        assert {(k["id"], k["status"]) for k in body["kits"]} == {(published.pk, "retracted"), (draft.pk, "archived")}
        story.refresh_from_db()
        assert story.consent.withdrawal_note == "Courriel du 21/11" and story.consent.withdrawn_by == ambassador
        assert KitTransition.objects.filter(kit=published, to_status=Kit.Status.RETRACTED, by=ambassador).exists()
        assert [m.to for m in mail.outbox] == [[curator.email]]
        again = api_client.post(url, {}, format="json")
        assert again.status_code == 409 and again.json()["error"]["code"] == "already_withdrawn"

    def test_api_withdrawal_errors_are_structured(self, api_client, ambassador, curator, org, charter):
        story = make_story(ambassador)  # a story quotes nobody: there is no consent to withdraw
        api_client.force_authenticate(curator)
        response = api_client.post(f"/api/v1/stories/{story.pk}/withdraw-consent/", {}, format="json")
        assert response.status_code == 400 and response.json()["error"]["code"] == "no_consent"
        testimonial = make_story(ambassador, kind="employer")
        api_client.force_authenticate(make_ambassador(unit=org["a-bre-1"], charter=charter))
        url = f"/api/v1/stories/{testimonial.pk}/withdraw-consent/"
        assert api_client.post(url, {}, format="json").status_code == 404
        api_client.force_authenticate(ambassador)
        response = api_client.post(url, {"note": "x" * 2001}, format="json")
        assert response.status_code == 400 and "note" in response.json()["error"]["fields"]
        assert not Consent.objects.get(story=testimonial).is_withdrawn

    def test_another_ambassador_cannot_record_a_withdrawal(self, org, charter, testimonial_kits):
        story, published, _draft = testimonial_kits
        with pytest.raises(DomainError) as error:
            stories.consent_withdraw(story=story, by=make_ambassador(unit=org["a-bre-1"], charter=charter))
        assert error.value.code == "forbidden"
        published.refresh_from_db()
        assert published.status == Kit.Status.PUBLISHED and not story.consent.is_withdrawn

    def test_a_too_long_note_on_the_page_records_nothing_and_says_why(self, client, ambassador, testimonial_kits):
        story, published, _draft = testimonial_kits
        client.force_login(ambassador)
        response = client.post(reverse("consent_withdraw", args=[story.pk]), {"note": "x" * 2001}, follow=True)
        assert "Le retrait n’est pas enregistré" in response.content.decode()
        story.refresh_from_db()
        assert not story.consent.is_withdrawn

    def test_kits_are_taken_down_only_for_a_withdrawn_consent(self, ambassador, testimonial_kits):
        """The transition needs no role, so it must check its reason itself."""
        _story, published, _draft = testimonial_kits
        with pytest.raises(Conflict) as error:
            workflow.kit_take_down_for_consent(kit=published, by=ambassador, reason="Pour voir.")
        assert error.value.code == "consent_not_withdrawn"
        published.refresh_from_db()
        assert published.status == Kit.Status.PUBLISHED


class TestLists:
    def test_story_inbox_query_count_is_constant(self, client, curator, ambassador, django_assert_num_queries):
        client.force_login(curator)
        for _ in range(2):
            make_story(ambassador, kind="employer", photos=1)
        client.get(reverse("story_list"))  # warm caches (sessions, MFA flag)

        def count():
            from django.db import connection
            from django.test.utils import CaptureQueriesContext

            with CaptureQueriesContext(connection) as captured:
                assert client.get(reverse("story_list")).status_code == 200
            return len(captured)

        few = count()
        for _ in range(5):
            make_story(ambassador, kind="job_seeker")
        assert count() == few

    def test_ambassador_list_shows_only_their_stories(self, client, ambassador, org, charter):
        mine = make_story(ambassador, title="Mon histoire")
        make_story(make_ambassador(unit=org["a-bre-1"], charter=charter), title="Celle d’un collègue")
        client.force_login(ambassador)
        page = client.get(reverse("story_list")).content.decode()
        assert mine.title in page and "Celle d’un collègue" not in page


class TestApi:
    def test_ambassador_proposes_and_lists_own_stories(self, api_client, ambassador, org, charter):
        make_story(make_ambassador(unit=org["a-bre-1"], charter=charter), title="Pas la mienne")
        api_client.force_authenticate(ambassador)
        response = api_client.post(
            "/api/v1/stories/",
            {
                "kind": "employer",
                "title": "Une PME recrute",
                "body": "Trois CDI signés.",
                "status": "in_kit",
                "consent": {
                    "subject_name": "M. Martin",
                    "given_at": "2026-11-01",
                    "uses": ["social_networks"],
                    "channel": "email",
                },
            },
            format="json",
        )
        assert response.status_code == 201, response.json()
        body = response.json()
        assert body["status"] == "proposed"  # never writable
        assert body["consent"]["text_version"] == stories.CONSENT_TEXT_VERSION
        listed = api_client.get("/api/v1/stories/").json()
        assert [s["title"] for s in listed["results"]] == ["Une PME recrute"]

    def test_testimonial_without_consent_gets_a_structured_error(self, api_client, ambassador):
        api_client.force_authenticate(ambassador)
        response = api_client.post("/api/v1/stories/", {"kind": "employer", "title": "T", "body": "B"}, format="json")
        assert response.status_code == 400
        assert response.json()["error"]["code"] == "consent_required"

    def test_curators_list_every_story(self, api_client, curator, ambassador, django_assert_max_num_queries):
        for _ in range(3):
            make_story(ambassador, kind="job_seeker")
        api_client.force_authenticate(curator)
        with django_assert_max_num_queries(8):
            response = api_client.get("/api/v1/curation/stories/", {"status": "proposed"})
        assert response.json()["count"] == 3
