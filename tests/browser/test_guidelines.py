"""An ambassador checks a text live, reads the good practice pages, proposes a story and
takes part in a discussion; screenshots of each page on desktop and phone."""

from content.models import DiscussionMessage, GuidelineRule, Story
from tests.accounts.factories import PASSWORD
from tests.content.factories import guideline_page, message


def _rules():
    GuidelineRule.objects.get_or_create(
        kind="term",
        pattern="préféré",
        defaults={"severity": "blocking", "explanation": "En 2013…", "suggestion": "Un fait concret."},
    )
    GuidelineRule.objects.get_or_create(
        kind="required_hashtag", pattern="AvecPôleEmploi", defaults={"severity": "blocking", "explanation": "…"}
    )
    GuidelineRule.objects.get_or_create(kind="length", defaults={"severity": "blocking", "explanation": "…"})


def test_live_check_highlights_then_clears(desktop, ambassador, admin_user):
    _rules()
    guideline_page(
        admin_user,
        title="Réagir à une réponse négative",
        slug="reagir",
        body="<h2>Réflexes</h2><p>Ne répondez pas à chaud.</p>",
    )
    page = desktop.page
    desktop.sign_in(ambassador.email, PASSWORD)

    desktop.goto("/bonnes-pratiques/")
    assert "La charte des ambassadeur·rices" in page.content()
    desktop.screenshot("1-index")
    page.click("text=Réagir à une réponse négative")
    page.wait_for_load_state("networkidle")
    assert "Ne répondez pas à chaud." in page.content()
    desktop.screenshot("2-page")

    desktop.goto("/bonnes-pratiques/verifier/")
    page.select_option("select[name=network]", "x")
    page.fill("textarea[name=text]", "Le site d’emploi PRÉFÉRÉ des Français")
    page.wait_for_selector("mark.app-mark--blocking")
    assert page.inner_text("mark.app-mark--blocking") == "PRÉFÉRÉ"
    assert "Le hashtag #AvecPôleEmploi est obligatoire." in page.content()
    desktop.screenshot("3-check-blocking")
    page.fill("textarea[name=text]", "Trois apprentis recrutés au forum de Rennes #AvecPôleEmploi")
    page.wait_for_selector("text=Aucun point à corriger")
    desktop.screenshot("4-check-clean")


def test_story_and_discussion_pages(desktop, ambassador, moderator):
    page = desktop.page
    desktop.sign_in(ambassador.email, PASSWORD)
    desktop.goto("/histoires/proposer/")
    desktop.screenshot("1-propose")
    page.fill("input[name=title]", "Un job dating réussi")
    page.fill("textarea[name=body]", "Trois contrats signés à Vannes.")
    page.click("text=Envoyer à l’équipe")
    page.wait_for_load_state("networkidle")
    assert Story.objects.filter(title="Un job dating réussi").exists()
    assert "Votre histoire est transmise" in page.content()
    desktop.screenshot("2-detail")

    hidden = message(ambassador, body="Le nom de ma conseillère est…")
    DiscussionMessage.objects.filter(pk=hidden.pk).update(
        hidden_at="2026-11-20T10:00Z", hidden_by=moderator, hidden_reason="Donnée personnelle"
    )
    desktop.goto("/discussions/")
    page.fill("textarea[name=body]", "Astuce : citez le nom du forum.")
    page.click("text=Publier le message")
    page.wait_for_selector("text=Astuce : citez le nom du forum.")
    assert "/discussions/" in page.url
    assert "Motif : Donnée personnelle" in page.content()
    desktop.screenshot("3-discussions")


def test_phone_layout_of_the_check_page(phone, ambassador):
    _rules()
    phone.sign_in(ambassador.email, PASSWORD)
    phone.goto("/bonnes-pratiques/verifier/")
    phone.page.fill("textarea[name=text]", "Le site préféré des Français")
    phone.page.wait_for_selector("mark.app-mark--blocking")
    phone.screenshot("check")
    width = phone.page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390 + 1
