"""Demo data of the field stories: a story and a testimonial with its consent, proposed
by the demo ambassador (idempotent)."""

import datetime as dt

from accounts.models import User
from content.models import Consent, Story


def seed(ambassador: User) -> None:
    if Story.objects.filter(author=ambassador).exists():
        return
    Story.objects.create(
        author=ambassador,
        title="Trois apprentis recrutés grâce au job dating de Rennes",
        body="Jeudi, douze entreprises du bâtiment ont rencontré quarante jeunes à l’agence de Rennes. "
        "Trois contrats d’apprentissage ont déjà été signés, et d’autres entretiens sont prévus.",
    )
    testimonial = Story.objects.create(
        author=ambassador,
        kind=Story.Kind.EMPLOYER,
        title="Une boulangerie de Saint-Malo forme ses futurs salariés",
        body="« Nous avons recruté deux personnes sans expérience grâce à une préparation opérationnelle à "
        "l’emploi : elles sont aujourd’hui en CDI. »",
        subject_label="Gérante d’une boulangerie de Saint-Malo",
    )
    Consent.objects.create(
        story=testimonial,
        subject_name="Marie Le Bihan",
        given_at=dt.date(2026, 10, 14),
        uses=[Consent.Use.SOCIAL_NETWORKS, Consent.Use.WEBSITE],
        channel=Consent.Channel.PAPER,
        text_version="2026-01",
        recorded_by=ambassador,
    )
