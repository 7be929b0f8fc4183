"""The ambassador portal's records: tracked links, shares, clicks, the daily salt, settings."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class DailySalt(models.Model):
    """The secret of one day's visitor hashes. Deleted after two days (see clicks.salts_purge)."""

    day = models.DateField(unique=True)
    secret = models.CharField(max_length=64)

    class Meta:
        verbose_name = _("sel du jour")
        verbose_name_plural = _("sels du jour")

    def __str__(self):
        return self.day.isoformat()
