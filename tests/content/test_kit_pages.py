"""The curators' and moderators' pages, through HTTP: library, editor, preview, a kit's
page and its actions, versions, moderation queue and calendar."""

import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from content import workflow
from content.models import Kit, KitVisual
from tests.accounts.factories import UserFactory
from tests.content.factories import LINK, allow_default_domains, make_kit, topic
from tests.pages import textarea_value

S = Kit.Status
PARIS = ZoneInfo("Europe/Paris")


@pytest.fixture
def curator_client(client, curator):
    client.force_login(curator)
    return client


@pytest.fixture
def moderator_client(client, moderator):
    client.force_login(moderator)
    return client


def editor_data(**overrides):
    data = {
        "title": "Semaine de l’emploi",
        "brief": "<p>Pourquoi ça compte</p>",
        "link": LINK,
        "language": "fr",
        "hashtags": "#AvecPôleEmploi, emploi  #jeunes",
        "target_job_functions": [],
        "publish_at": "",
        "expires_at": "",
        "texts-TOTAL_FORMS": "2",
        "texts-INITIAL_FORMS": "0",
        "texts-MIN_NUM_FORMS": "0",
        "texts-MAX_NUM_FORMS": "10",
        "texts-0-body": "Premier angle #AvecPôleEmploi",
        "texts-0-networks": ["x", "linkedin"],
        "texts-1-body": "Second angle #AvecPôleEmploi",
    }
    data.update(overrides)
    return data


