"""Fill TrackedLink.unit on links made before it existed.

The unit of a link's first share is the closest record of the unit its owner was in when
the link was made; a link never shared gets its owner's current unit, the only one known.
"""

from django.db import migrations
from django.db.models import OuterRef, Subquery
from django.db.models.functions import Coalesce


def fill(apps, schema_editor):
    TrackedLink = apps.get_model("sharing", "TrackedLink")
    Share = apps.get_model("sharing", "Share")
    User = apps.get_model("accounts", "User")
    first_share_unit = Share.objects.filter(link_id=OuterRef("pk")).order_by("created_at", "pk").values("unit_id")[:1]
    owner_unit = User.objects.filter(pk=OuterRef("ambassador_id")).values("unit_id")[:1]
    TrackedLink.objects.filter(unit__isnull=True).update(
        unit_id=Coalesce(Subquery(first_share_unit), Subquery(owner_unit))
    )


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("sharing", "0002_trackedlink_unit"),
    ]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
