"""Demo data of the discussions: a few messages in the general space (idempotent)."""

from accounts.models import User
from content.models import DiscussionMessage

GENERAL_MESSAGES = [
    (
        "ambassadeur",
        "Petite astuce : sur LinkedIn, je commence par une phrase sur ce que j’ai vu à l’agence, "
        "les gens lisent beaucoup plus loin.",
    ),  # fmt: skip
    ("curateur", "Merci Camille ! Pensez aussi à décrire vos photos : le vérificateur vous le rappellera."),
    ("ambassadeur", "Quelqu’un sait si on peut partager le kit sur le forum alternance sur Mastodon ?"),
]


def seed(people: dict[str, User]) -> None:
    if DiscussionMessage.objects.filter(kit__isnull=True).exists():
        return
    for local, body in GENERAL_MESSAGES:
        author = people.get(local) or User.objects.filter(email__startswith=f"{local}@").first()
        if author is not None:
            DiscussionMessage.objects.create(author=author, body=body)