def page_text(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


# --- Editor --------------------------------------------------------------------------


def test_curator_creates_a_draft_with_texts_targets_and_a_paris_time(curator_client, curator, org):
    allow_default_domains()
    theme = topic("Recrutement")
    response = curator_client.post(
        reverse("kit_create"),
        editor_data(
            topics=[theme.pk],
            target_units=[org["dr-bre"].pk, org["a-occ-1"].pk],
            target_job_functions=["conseiller_emploi"],
            publish_at="2030-03-10T09:30",
            is_important="on",
        ),
    )
    kit = Kit.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("kit_detail", args=[kit.pk])
    assert kit.status == S.DRAFT and kit.author == curator
    assert kit.hashtags == ["AvecPôleEmploi", "emploi", "jeunes"]
    assert [(t.body, t.networks) for t in kit.texts.all()] == [
        ("Premier angle #AvecPôleEmploi", ["x", "linkedin"]),
        ("Second angle #AvecPôleEmploi", []),
    ]
    assert set(kit.target_units.all()) == {org["dr-bre"], org["a-occ-1"]}
    assert kit.target_job_functions == ["conseiller_emploi"]
    assert list(kit.topics.all()) == [theme]
    assert kit.is_important
    assert kit.publish_at == datetime(2030, 3, 10, 9, 30, tzinfo=PARIS)


def test_a_refused_link_is_a_french_form_error_that_keeps_what_was_typed(curator_client):
    allow_default_domains()
    response = curator_client.post(
        reverse("kit_create"), editor_data(link="https://example.com/x", title="Mon titre à garder")
    )
    assert response.status_code == 400
    body = page_text(response)
    assert "ne fait pas partie des domaines autorisés" in body
    assert "Mon titre à garder" in body and "Second angle #AvecPôleEmploi" in body
    assert not Kit.objects.exists()


def test_add_a_text_without_javascript_adds_a_row_and_saves_nothing(curator_client):
    response = curator_client.post(reverse("kit_create"), editor_data(title="", add_text="1"))
    assert response.status_code == 200
    body = response.content.decode()
    assert 'name="texts-2-body"' in body and 'name="texts-TOTAL_FORMS" value="3"' in body
    assert "Ce champ est obligatoire" not in body
    assert not Kit.objects.exists()


def test_editor_offers_every_unit_grouped_by_region(curator_client, org):
    body = curator_client.get(reverse("kit_create")).content.decode()
    assert body.count('name="target_units"') == len(org)
    assert "<summary>DR Bretagne" in body and "<summary>DR Occitanie" in body


def test_save_and_submit_refused_keeps_the_draft_and_says_why(curator_client):
    allow_default_domains()
    data = editor_data(submit="1")
    data.update({"texts-TOTAL_FORMS": "0"})  # no suggested text yet
    for key in ("texts-0-body", "texts-0-networks", "texts-1-body"):
        del data[key]
    response = curator_client.post(reverse("kit_create"), data)
    assert response.status_code == 400
    assert "Brouillon enregistré, mais pas soumis" in page_text(response)
    assert Kit.objects.get().status == S.DRAFT


def test_a_text_block_left_empty_is_refused_on_its_field_not_dropped(curator_client):
    # It was dropped on save without a word, with the networks ticked for it.
    allow_default_domains()
    response = curator_client.post(reverse("kit_create"), editor_data(**{"texts-0-body": "  "}))
    assert response.status_code == 400
    assert not Kit.objects.exists()
    body = response.content.decode()
    error = re.search(r'<ul[^>]*id="id_texts-0-body_error"[^>]*>(.*?)</ul>', body, re.S)
    assert error and "Écrivez ce texte, ou cochez « Retirer ce texte »." in error.group(1)
    textarea = re.search(r"<textarea[^>]*texts-0-body[^>]*>", body).group(0)
    assert 'aria-invalid="true"' in textarea and "id_texts-0-body_error" in textarea
    assert "Second angle #AvecPôleEmploi" in body  # what was typed is kept


def test_a_text_block_marked_for_removal_may_be_left_empty(curator_client):
    allow_default_domains()
    response = curator_client.post(reverse("kit_create"), editor_data(**{"texts-0-body": "", "texts-0-DELETE": "on"}))
    assert response.status_code == 302
    assert [t.body for t in Kit.objects.get().texts.all()] == ["Second angle #AvecPôleEmploi"]


def test_an_untouched_text_block_added_on_the_page_is_not_kept(curator_client):
    allow_default_domains()
    data = editor_data(**{"texts-TOTAL_FORMS": "3", "texts-2-body": ""})
    assert curator_client.post(reverse("kit_create"), data).status_code == 302
    assert Kit.objects.get().texts.count() == 2


def test_the_suggested_text_says_what_it_is_for(curator_client):
    body = page_text(curator_client.get(reverse("kit_create")))
    assert "que chaque ambassadeur·rice adapte avec ses mots" in body


def test_save_and_submit(curator_client):
    allow_default_domains()
    response = curator_client.post(reverse("kit_create"), editor_data(submit="1"))
    assert response.status_code == 302
    assert Kit.objects.get().status == S.SUBMITTED


def test_editing_an_approved_kit_sends_it_back_to_review(curator_client, curator):
    kit = make_kit(author=curator, status=S.APPROVED)
    form = curator_client.get(reverse("kit_edit", args=[kit.pk]))
    assert "toute modification le renvoie en relecture" in page_text(form)
    data = editor_data(title="Nouveau titre")
    data["publish_at"] = timezone.localtime(kit.publish_at).strftime("%Y-%m-%dT%H:%M")
    response = curator_client.post(reverse("kit_edit", args=[kit.pk]), data)
    assert response.status_code == 302
    kit.refresh_from_db()
    assert kit.status == S.SUBMITTED and kit.title == "Nouveau titre"


BRIEF = (
    "<p>Une semaine d’ateliers &amp; de rencontres, pour les moins de 26 ans &lt; 30 ans.</p>"
    '<ul><li>42 agences</li><li><strong>Inscription</strong> <a href="https://www.francetravail.fr/" '
    'rel="noopener noreferrer">en ligne</a></li></ul><p>Première ligne<br>Seconde ligne</p>'
)


def test_the_note_opens_as_text_and_comes_back_unchanged(curator_client, curator):
    kit = make_kit(author=curator, brief=BRIEF)
    shown = textarea_value(curator_client.get(reverse("kit_edit", args=[kit.pk])), "brief")
    # Paragraphs are lines of text; characters typed as text read as themselves.
    assert shown.startswith("Une semaine d’ateliers & de rencontres, pour les moins de 26 ans < 30 ans.\n\n<ul>")
    assert "<p>" not in shown and "&amp;" not in shown and "Première ligne\nSeconde ligne" in shown

    response = curator_client.post(reverse("kit_edit", args=[kit.pk]), editor_data(brief=shown))

    assert response.status_code == 302
    kit.refresh_from_db()
    assert kit.brief == BRIEF


def test_a_note_written_through_the_api_saves_unchanged_when_untouched(curator_client, curator):
    # Line breaks inside a paragraph and between tags, as an API client may send them:
    # the text box shows them as the spaces they are on the page, and gives them back.
    brief = "<p>Une note\nsur deux lignes du source.</p>\n<ul>\n<li>un point</li>\n</ul>\n"
    kit = make_kit(author=curator, brief=brief)
    shown = textarea_value(curator_client.get(reverse("kit_edit", args=[kit.pk])), "brief")
    assert shown == "Une note sur deux lignes du source.\n\n<ul>\n<li>un point</li>\n</ul>"

    curator_client.post(reverse("kit_edit", args=[kit.pk]), editor_data(brief=shown.replace("\n", "\r\n")))

    kit.refresh_from_db()
    assert kit.brief == brief


@pytest.mark.parametrize(
    "brief",
    [
        # Paragraphs inside a quote or a list item stay inside it.
        "<blockquote><p>Une citation</p></blockquote><p>La suite</p>",
        "<ul><li><p>Premier point</p></li><li>Second point</li></ul>",
        # Text that reads as an entity ("&lt;b&gt;" typed to show a tag) stays that text.
        "<p>Écrire &amp;lt;b&amp;gt; pour du gras, &amp;nbsp; pour une espace.</p>",
        # A quote inside a link's title does not end the title.
        '<p><a href="https://www.francetravail.fr/?a=1&amp;b=2" title="Le « bon » lien, dit &quot;officiel&quot;" '
        'rel="noopener noreferrer">Voir</a></p>',
    ],
)
def test_an_untouched_note_saves_unchanged(curator_client, curator, brief):
    kit = make_kit(author=curator, brief=brief)
    shown = textarea_value(curator_client.get(reverse("kit_edit", args=[kit.pk])), "brief")

    curator_client.post(reverse("kit_edit", args=[kit.pk]), editor_data(brief=shown))

    kit.refresh_from_db()
    assert kit.brief == brief


# Text with "<" that starts no tag, and blocks holding blank lines, as a browser sends them.
TYPED_NOTE = (
    "Moins de 26 ans<30 ans, a <b c, <3, 5 < 6 et 7 > 2\r\n\r\n<pre>ligne 1\r\n\r\n\r\nligne 4</pre>\r\n\r\n"
    "<ul>\r\n<li>un <strong>point</strong></li>\r\n\r\n<li>un autre</li>\r\n</ul>"
)


def test_a_typed_note_is_kept_and_opens_again_as_typed(curator_client, curator):
    kit = make_kit(author=curator)
    assert curator_client.post(reverse("kit_edit", args=[kit.pk]), editor_data(brief=TYPED_NOTE)).status_code == 302
    kit.refresh_from_db()
    assert kit.brief == (
        "<p>Moins de 26 ans&lt;30 ans, a &lt;b c, &lt;3, 5 &lt; 6 et 7 &gt; 2</p><pre>ligne 1\n\n\nligne 4</pre>"
        "<ul>\n<li>un <strong>point</strong></li>\n\n<li>un autre</li>\n</ul>"
    )
    shown = textarea_value(curator_client.get(reverse("kit_edit", args=[kit.pk])), "brief")
    assert shown == TYPED_NOTE.replace("\r\n", "\n")


def test_the_note_says_how_to_write_it(curator_client, curator):
    kit = make_kit(author=curator)
    page = curator_client.get(reverse("kit_edit", args=[kit.pk])).content.decode()
    hint = page.split('id="id_brief_helptext"', 1)[1].split("</span>", 1)[0]
    assert "Paragraphes : séparés par une ligne vide." in hint
    assert "<code>&lt;ul&gt;&lt;li&gt;un point&lt;/li&gt;" in hint and "<code>&lt;h2&gt;Titre&lt;/h2&gt;</code>" in hint
    assert "<code>&lt;a href=&quot;https://www.francetravail.fr/&quot;&gt;texte du lien&lt;/a&gt;</code>" in hint


def test_the_note_keeps_its_paragraphs_and_loses_its_scripts(curator_client, curator):
    kit = make_kit(author=curator)
    typed = "Premier paragraphe\r\n\r\nSecond <script>alert(1)</script><em>paragraphe</em>"
    curator_client.post(reverse("kit_edit", args=[kit.pk]), editor_data(brief=typed))
    kit.refresh_from_db()
    assert kit.brief == "<p>Premier paragraphe</p><p>Second <em>paragraphe</em></p>"


def test_a_published_kit_is_not_editable(curator_client, curator):
    kit = make_kit(author=curator, status=S.PUBLISHED)
    response = curator_client.get(reverse("kit_edit", args=[kit.pk]))
    assert response.status_code == 302 and response["Location"] == reverse("kit_detail", args=[kit.pk])


def test_preview_shows_each_text_on_each_of_its_networks_with_the_network_count(curator_client):
    data = editor_data(link="https://www.francetravail.fr/" + "a" * 100)
    response = curator_client.post(reverse("kit_preview"), data)
    assert response.status_code == 200
    body = page_text(response)
    assert body.count("app-network-card--") == 2 + 6  # text 1: X and LinkedIn; text 2: every network
    assert "#emploi #jeunes" in body  # the kit's hashtags the text lacks are added
    # On X a link counts 23 whatever its length (with the guideline engine).
    post = "Premier angle #AvecPôleEmploi\n\n#emploi #jeunes\n\n" + data["link"]
    from content.preview import network_length

    assert f"{network_length(post, 'x')} / 280" in body


def test_preview_says_when_a_post_is_too_long(curator_client):
    response = curator_client.post(
        reverse("kit_preview"), editor_data(**{"texts-0-body": "mot " * 100, "texts-0-networks": ["x"]})
    )
    assert "Trop long" in page_text(response)


def test_image_visual_needs_alt_text_and_video_needs_a_link(curator_client, curator):
    kit = make_kit(author=curator)
    url = reverse("kit_visual_add", args=[kit.pk])
    image = SimpleUploadedFile("photo.png", _png(), content_type="image/png")
    response = curator_client.post(url, {"kind": "image", "image": image, "alt_text": ""})
    assert response.status_code == 400
    assert "Une image a besoin d’un texte alternatif" in page_text(response)
    response = curator_client.post(url, {"kind": "video", "video_url": ""})
    assert response.status_code == 400
    image = SimpleUploadedFile("photo.png", _png(), content_type="image/png")
    response = curator_client.post(url, {"kind": "image", "image": image, "alt_text": "Une agence"})
    assert response.status_code == 302
    response = curator_client.post(
        url, {"kind": "video", "video_url": "https://www.francetravail.fr/v", "has_captions": "on"}
    )
    assert response.status_code == 302
    assert [(v.kind, v.alt_text, v.has_captions) for v in kit.visuals.all()] == [
        (KitVisual.Kind.IMAGE, "Une agence", False),
        (KitVisual.Kind.VIDEO, "", True),
    ]
    visual = kit.visuals.first()
    response = curator_client.post(reverse("kit_visual_remove", args=[kit.pk, visual.pk]))
    assert response.status_code == 302 and kit.visuals.count() == 1


def test_a_file_that_is_not_an_image_is_refused(curator_client, curator):
    kit = make_kit(author=curator)
    fake = SimpleUploadedFile("photo.png", b"<script>alert(1)</script>", content_type="image/png")
    response = curator_client.post(
        reverse("kit_visual_add", args=[kit.pk]), {"kind": "image", "image": fake, "alt_text": "x"}
    )
    assert response.status_code == 400
    assert not kit.visuals.exists()


def _png() -> bytes:
    import io

    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "blue").save(buffer, format="PNG")
    return buffer.getvalue()


