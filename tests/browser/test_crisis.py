"""A moderator retracts a kit; an ambassador who shared it acknowledges; the moderator sees it."""

from django.core import mail

from advocacy.campaigns.models import RetractionRequest
from content.models import Kit
from tests.accounts.factories import PASSWORD, TOTP_SECRET, UserFactory, make_ambassador
from tests.content.factories import make_kit
from tests.sharing.factories import share


def test_retraction_is_requested_acknowledged_and_followed(desktop, phone, org, charter):
    moderator = UserFactory(email="moderatrice@francetravail.example", first_name="Léa", unit=org["dg"], moderator=True)
    ambassador = make_ambassador(
        email="camille@francetravail.example", first_name="Camille", unit=org["a-bre-1"], charter=charter
    )
    kit = make_kit(status=Kit.Status.PUBLISHED, title="Le chiffre du chômage en Bretagne")
    share(ambassador=ambassador, kit=kit)
    mail.outbox.clear()

    # The moderator retracts the kit from the crisis page.
    desktop.sign_in(moderator.email, PASSWORD, totp_secret=TOTP_SECRET)
    desktop.goto("/crise/")
    desktop.page.click(f"a[href='/crise/kits/{kit.pk}/retirer/']")
    desktop.page.wait_for_load_state("networkidle")
    desktop.page.fill("textarea[name=reason]", "Le chiffre cité est faux : il mélange deux périodes.")
    desktop.screenshot("1-retract")
    desktop.page.click("button:has-text('Retirer le kit')")
    desktop.page.wait_for_load_state("networkidle")
    assert "Suppressions confirmées : 0 sur 1." in desktop.page.content()
    assert [m.to for m in mail.outbox] == [[ambassador.email]]

    # The ambassador sees the request in the portal and acknowledges it.
    phone.sign_in(ambassador.email, PASSWORD)
    phone.goto("/notifications/")
    assert "Demande de suppression : Le chiffre du chômage en Bretagne" in phone.page.content()
    phone.goto("/retraits/")
    assert "il mélange deux périodes" in phone.page.content()
    phone.screenshot("2-request")
    phone.page.click("button:has-text('C’est fait')")
    phone.page.wait_for_load_state("networkidle")
    assert "Suppression confirmée le" in phone.page.content()
    phone.screenshot("3-acknowledged")

    # The moderator sees the acknowledgement.
    desktop.goto(f"/crise/kits/{kit.pk}/")
    assert "Suppressions confirmées : 1 sur 1." in desktop.page.content()
    desktop.screenshot("4-followed")
    assert RetractionRequest.objects.get(kit=kit).acknowledged_at is not None


def test_curator_announces_and_watches_the_live_dashboard(desktop, org, charter):
    from tests.campaigns.factories import ambassadors

    curator = UserFactory(email="curatrice@francetravail.example", first_name="Samia", unit=org["dg"], curator=True)
    ambassadors(3, unit=org["a-bre-1"], charter=charter)
    desktop.sign_in(curator.email, PASSWORD, totp_secret=TOTP_SECRET)
    desktop.goto("/campagnes/annonce/")
    desktop.page.fill("input[name=subject]", "Forum de l’emploi à Rennes")
    desktop.page.fill("textarea[name=body]", "Rendez-vous jeudi au Liberté, venez nombreux !")
    desktop.page.click("button:has-text('Envoyer l’annonce')")
    desktop.page.wait_for_load_state("networkidle")
    assert "Annonce envoyée à 3 ambassadeur·rices." in desktop.page.content()
    assert "Terminée" in desktop.page.content()
    desktop.screenshot("dashboard")
    desktop.goto("/campagnes/")
    desktop.screenshot("list")
