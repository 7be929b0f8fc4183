"""Demo data of the campaigns app: a first announcement from the demo curator, so the
campaigns list and the live dashboard have something to show. Idempotent."""

from accounts.models import User
from advocacy import demo
from advocacy.campaigns import services
from advocacy.campaigns.models import Campaign

DEMO_SUBJECT = "Bienvenue sur la plateforme des ambassadeur·rices"


@demo.step(60, "campagnes : une première annonce")
def seed(context: dict) -> None:
    if Campaign.objects.filter(subject=DEMO_SUBJECT).exists():
        return
    curator = User.objects.filter(email__startswith="curateur@").first()
    if curator is None:
        return
    services.announcement_send(
        by=curator,
        subject=DEMO_SUBJECT,
        body=(
            "Retrouvez ici les kits préparés par l’équipe web-social, partagez-les sur vos réseaux "
            "avec vos propres mots et suivez l’écho de vos publications. Bonne découverte !"
        ),
        url="/",
    )