# --- A kit's page and its actions ----------------------------------------------------


def test_kit_page_shows_content_targets_and_history(moderator_client, org):
    kit = make_kit(status=S.SUBMITTED, brief='<p>Bref</p><script>alert("x")</script><img src=x onerror=alert(1)>')
    workflow.kit_update(kit=kit, by=kit.author, target_units=[org["dr-bre"]])
    body = page_text(moderator_client.get(reverse("kit_detail", args=[kit.pk])))
    assert "Un texte pour partager #AvecPôleEmploi" in body
    assert "DR Bretagne" in body and "Toutes les fonctions" in body
    assert "Soumis à relecture" in body and "Brouillon" in body
    assert "<script>alert" not in body and "onerror" not in body
    assert "Approuver" in body


def test_author_who_moderates_sees_why_they_cannot_approve(client, org):
    author = UserFactory(unit=org["dg"], curator=True, moderator=True)
    kit = make_kit(author=author, status=S.SUBMITTED)
    client.force_login(author)
    body = page_text(client.get(reverse("kit_detail", args=[kit.pk])))
    assert "Vous avez écrit ce kit : une autre personne doit l’approuver" in body
    assert f'action="/contenus/{kit.pk}/approuver/"' not in body
    response = client.post(reverse("kit_approve", args=[kit.pk]), {})
    assert response.status_code == 400
    assert "Vous ne pouvez pas approuver un kit que vous avez écrit" in page_text(response)
    kit.refresh_from_db()
    assert kit.status == S.SUBMITTED


