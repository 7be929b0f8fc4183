"""The personal data held by the ambassador portal (see accounts.privacy)."""

from accounts.privacy import DETACH, register
from advocacy.sharing.models import Share, TrackedLink

# Shares and links feed aggregate figures: erasure keeps them without the person. The
# text and the post address are the person's own words and account, so they go.


def _scrub_shares(rows):
    rows.update(text="", post_url="")


register(
    Share,
    user_field="ambassador",
    fields=("kit", "channel", "text", "post_url", "created_at"),
    on_erase=DETACH,
    scrub=_scrub_shares,
)
register(TrackedLink, user_field="ambassador", fields=("kit", "channel", "code", "created_at"), on_erase=DETACH)
