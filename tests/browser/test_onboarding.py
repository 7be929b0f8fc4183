"""A new staff member signs in, accepts the charter and fills in their profile."""

from accounts.models import SocialHandle, User
from tests.accounts.factories import PASSWORD, UserFactory


def test_new_staff_member_joins_and_fills_in_profile(desktop, org, charter):
    person = UserFactory(
        email="nouvelle.agente@francetravail.example", first_name="Inès", last_name="Haddad", unit=org["a-bre-2"]
    )
    page = desktop.page

    desktop.sign_in(person.email, PASSWORD)
    assert "Bonjour Inès" in page.content()
    desktop.screenshot("1-home")

    page.click("text=Lire la charte et rejoindre le programme")
    page.wait_for_load_state("networkidle")
    assert charter.title in page.content()
    # Submitting without ticking the box explains what is missing.
    page.click("text=Je rejoins le programme")
    page.wait_for_load_state("networkidle")
    assert "Cochez la case pour accepter la charte." in page.content()
    page.check("input[name=accept]", force=True)
    page.click("text=Je rejoins le programme")
    page.wait_for_load_state("networkidle")
    assert "/profil/" in page.url
    assert "Bienvenue dans l’équipe" in page.content()

    assert "Agence Bretagne 2" in page.content()  # the unit comes from the directory
    page.select_option("select[name=job_function]", "conseiller_entreprise")
    page.check("input[name=notification_preference][value=daily]", force=True)
    page.click("text=Enregistrer mon profil")
    page.wait_for_load_state("networkidle")
    assert "Votre profil est enregistré." in page.content()

    page.click("a:has-text('Ajouter') >> nth=0")  # X comes first
    page.wait_for_load_state("networkidle")
    page.fill("input[name=handle]", "@Ines_Haddad")
    page.fill("input[name=follower_count]", "320")
    page.click("text=Enregistrer")
    page.wait_for_load_state("networkidle")
    assert "@ines_haddad" in page.content()
    desktop.screenshot("2-profile")

    person = User.objects.get(pk=person.pk)
    assert person.has_opted_in
    assert person.unit == org["a-bre-2"] and person.job_function == "conseiller_entreprise"
    assert person.notification_preference == "daily"
    assert SocialHandle.objects.get(user=person, network="x").follower_count == 320


def test_profile_works_on_a_phone(phone, ambassador):
    from tests.accounts.factories import PASSWORD as pw

    phone.sign_in(ambassador.email, pw)
    phone.goto("/profil/")
    page = phone.page
    # On a phone the menu collapses behind a button that opens it.
    page.click("#header-menu-button")
    assert page.is_visible("#header-menu-modal .fr-nav__link >> text=Mon profil")
    phone.screenshot("profile-phone")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, "the page must not scroll sideways on a phone"
