"""Template helpers of the curators' and moderators' workspace."""

from django import template

from accounts.models import Network

register = template.Library()

STATUS_BADGES = {
    "draft": "",
    "submitted": "fr-badge--info",
    "changes_requested": "fr-badge--warning",
    "approved": "fr-badge--new",
    "published": "fr-badge--success",
    "expired": "",
    "retracted": "fr-badge--error",
    "archived": "",
}
NETWORK_LABELS = dict(Network.choices)


@register.filter
def status_badge(status: str) -> str:
    """The DSFR badge variant of a kit status (the label always says it in words)."""
    return STATUS_BADGES.get(status, "")


@register.filter
def network_label(value: str) -> str:
    return NETWORK_LABELS.get(value, value)


@register.filter
def network_labels(values) -> str:
    return ", ".join(NETWORK_LABELS.get(v, v) for v in values or [])
