"""Guideline pages (sanitised rich text) and the live guideline check (page and API)."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from advocacy import richtext
from advocacy.errors import DomainError
from content import guidelines, pages, workflow
from content.demo import guideline_pages
from content.models import GuidelinePage, GuidelineRule, SensitivePeriod
from tests.content.factories import make_kit
from tests.pages import textarea_value

PAYLOADS = [
    "<script>alert('x')</script>",
    '<img src="x" onerror="alert(1)">',
    '<a href="javascript:alert(1)">clic</a>',
    '<p onclick="alert(1)" style="color:red">texte</p>',
    "<svg onload=alert(1)>",
    '<iframe src="https://evil.example"></iframe>',
    "<scr<script>ipt>alert(1)</script>",
    '<a href="JaVaScRiPt:alert(1)">x</a>',
]


def _no_payload(html: str):
    lowered = html.lower()
    for needle in ("<script", "onerror", "onclick", "onload", "javascript:", "<iframe", "<svg", "style="):
        assert needle not in lowered, needle


class TestPages:
    @pytest.mark.parametrize("payload", PAYLOADS)
    def test_scripts_and_event_handlers_never_reach_the_page(self, client, curator, ambassador, payload):
        client.force_login(curator)
        response = client.post(
            reverse("guideline_page_create"),
            {
                "title": "Réagir à une réponse négative",
                "slug": "",
                "summary": "",
                "body": f"<p>Bonjour</p>{payload}",
                "position": 1,
            },
        )
        page = GuidelinePage.objects.get()
        assert response.status_code == 302 and response["Location"] == reverse("guideline_page", args=[page.slug])
        _no_payload(page.body)
        client.force_login(ambassador)
        shown = client.get(reverse("guideline_page", args=[page.slug])).content.decode()
        assert "Bonjour" in shown
        body = shown.split('class="app-richtext">', 1)[1].split("</div>", 1)[0]
        _no_payload(body)

    @pytest.mark.parametrize(
        ("body", "message"),
        [
            ("", "Écrivez le contenu de la page."),
            ("   ", "Écrivez le contenu de la page."),
            (
                "<script>alert(1)</script><img src=x>",
                "Écrivez le contenu de la page : du texte, pas seulement des images ou du code, qui sont retirés.",
            ),
        ],
    )
    def test_a_page_without_text_is_refused_on_its_content_field(self, client, curator, body, message):
        client.force_login(curator)
        response = client.post(reverse("guideline_page_create"), {"title": "FAQ", "body": body, "position": 0})
        assert response.status_code == 200
        form = response.context["form"]
        assert form.errors == {"body": [message]}
        page = response.content.decode()
        # Shown under the field, linked to it, not at the top of the form.
        assert '<div id="id_body-desc-error">' in page and message in page.split('id="id_body-desc-error"')[1]
        assert not GuidelinePage.objects.exists()

    def test_a_row_written_around_the_service_is_sanitised_on_display(self, client, ambassador):
        GuidelinePage.objects.create(
            slug="faq", title="FAQ", body='<p>Ok</p><script>alert(1)</script><img onerror="x">'
        )
        client.force_login(ambassador)
        shown = client.get(reverse("guideline_page", args=["faq"])).content.decode()
        assert "alert(1)" not in shown and "onerror" not in shown

    def test_the_body_opens_as_text_and_an_untouched_page_saves_unchanged(self, client, curator):
        # A demo page as stored: paragraphs wrapped in the source, line breaks between tags.
        slug, title, summary, body = guideline_pages.PAGES[0]
        page = pages.guideline_page_save(by=curator, slug=slug, title=title, summary=summary, body=body)
        stored = page.body
        client.force_login(curator)
        edit = reverse("guideline_page_edit", args=[slug])
        shown = textarea_value(client.get(edit), "body")
        assert shown.startswith(
            "Les kits proposent plusieurs textes pour que nous ne publiions pas tous les mêmes mots : un message "
        )
        assert "<p>" not in shown and "&amp;" not in shown and "\n\n<h2>Ce que vous pouvez changer</h2>\n<ul>" in shown

        # Sent back as a browser does, with CRLF line ends.
        data = {"title": title, "slug": slug, "summary": summary, "body": shown.replace("\n", "\r\n"), "position": 0}
        assert client.post(edit, data).status_code == 302

        page.refresh_from_db()
        assert page.body == stored

    def test_an_edited_body_keeps_its_paragraphs_and_loses_its_scripts(self, client, curator):
        page = pages.guideline_page_save(by=curator, title="FAQ", body="<p>Une ligne\ndu source</p>")
        client.force_login(curator)
        typed = "Une ligne du source, complétée &amp; suivie\r\n\r\nd’un <script>alert(1)</script><em>ajout</em>"
        data = {"title": "FAQ", "slug": page.slug, "summary": "", "body": typed, "position": 0}
        client.post(reverse("guideline_page_edit", args=[page.slug]), data)
        page.refresh_from_db()
        assert page.body == "<p>Une ligne du source, complétée &amp; suivie</p><p>d’un <em>ajout</em></p>"
        assert client.get(reverse("guideline_page", args=[page.slug])).content.decode().count("<em>ajout</em>") == 1

    def test_a_typed_body_is_kept_and_opens_again_as_typed(self, client, curator):
        typed = (
            "Moins de 26 ans<30 ans, a <b c, <3, 5 < 6 et 7 > 2\r\n\r\n<pre>ligne 1\r\n\r\n\r\nligne 4</pre>\r\n\r\n"
            "<ul>\r\n<li>un <strong>point</strong></li>\r\n\r\n<li>un autre</li>\r\n</ul>"
        )
        page = pages.guideline_page_save(by=curator, title="FAQ", body="<p>x</p>")
        client.force_login(curator)
        edit = reverse("guideline_page_edit", args=[page.slug])
        data = {"title": "FAQ", "slug": page.slug, "summary": "", "body": typed, "position": 0}
        assert client.post(edit, data).status_code == 302
        page.refresh_from_db()
        assert "<pre>ligne 1\n\n\nligne 4</pre>" in page.body and "a &lt;b c, &lt;3" in page.body
        assert textarea_value(client.get(edit), "body") == typed.replace("\r\n", "\n")
        hint = client.get(edit).content.decode().split('id="id_body_helptext"', 1)[1].split("</span>", 1)[0]
        assert hint.startswith(">Paragraphes : séparés par une ligne vide.") and "<code>&lt;h2&gt;Titre" in hint

    def test_a_refused_page_shows_the_body_as_typed(self, client, curator):
        pages.guideline_page_save(by=curator, title="FAQ", body="<p>x</p>")
        client.force_login(curator)
        typed = "Premier paragraphe\r\n\r\n<h2>Un titre</h2>\r\nSuite &amp; fin"
        data = {"title": "Autre", "slug": "faq", "summary": "", "body": typed, "position": 0}
        response = client.post(reverse("guideline_page_create"), data)
        assert response.status_code == 200 and response.context["form"].errors == {
            "slug": ["Une autre page utilise déjà cette adresse."]
        }
        assert textarea_value(response, "body") == typed

    def test_editing_keeps_the_address_unique(self, curator):
        pages.guideline_page_save(by=curator, title="FAQ", body="<p>x</p>")
        other = pages.guideline_page_save(by=curator, title="Autre", body="<p>x</p>")
        with pytest.raises(DomainError):
            pages.guideline_page_save(by=curator, page=other, slug="faq", title="Autre", body="<p>x</p>")

    def test_only_curators_and_admins_edit(self, ambassador, moderator):
        for person in (ambassador, moderator):
            with pytest.raises(DomainError):
                pages.guideline_page_save(by=person, title="FAQ", body="<p>x</p>")

    def test_index_links_to_the_charter_and_lists_pages(self, client, staff, curator):
        pages.guideline_page_save(by=curator, title="Ce qu’il ne faut pas publier", body="<p>x</p>")
        client.force_login(staff)
        page = client.get(reverse("guidelines_index")).content.decode()
        assert reverse("programme") in page and "Ce qu’il ne faut pas publier" in page
        assert reverse("guideline_page_create") not in page


class TestSeededRules:
    """The rules seeded by the data migration, read from the database."""

    def test_the_lessons_of_the_past_are_seeded(self, db):
        patterns = set(GuidelineRule.objects.filter(kind="term").values_list("pattern", flat=True))
        assert {"préféré", "record de fréquentation", "champion de", "grâce à nous", "fier de"} <= patterns
        kinds = set(GuidelineRule.objects.values_list("kind", flat=True))
        assert kinds == set(GuidelineRule.Kind.values)
        assert GuidelineRule.objects.get(pattern="taux de chômage").only_during.exists()

    def test_the_2013_tweet_is_blocked(self, db):
        findings = guidelines.check_text(text="pole-emploi.fr, le site d’emploi PRÉFÉRÉ des Français !", network="x")
        kinds = [f.kind for f in findings if f.severity == "blocking"]
        assert "term" in kinds and "required_hashtag" in kinds
        term = next(f for f in findings if f.kind == "term")
        assert "2013" in term.explanation and term.suggestion

    def test_unemployment_rate_is_flagged_only_during_the_publication(self, db):
        period = SensitivePeriod.objects.filter(name__startswith="Publication des chiffres").first()
        text = "Le taux de chômage baisse dans le Finistère #AvecPôleEmploi"
        outside = guidelines.check_text(text=text, network="x", at=period.starts_on.replace(day=1))
        during = guidelines.check_text(text=text, network="x", at=period.starts_on)
        assert not [f for f in outside if f.kind == "term"]
        assert {f.kind for f in during} >= {"term", "sensitive_period"}

    def test_a_kit_with_a_blocking_finding_cannot_be_submitted(self, curator):
        kit = make_kit(author=curator, texts=[{"body": "Nous sommes champions de l’emploi ! #AvecPôleEmploi"}])
        with pytest.raises(DomainError) as error:
            workflow.kit_submit(kit=kit, by=curator)
        assert error.value.code == "blocking_findings"
        workflow.kit_update(kit=kit, by=curator, texts=[{"body": "Trois recrutements au forum #AvecPôleEmploi"}])
        assert workflow.kit_submit(kit=kit, by=curator).status == "submitted"

    def test_check_kit_covers_texts_networks_link_and_visuals(self, curator):
        kit = make_kit(
            author=curator,
            texts=[
                {"body": "x" * 290 + " #AvecPôleEmploi", "networks": ["x", "linkedin"]},
                {"body": "Fiers de nos équipes #AvecPôleEmploi", "networks": []},
            ],
        )
        workflow.kit_visual_add(kit=kit, by=curator, video_url="https://www.francetravail.fr/video")
        findings = guidelines.check_kit(kit)
        by_kind = {(f.kind, f.network, f.text_position) for f in findings}
        assert ("length", "x", 0) in by_kind
        assert not any(f.kind == "length" and f.network == "linkedin" for f in findings)
        assert any(f.kind == "term" and f.text_position == 1 and f.severity == "warning" for f in findings)
        assert guidelines.has_blocking(findings)
        assert guidelines.has_blocking([f.as_dict() for f in findings])


class TestLiveCheck:
    def test_htmx_check_returns_the_findings_with_highlighted_spans(self, client, ambassador):
        client.force_login(ambassador)
        response = client.post(
            reverse("guidelines_check"),
            {"text": "Le site <b>préféré</b> des Français", "network": "x"},
            HTTP_HX_REQUEST="true",
        )
        assert response.status_code == 200
        page = response.content.decode()
        assert "<html" not in page
        assert '<mark class="app-mark app-mark--blocking"' in page and ">préféré</mark>" in page
        assert "&lt;b&gt;" in page  # the person's text is escaped, never interpreted
        assert "Le hashtag #AvecPôleEmploi est obligatoire." in page
        assert "sur 280 permis" in page

    def test_an_empty_text_is_asked_for_on_its_field(self, client, ambassador):
        client.force_login(ambassador)
        response = client.post(reverse("guidelines_check"), {"text": "  ", "network": "x"})
        assert response.context["form"].errors == {"text": ["Écrivez ou collez le texte à vérifier."]}
        page = response.content.decode()
        assert "est obligatoire" not in page and "Aucun point à corriger" not in page

    def test_an_emptied_text_asks_for_one_while_typing(self, client, ambassador):
        client.force_login(ambassador)
        response = client.post(reverse("guidelines_check"), {"text": "", "network": "x"}, HTTP_HX_REQUEST="true")
        page = response.content.decode()
        assert "Écrivez ou collez le texte à vérifier : il est vérifié pendant que vous écrivez." in page
        assert "Le hashtag #AvecPôleEmploi est obligatoire." not in page and "0 caractères" not in page

    def test_a_text_too_long_is_not_called_empty(self, client, ambassador):
        client.force_login(ambassador)
        text = "a" * 70001
        response = client.post(reverse("guidelines_check"), {"text": text, "network": "x"}, HTTP_HX_REQUEST="true")
        assert "Écrivez ou collez" not in response.content.decode()
        page = client.post(reverse("guidelines_check"), {"text": text, "network": "x"}).content.decode()
        assert "au plus 70000 caractères" in page and "Écrivez ou collez" not in page

    def test_without_htmx_the_whole_page_is_returned(self, client, ambassador):
        client.force_login(ambassador)
        response = client.post(reverse("guidelines_check"), {"text": "Bonjour #AvecPôleEmploi", "network": "bluesky"})
        page = response.content.decode()
        assert "<html" in page and "Aucun point à corriger" in page

    def test_rules_are_loaded_once_per_request(self, client, ambassador):
        client.force_login(ambassador)
        url = reverse("guidelines_check")
        client.post(url, {"text": "a", "network": "x"}, HTTP_HX_REQUEST="true")

        def count():
            with CaptureQueriesContext(connection) as captured:
                client.post(
                    url, {"text": "a b c", "network": "x", "link": "https://evil.example"}, HTTP_HX_REQUEST="true"
                )
            return len(captured)

        few = count()
        for n in range(10):
            GuidelineRule.objects.create(kind="term", pattern=f"mot{n}", explanation="…")
        reloaded = count()  # the admin's change dropped the cached rules: they are read again, once
        assert count() == few
        assert reloaded - few <= 4

    def test_api_check_gives_findings_with_offsets(self, api_client, ambassador):
        api_client.force_authenticate(ambassador)
        text = "Champions de France de l’emploi !"
        response = api_client.post("/api/v1/guidelines/check/", {"text": text, "network": "mastodon"}, format="json")
        assert response.status_code == 200
        body = response.json()
        assert body["has_blocking"] is True and body["limit"] == 500 and body["length"] == len(text)
        term = next(f for f in body["findings"] if f["kind"] == "term")
        assert text[term["start"] : term["end"]] == "Champions de"

    def test_api_check_refuses_an_unknown_network(self, api_client, ambassador):
        api_client.force_authenticate(ambassador)
        response = api_client.post("/api/v1/guidelines/check/", {"text": "x", "network": "myspace"}, format="json")
        assert response.status_code == 400


def test_demo_seeds_useful_pages_a_story_and_messages_once(db, org, charter):
    from content import demo
    from content.demo import guideline_pages
    from content.models import DiscussionMessage, Story
    from tests.accounts.factories import UserFactory, make_ambassador

    accounts = [
        make_ambassador(unit=org["a-bre-1"], charter=charter, email="ambassadeur@demo.avecpoleemploi.fr"),
        UserFactory(unit=org["dg"], curator=True, email="curateur@demo.avecpoleemploi.fr"),
    ]
    for _ in range(2):
        demo.seed_guidelines_stories_and_discussions({"accounts": accounts})
    assert GuidelinePage.objects.count() == len(guideline_pages.PAGES)
    assert Story.objects.count() == 2 and Story.objects.get(kind="employer").consent.uses
    assert DiscussionMessage.objects.count() == 3
    for page in GuidelinePage.objects.all():
        assert page.body == richtext.sanitize(page.body)


def test_guideline_index_query_count_is_constant(client, ambassador, curator):
    client.force_login(ambassador)
    pages.guideline_page_save(by=curator, title="Page 0", body="<p>…</p>")
    client.get(reverse("guidelines_index"))

    def count():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse("guidelines_index")).status_code == 200
        return len(captured)

    few = count()
    for n in range(1, 8):
        pages.guideline_page_save(by=curator, title=f"Page {n}", body="<p>…</p>")
    assert count() == few


def test_kit_discussion_link_include(ambassador):
    from django.template.loader import render_to_string

    kit = make_kit(title="Un kit")
    html = render_to_string("content/includes/kit_discussion_link.html", {"kit": kit})
    assert reverse("discussion_kit", args=[kit.slug]) in html


def test_kit_texts_are_judged_as_published_with_hashtags_and_link(curator):
    from content.models import AllowedDomain

    kit = make_kit(author=curator, texts=[{"body": "a" * 250, "networks": ["x", "linkedin"]}])
    assert kit.hashtags == ["AvecPôleEmploi"]
    assert guidelines.post_as_published("Bonjour", link="https://x.fr", hashtags=["AvecPôleEmploi", "#Emploi"]) == (
        "Bonjour\n\n#AvecPôleEmploi #Emploi\n\nhttps://x.fr"
    )
    assert guidelines.post_as_published("Bonjour #avecpoleemploi", hashtags=["AvecPôleEmploi"]) == (
        "Bonjour #avecpoleemploi"
    )
    findings = guidelines.check_kit(kit)
    # The kit's hashtag is added when sharing: no "required hashtag" finding...
    assert not [f for f in findings if f.kind == "required_hashtag"]
    # ...but it and the link (23 on X) count towards X's limit: 250 + 17 + 25 > 280.
    (length,) = [f for f in findings if f.kind == "length"]
    assert length.network == "x"
    # A link that left the allowlist is reported once, not once per text and network.
    AllowedDomain.objects.all().delete()
    assert len([f for f in guidelines.check_kit(kit) if f.kind == "link_allowlist"]) == 1


def test_kit_editor_live_findings_cover_every_text(client, curator):
    client.force_login(curator)
    response = client.post(
        reverse("kit_preview"),
        {
            "texts-TOTAL_FORMS": "3",
            "texts-INITIAL_FORMS": "0",
            "texts-0-body": "Trois apprentis recrutés à Rennes",
            "texts-0-networks": ["x"],
            "texts-1-body": "Le site PRÉFÉRÉ des Français",
            "texts-2-body": "Un texte retiré, préféré",
            "texts-2-DELETE": "on",
            "hashtags": "#AvecPôleEmploi",
            "link": "http://exemple.com/page",
        },
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "<html" not in page
    findings = page.split('id="kit-findings" hx-swap-oob="true" aria-live="polite"', 1)[1]
    assert findings.count("texte suggéré") == 2  # the deleted text is not checked
    assert '<mark class="app-mark app-mark--blocking" title="Terme à éviter : « PRÉFÉRÉ ».">PRÉFÉRÉ</mark>' in findings
    assert "Lien non sécurisé" in findings  # the kit's link is checked with each text
    assert "hashtag #AvecPôleEmploi est obligatoire" not in findings  # the kit's hashtag follows each text


def test_kit_editor_page_has_a_place_for_live_findings(client, curator):
    client.force_login(curator)
    page = client.get(reverse("kit_create")).content.decode()
    assert '<div id="kit-findings" aria-live="polite"></div>' in page


def test_an_admin_change_reaches_the_next_check(db):
    text = "Un mot tabou #AvecPôleEmploi"
    assert not [f for f in guidelines.check_text(text=text, network="x") if f.kind == "term"]
    rule = GuidelineRule.objects.create(kind="term", pattern="tabou", severity="blocking", explanation="…")
    assert [f.kind for f in guidelines.check_text(text=text, network="x") if f.kind == "term"] == ["term"]
    period = SensitivePeriod.objects.create(
        name="Réserve", starts_on=dt.date(2026, 1, 1), ends_on=dt.date(2026, 1, 31), explanation="…"
    )
    rule.only_during.add(period)  # now only during the period
    assert not [f for f in guidelines.check_text(text=text, network="x", at=dt.date(2026, 2, 1)) if f.kind == "term"]
    rule.delete()
    assert not [f for f in guidelines.check_text(text=text, network="x", at=dt.date(2026, 1, 2)) if f.kind == "term"]


def test_demo_step_is_registered():
    from advocacy import demo

    assert "Bonnes pratiques, histoires du terrain et discussions" in [name for _o, name, _f in demo.STEPS]


def test_demo_pages_start_their_headings_under_the_pages_title():
    """The page's title is its h1: the body starts at h2 and never skips a level (RGAA 9.1)."""
    import re

    from content.demo import guideline_pages

    for slug, _title, _summary, body in guideline_pages.PAGES:
        levels = [int(level) for level in re.findall(r"<h([1-6])", body)]
        previous = 1
        for level in levels:
            assert level <= previous + 1, f"{slug}: h{level} after h{previous}"
            previous = level
