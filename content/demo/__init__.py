"""Demo data of the content library, one module per part, loaded by `seed_demo` (see
advocacy.demo) in two steps: the kits (content.demo.kits), then the guideline pages,
field stories and discussions below. Every step is idempotent."""

from django.db import transaction

from advocacy import demo
from content.demo import discussions, guideline_pages, kits, stories  # noqa: F401 - kits registers its step


@demo.step(45, "Bonnes pratiques, histoires du terrain et discussions")
@transaction.atomic
def seed_guidelines_stories_and_discussions(context: dict) -> None:
    people = {user.email.split("@")[0]: user for user in context.get("accounts", [])}
    guideline_pages.seed(people)
    ambassador = people.get("ambassadeur")
    if ambassador is None:
        return
    stories.seed(ambassador)
    discussions.seed(people)
