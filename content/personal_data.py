"""The personal data held by the content library: who wrote, edited, approved or
retracted a kit. Erasure detaches the person; the kit and its history stay."""

from accounts.privacy import DETACH, register
from content.models import Kit, KitTransition, KitVersion

for role in ("author", "last_editor", "approved_by", "retracted_by"):
    register(Kit, user_field=role, fields=("slug", "title", "status"), on_erase=DETACH, label=f"content.kit.{role}")
register(KitTransition, user_field="by", fields=("kit", "from_status", "to_status", "at", "comment"), on_erase=DETACH)
register(KitVersion, user_field="by", fields=("kit", "number", "at"), on_erase=DETACH)