def test_request_changes_needs_a_comment_and_records_it(moderator_client):
    kit = make_kit(status=S.SUBMITTED)
    url = reverse("kit_request_changes", args=[kit.pk])
    response = moderator_client.post(url, {"changes-comment": ""})
    assert response.status_code == 400 and "Dites ce qu’il faut modifier." in page_text(response)
    response = moderator_client.post(url, {"changes-comment": "Retirez le superlatif."})
    assert response.status_code == 302
    kit.refresh_from_db()
    assert kit.status == S.CHANGES_REQUESTED
    body = page_text(moderator_client.get(reverse("kit_detail", args=[kit.pk])))
    assert "« Retirez le superlatif. »" in body


def test_the_editor_shows_what_the_moderator_asked_to_change(client, curator, moderator):
    kit = make_kit(author=curator, status=S.SUBMITTED)
    workflow.kit_request_changes(kit=kit, by=moderator, comment="Retirez le superlatif.")
    client.force_login(curator)
    body = page_text(client.get(reverse("kit_edit", args=[kit.pk])))
    assert "Modifications demandées" in body and "Retirez le superlatif." in body
    draft = make_kit(author=curator)
    assert "Modifications demandées" not in page_text(client.get(reverse("kit_edit", args=[draft.pk])))


def test_moderator_approves_a_scheduled_kit(moderator_client, moderator):
    kit = make_kit(status=S.SUBMITTED, publish_at=timezone.now() + timedelta(days=3))
    response = moderator_client.post(reverse("kit_approve", args=[kit.pk]), {"approve-comment": "OK"})
    assert response.status_code == 302
    kit.refresh_from_db()
    assert kit.status == S.APPROVED and kit.approved_by == moderator


