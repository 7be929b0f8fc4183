"""The personal data held by the reach app: posts attributed to a person, their imports."""

from accounts.privacy import DETACH, register
from advocacy.reach.models import ImportJob, SocialPost


def _scrub_posts(queryset):
    # The post stays in the figures (it happened, on a public network), but nothing
    # left on it names the erased person.
    queryset.update(author_external_id="", author_handle="", author_name="", text="", url="")


register(
    SocialPost,
    user_field="ambassador",
    fields=("network", "author_handle", "text", "url", "posted_at", "attribution"),
    on_erase=DETACH,
    scrub=_scrub_posts,
)
register(ImportJob, user_field="created_by", fields=("original_name", "status", "created_at"), on_erase=DETACH)
