"""The personal data held by the content library (see accounts.privacy)."""

from accounts.privacy import DELETE, DETACH, register
from content.models import Consent, DiscussionMessage, GuidelinePage, Kit, KitTransition, KitVersion, Story

# Who wrote, edited, approved or retracted a kit. Erasure detaches the person; the kit
# and its history stay.
for role in ("author", "last_editor", "approved_by", "retracted_by"):
    register(Kit, user_field=role, fields=("slug", "title", "status"), on_erase=DETACH, label=f"content.kit.{role}")
register(KitTransition, user_field="by", fields=("kit", "from_status", "to_status", "at", "comment"), on_erase=DETACH)
register(KitVersion, user_field="by", fields=("kit", "number", "at"), on_erase=DETACH)

# Stories may live on in kits and carry a third person's consent: erasing their author
# keeps them, without the link to the author. Messages are erased with their author.
register(
    Story, user_field="author", fields=("kind", "title", "body", "video_url", "status", "created_at"), on_erase=DETACH
)
register(DiscussionMessage, user_field="author", fields=("kit", "body", "created_at", "hidden_reason"), on_erase=DELETE)
# Consents are proof for the quoted person, not data about the agent who recorded them.
register(
    Consent, user_field="recorded_by", fields=("given_at", "channel", "text_version", "recorded_at"), on_erase=DETACH
)
register(
    Consent,
    user_field="withdrawn_by",
    fields=("withdrawn_at",),
    on_erase=DETACH,
    label="content.consent.withdrawn_by",
)
register(GuidelinePage, user_field="updated_by", fields=("title", "updated_at"), on_erase=DETACH)
register(
    DiscussionMessage,
    user_field="hidden_by",
    fields=("hidden_at", "hidden_reason"),
    on_erase=DETACH,
    label="content.discussionmessage.hidden_by",
)