def test_a_stale_action_is_a_message_not_a_server_error(moderator_client):
    kit = make_kit(status=S.DRAFT)
    response = moderator_client.post(reverse("kit_approve", args=[kit.pk]), {})
    assert response.status_code == 400
    assert "Impossible depuis le statut" in page_text(response)


def _refusals(response) -> list[str]:
    return re.findall(
        r'<div class="fr-alert[^"]*" role="alert" id="action-refusal" tabindex="-1" data-focus-on-load>',
        response.content.decode(),
    )


def test_a_refused_action_is_told_in_its_form_and_takes_the_focus(moderator_client):
    # On a phone the top of the page is far from the actions: the reason is shown in the
    # refused action's form, once, and focused when the page loads (static/js/app.js).
    kit = make_kit(status=S.SUBMITTED)
    response = moderator_client.post(reverse("kit_request_changes", args=[kit.pk]), {"changes-comment": ""})
    assert response.status_code == 400
    page = response.content.decode()
    assert len(_refusals(response)) == 1
    form = page.split(f'action="/contenus/{kit.pk}/demander-des-modifications/"', 1)[1].split("</form>", 1)[0]
    assert "L’action n’a pas abouti : complétez le formulaire de l’action." in form and "data-focus-on-load" in form
    assert "Dites ce qu’il faut modifier." in form
    # Not also at the top of the page, where a screen reader would read it twice.
    assert "pas abouti" not in page.split("<h1", 1)[0]


