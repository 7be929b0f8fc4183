"""Discussions: a thread per kit and one general space."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class DiscussionMessage(models.Model):
    """A message in a kit's thread, or in the general space when `kit` is empty."""

    kit = models.ForeignKey("content.Kit", on_delete=models.CASCADE, null=True, blank=True, related_name="messages")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    body = models.TextField(_("message"), max_length=4000)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    hidden_at = models.DateTimeField(null=True, blank=True)
    hidden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    hidden_reason = models.CharField(_("motif du masquage"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("message de discussion")
        verbose_name_plural = _("messages de discussion")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["kit", "-created_at"], name="content_msg_kit_created")]

    def __str__(self):
        return self.body[:60]

    @property
    def is_hidden(self) -> bool:
        return self.hidden_at is not None
