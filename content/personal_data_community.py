"""Personal data held by the guideline pages, stories and discussions (see accounts.privacy)."""

from accounts.privacy import DELETE, DETACH, register
from content.models_community import Consent, DiscussionMessage, GuidelinePage, Story

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