def test_an_action_no_longer_possible_is_told_at_the_top_of_the_actions(moderator_client):
    kit = make_kit(status=S.DRAFT)
    response = moderator_client.post(reverse("kit_approve", args=[kit.pk]), {})
    assert response.status_code == 400
    assert len(_refusals(response)) == 1
    actions = response.content.decode().split('id="actions-title"', 1)[1]
    assert actions.index("data-focus-on-load") < actions.index("</section>")
    assert "Impossible depuis le statut" in actions.split("</div>", 1)[0]


def test_retract_needs_a_reason(moderator_client):
    kit = make_kit(status=S.PUBLISHED)
    url = reverse("kit_retract", args=[kit.pk])
    assert moderator_client.post(url, {"retract-reason": ""}).status_code == 400
    assert moderator_client.post(url, {"retract-reason": "Erreur de date"}).status_code == 302
    kit.refresh_from_db()
    assert kit.status == S.RETRACTED and kit.retraction_reason == "Erreur de date"


def test_curator_submits_and_archives(curator_client, curator):
    kit = make_kit(author=curator)
    assert curator_client.post(reverse("kit_submit", args=[kit.pk]), {"submit-comment": "Prêt"}).status_code == 302
    kit.refresh_from_db()
    assert kit.status == S.SUBMITTED
    assert curator_client.post(reverse("kit_archive", args=[kit.pk]), {}).status_code == 302
    kit.refresh_from_db()
    assert kit.status == S.ARCHIVED


def test_versions_diff_marks_insertions_and_deletions_in_words(moderator_client, curator):
    kit = make_kit(author=curator, title="Forum de Rennes")
    workflow.kit_update(kit=kit, by=curator, title="Forum de Brest", texts=[{"body": "Nouveau texte", "networks": []}])
    response = moderator_client.get(reverse("kit_versions", args=[kit.pk]), {"de": 1, "a": 2})
    body = page_text(response)
    assert '<del><span class="fr-sr-only">[supprimé : </span>Rennes<span class="fr-sr-only">]</span></del>' in body
    assert '<ins><span class="fr-sr-only">[ajouté : </span>Brest<span class="fr-sr-only">]</span></ins>' in body
    assert "Textes suggérés" in body


# --- Library, queue, calendar ----------------------------------------------------------


def test_library_filters_by_status_topic_network_author_and_dates(moderator_client, curator):
    theme = topic("Formation")
    first = make_kit(author=curator, title="Ateliers numériques", topics=[theme])
    other = make_kit(
        status=S.SUBMITTED,
        title="Forum des métiers",
        texts=[{"body": "Pour LinkedIn #AvecPôleEmploi", "networks": ["linkedin"]}],
        publish_at=datetime(2030, 5, 2, 10, tzinfo=PARIS),
    )

    def titles(**params):
        body = moderator_client.get(reverse("kit_library"), params).content.decode()
        return {title for title in ("Ateliers numériques", "Forum des métiers") if title in body}

    assert titles() == {"Ateliers numériques", "Forum des métiers"}
    assert titles(status="submitted") == {"Forum des métiers"}
    assert titles(topic=theme.pk) == {"Ateliers numériques"}
    assert titles(network="x") == {"Ateliers numériques"}
    assert titles(network="linkedin") == {"Ateliers numériques", "Forum des métiers"}
    assert titles(author=curator.pk) == {"Ateliers numériques"}
    assert titles(publish_after="2030-05-01", publish_before="2030-05-03") == {"Forum des métiers"}
    assert titles(q="numériques") == {"Ateliers numériques"}
    assert first and other


