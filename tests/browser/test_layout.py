"""Layout defects a walk through the site found: the page must show what its markup says."""

from content.demo import guideline_pages
from tests.accounts.factories import PASSWORD, TOTP_SECRET
from tests.browser.conftest import DESKTOP, PHONE
from tests.content.factories import guideline_page, make_kit

# A design-system button with an icon shows its text only when its group says where the
# icon goes; otherwise the text is clipped away and the button is a bare icon.
CLIPPED_BUTTONS = """
() => [...document.querySelectorAll('main .fr-btn')]
  .filter(b => b.offsetParent !== null && b.textContent.trim() && b.scrollWidth > b.clientWidth + 1)
  .map(b => b.textContent.trim())
"""


def test_campaign_buttons_show_their_text(desktop, curator):
    # One sign-in: a second one would need a new two-factor code, 30 seconds later.
    desktop.sign_in(curator.email, PASSWORD, totp_secret=TOTP_SECRET)
    for viewport in (DESKTOP, PHONE):
        desktop.page.set_viewport_size(viewport)
        desktop.goto("/campagnes/")
        assert desktop.page.get_by_role("link", name="Nouvelle annonce").is_visible()
        assert desktop.page.evaluate(CLIPPED_BUTTONS) == []
        desktop.screenshot(f"campaigns-{viewport['width']}")


def test_guideline_menu_folds_behind_a_button_on_a_phone(phone, ambassador, curator):
    guideline_page(curator, title="Réagir à une réponse négative", slug="reagir")
    phone.sign_in(ambassador.email, PASSWORD)
    phone.goto("/bonnes-pratiques/reagir/")
    menu_link = phone.page.get_by_role("link", name="Vérifier un texte")
    assert not menu_link.is_visible()
    phone.screenshot("1-folded")

    phone.page.get_by_role("button", name="Dans cette rubrique").click()
    menu_link.wait_for(state="visible")
    # The menu keeps the page's margin instead of touching the edge of the screen.
    assert phone.page.locator(".fr-sidemenu__title").bounding_box()["x"] >= 16
    assert phone.page.evaluate("document.documentElement.scrollWidth") <= 390 + 1
    phone.screenshot("2-open")


def test_guideline_menu_stays_open_beside_the_page_on_a_desktop(desktop, ambassador, curator):
    guideline_page(curator, title="Réagir à une réponse négative", slug="reagir")
    desktop.sign_in(ambassador.email, PASSWORD)
    desktop.goto("/bonnes-pratiques/reagir/")
    assert desktop.page.get_by_role("link", name="Vérifier un texte").is_visible()
    assert not desktop.page.get_by_role("button", name="Dans cette rubrique").is_visible()
    desktop.screenshot("menu")


def test_api_token_heading_stands_apart_from_the_security_list(desktop, ambassador):
    desktop.sign_in(ambassador.email, PASSWORD)
    for viewport in (DESKTOP, PHONE):
        desktop.page.set_viewport_size(viewport)
        desktop.goto("/profil/")
        security_list = desktop.page.locator("#security-title ~ ul").first.bounding_box()
        heading = desktop.page.get_by_role("heading", name="Jeton d’API").bounding_box()
        # At least the design system's 3w spacing between a list and the next heading.
        assert heading["y"] - (security_list["y"] + security_list["height"]) >= 24
        desktop.screenshot(f"profile-{viewport['width']}")


def test_calendar_changes_month_with_design_system_buttons(desktop, curator):
    desktop.sign_in(curator.email, PASSWORD, totp_secret=TOTP_SECRET)
    for viewport in (DESKTOP, PHONE):
        desktop.page.set_viewport_size(viewport)
        desktop.goto("/contenus/calendrier/?mois=2030-06")
        nav = desktop.page.get_by_role("navigation", name="Changer de mois")
        assert nav.locator("ul").evaluate("ul => getComputedStyle(ul).listStyleType") == "none"
        previous = nav.get_by_role("link", name="mai 2030, mois précédent")
        following = nav.get_by_role("link", name="juillet 2030, mois suivant")
        for link in (previous, following):
            assert link.is_visible()
            assert "fr-btn" in link.get_attribute("class")
        assert desktop.page.evaluate(CLIPPED_BUTTONS) == []
        desktop.screenshot(f"calendar-{viewport['width']}")


def test_kit_editor_note_reads_as_text_and_important_stands_apart(desktop, curator):
    kit = make_kit(author=curator, brief="<p>Premier paragraphe.</p><p>Second paragraphe.</p>")
    desktop.sign_in(curator.email, PASSWORD, totp_secret=TOTP_SECRET)
    for viewport in (DESKTOP, PHONE):
        desktop.page.set_viewport_size(viewport)
        desktop.goto(f"/contenus/{kit.pk}/modifier/")
        note = desktop.page.get_by_label("Note aux ambassadeur·rices")
        assert note.input_value() == "Premier paragraphe.\n\nSecond paragraphe."
        dates = desktop.page.locator("input[name=expires_at]").bounding_box()
        important = desktop.page.locator("input[name=is_important]").locator("xpath=..").bounding_box()
        # The checkbox keeps the design system's 3w spacing from the date fields.
        assert important["y"] - (dates["y"] + dates["height"]) >= 24
        desktop.screenshot(f"kit-editor-{viewport['width']}")


def test_announcement_units_are_picked_by_searching_on_a_phone(phone, curator):
    phone.sign_in(curator.email, PASSWORD, totp_secret=TOTP_SECRET)
    phone.goto("/campagnes/annonce/")
    phone.page.fill("#id_units-filter", "bretagne")
    phone.page.wait_for_timeout(200)
    assert phone.page.locator("details[data-unit-region]:visible").count() == 1
    # The design system draws the box on the label, which takes the tap.
    phone.page.locator("label", has_text="Agence Bretagne 1").click()
    assert phone.page.get_by_label("Agence Bretagne 1").is_checked()
    assert phone.page.evaluate("document.documentElement.scrollWidth") <= 390 + 1
    phone.screenshot("announcement-units")


def test_guideline_page_editor_opens_as_text(desktop, curator):
    slug, title, summary, body = guideline_pages.PAGES[0]
    guideline_page(curator, slug=slug, title=title, body=body)
    desktop.sign_in(curator.email, PASSWORD, totp_secret=TOTP_SECRET)
    for viewport in (DESKTOP, PHONE):
        desktop.page.set_viewport_size(viewport)
        desktop.goto(f"/bonnes-pratiques/{slug}/modifier/")
        content = desktop.page.get_by_label("Contenu")
        assert content.input_value().startswith("Les kits proposent plusieurs textes")
        assert "<p>" not in content.input_value()
        # The text box fits the screen.
        assert content.bounding_box()["width"] <= viewport["width"]
        desktop.screenshot(f"guideline-editor-{viewport['width']}")
