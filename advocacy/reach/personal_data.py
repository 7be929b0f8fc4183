"""The personal data held by the reach app: posts attributed to a person, their imports."""

from accounts.privacy import DELETE, DETACH, register
from advocacy.reach.models import CollectionGap, ImportJob, SocialPost


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
# Who marked a collection gap filled: the gap stays filled, without their name.
register(CollectionGap, user_field="filled_by", fields=("tag", "starts_at", "ends_at", "filled_at"), on_erase=DETACH)

# --- Roll-ups and reports ------------------------------------------------------------
from advocacy.reach.models import AmbassadorDaily, MonthlyReportSent  # noqa: E402

# Per-person daily counts exist only to rank people: erasing the person deletes them,
# while the unit figures (ReachDaily) keep counting what they did.
register(
    AmbassadorDaily,
    user_field="ambassador",
    fields=("day", "shares", "human_clicks", "posts"),
    on_erase=DELETE,
)
register(MonthlyReportSent, user_field="manager", fields=("month", "sent_at"), on_erase=DELETE)