def test_library_search_in_the_brief(moderator_client):
    make_kit(title="Un kit", brief="<p>Les emplois saisonniers de la côte</p>")
    make_kit(title="Un autre")
    body = moderator_client.get(reverse("kit_library"), {"q": "saisonniers"}).content.decode()
    assert "Un kit" in body and "Un autre" not in body


def test_library_paginates(moderator_client):
    for i in range(23):
        make_kit(title=f"Kit paginé {i:02d}")
    first = moderator_client.get(reverse("kit_library")).content.decode()
    second = moderator_client.get(reverse("kit_library"), {"page": 2}).content.decode()
    assert first.count("Kit paginé") == 20 and second.count("Kit paginé") == 3


@pytest.mark.parametrize("count", [2, 20])
def test_library_query_count_is_constant(moderator_client, django_assert_num_queries, count):
    for _ in range(count):
        make_kit(topics=[topic("Formation")])
    moderator_client.get(reverse("kit_library"))  # warm the session
    with django_assert_num_queries(9):
        assert moderator_client.get(reverse("kit_library")).status_code == 200


@pytest.mark.parametrize("count", [2, 20])
def test_queue_query_count_is_constant(moderator_client, django_assert_num_queries, count):
    for _ in range(count):
        make_kit(status=S.SUBMITTED, topics=[topic("Formation")])
    moderator_client.get(reverse("kit_queue"))
    with django_assert_num_queries(6):
        assert moderator_client.get(reverse("kit_queue")).status_code == 200


@pytest.mark.parametrize("count", [2, 20])
def test_kit_page_query_count_is_constant(moderator_client, django_assert_num_queries, count, org):
    kit = make_kit(
        status=S.SUBMITTED, texts=[{"body": f"Texte {i} #AvecPôleEmploi", "networks": []} for i in range(count)]
    )
    for i in range(count // 2):
        workflow.kit_update(kit=kit, by=kit.author, title=f"Titre {i}", target_units=[org["dr-bre"]])
    moderator_client.get(reverse("kit_detail", args=[kit.pk]))
    with django_assert_num_queries(10):
        assert moderator_client.get(reverse("kit_detail", args=[kit.pk])).status_code == 200


def test_queue_lists_submitted_kits_oldest_first_with_counts_and_warnings(moderator_client):
    old = make_kit(status=S.SUBMITTED, title="Le plus ancien")
    Kit.objects.filter(pk=old.pk).update(findings=[{"severity": "warning", "message": "Trop de hashtags."}])
    old.transitions.filter(to_status=S.SUBMITTED).update(at=timezone.now() - timedelta(days=2))
    make_kit(status=S.SUBMITTED, title="Le plus récent")
    make_kit(status=S.DRAFT, title="Un brouillon")
    body = page_text(moderator_client.get(reverse("kit_queue")))
    assert body.index("Le plus ancien") < body.index("Le plus récent")
    assert "Un brouillon" not in body
    assert "Soumis à relecture : 2" in body and "Brouillon : 1" in body
    assert "Trop de hashtags." in body


def test_calendar_lists_scheduled_and_published_kits_by_week(moderator_client):
    when = datetime(2030, 6, 12, 9, 30, tzinfo=PARIS)
    make_kit(status=S.APPROVED, title="Programmé en juin", publish_at=when)
    make_kit(status=S.SUBMITTED, title="Pas encore approuvé", publish_at=when)
    body = page_text(moderator_client.get(reverse("kit_calendar"), {"mois": "2030-06"}))
    assert "Calendrier — juin 2030" in body
    assert "Semaine du 10 juin au 16 juin" in body
    assert "mercredi 12 juin" in body and "09:30 — " in body
    assert "Programmé en juin" in body and "Programmé</span>" in body
    assert "Pas encore approuvé" not in body
    assert "?mois=2030-05" in body and "?mois=2030-07" in body
    published = make_kit(status=S.PUBLISHED, title="Publié ce mois-ci")
    body = page_text(moderator_client.get(reverse("kit_calendar")))
    assert published.title in body


def test_calendar_ignores_a_malformed_month(moderator_client):
    assert moderator_client.get(reverse("kit_calendar"), {"mois": "2030-13"}).status_code == 200
    assert moderator_client.get(reverse("kit_calendar"), {"mois": "abc"}).status_code == 200


def test_menu_shows_the_workspace_to_its_roles(client, curator, ambassador):
    client.force_login(curator)
    body = client.get("/").content.decode()
    assert reverse("kit_library") in body and reverse("kit_calendar") in body
    assert reverse("kit_queue") not in body
    client.force_login(ambassador)
    assert reverse("kit_library") not in client.get("/").content.decode()


def test_library_search_is_french_full_text_on_postgresql(moderator_client):
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("French full-text search needs PostgreSQL; SQLite matches words as typed")
    make_kit(title="Les métiers de l’emploi saisonnier")
    make_kit(title="Un autre sujet")
    body = moderator_client.get(reverse("kit_library"), {"q": "métier saisonniers"}).content.decode()
    assert "Les métiers de l’emploi saisonnier" in body and "Un autre sujet" not in body


def test_preview_shows_the_live_guideline_findings_of_each_text(curator_client):
    from content.models import GuidelineRule

    GuidelineRule.objects.get_or_create(
        kind=GuidelineRule.Kind.TERM,
        pattern="préféré",
        defaults={"severity": GuidelineRule.Severity.BLOCKING, "explanation": "Pas d’autocongratulation."},
    )
    data = editor_data(**{"texts-0-body": "Le site préféré des Français #AvecPôleEmploi"})
    body = page_text(curator_client.post(reverse("kit_preview"), data))
    assert 'id="kit-findings" hx-swap-oob="true"' in body
    assert "Règles éditoriales — texte suggéré 1" in body and "Règles éditoriales — texte suggéré 2" in body
    assert '<mark class="app-mark app-mark--blocking"' in body and ">préféré</mark>" in body


def test_calendar_writes_the_first_of_the_month_the_french_way(moderator_client):
    make_kit(status=S.APPROVED, title="Le premier", publish_at=datetime(2030, 7, 1, 9, 30, tzinfo=PARIS))
    body = page_text(moderator_client.get(reverse("kit_calendar"), {"mois": "2030-07"}))
    assert "Semaine du 1er juillet au 7 juillet" in body
    assert "lundi 1er juillet" in body
    assert "Semaine du 8 juillet au 14 juillet" in body
    assert " 1 juillet" not in body


def test_editing_a_kit_an_existing_text_emptied_is_refused_and_removed_only_when_ticked(curator_client, curator):
    kit = make_kit(author=curator, texts=[{"body": "Déjà écrit #AvecPôleEmploi", "networks": []}])
    page = curator_client.get(reverse("kit_edit", args=[kit.pk])).content.decode()
    initial = re.search(
        r'name="texts-INITIAL_FORMS"[^>]*value="(\d+)"|value="(\d+)"[^>]*name="texts-INITIAL_FORMS"', page
    )
    assert "1" in initial.groups()  # the text already saved is a form of its own, not one added on the page
    data = editor_data(
        **{"texts-TOTAL_FORMS": "1", "texts-INITIAL_FORMS": "1", "texts-0-body": "", "texts-0-networks": []}
    )
    data.pop("texts-1-body")
    response = curator_client.post(reverse("kit_edit", args=[kit.pk]), data)
    assert response.status_code == 400
    assert "Écrivez ce texte, ou cochez « Retirer ce texte »." in response.content.decode()
    assert [t.body for t in kit.texts.all()] == ["Déjà écrit #AvecPôleEmploi"]
    data["texts-0-DELETE"] = "on"
    assert curator_client.post(reverse("kit_edit", args=[kit.pk]), data).status_code == 302
    assert not kit.texts.exists()  # a draft may have no text yet
