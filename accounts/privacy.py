"""Personal data: where it lives, how it is exported and how it is erased.

Every model that points at a person is registered here, by its own app, with the fields
a person receives in their export and what erasure does to its rows. A test walks every
installed model and fails when one that refers to a person is missing, so a new model
cannot hold personal data the export and erasure do not know about.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from django.db import models

# What erasure does to the rows of a model, beyond deleting the person itself:
DELETE = "delete"  # the rows are personal through and through: delete them
DETACH = "detach"  # the rows feed aggregate figures: keep them, the link to the person is cleared


@dataclass(frozen=True)
class PersonalData:
    model: type[models.Model]
    user_field: str
    fields: tuple[str, ...]
    on_erase: str = DELETE
    # Clears personal values kept in detached rows (a post address naming a handle, ...).
    scrub: Callable[[models.QuerySet], None] | None = None
    label: str = ""
    extra_filter: dict = field(default_factory=dict)

    @property
    def key(self) -> str:
        return self.label or self.model._meta.label_lower

    def rows_of(self, user) -> models.QuerySet:
        return self.model._default_manager.filter(**{self.user_field: user.pk}, **self.extra_filter)


REGISTRY: dict[str, PersonalData] = {}


def register(model, *, fields, user_field="user", on_erase=DELETE, scrub=None, label=""):
    entry = PersonalData(
        model=model, user_field=user_field, fields=tuple(fields), on_erase=on_erase, scrub=scrub, label=label
    )
    REGISTRY[entry.key] = entry
    return entry


def _plain(value):
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, models.Model):
        return str(value)
    if hasattr(value, "name") and hasattr(value, "url"):  # a file field
        return value.name or None
    return value


def export_for(user) -> dict:
    """Everything the platform holds about `user`, as plain JSON-ready data."""
    data = {}
    for key, entry in sorted(REGISTRY.items()):
        rows = []
        for obj in entry.rows_of(user).order_by("pk"):
            rows.append({name: _plain(getattr(obj, name)) for name in entry.fields})
        data[key] = rows
    return data


def erase_rows_of(user) -> None:
    """Delete or detach every registered row of `user` (the caller deletes the user)."""
    for entry in REGISTRY.values():
        if entry.model is user.__class__:
            continue
        qs = entry.rows_of(user)
        if entry.on_erase == DELETE:
            qs.delete()
        else:
            if entry.scrub is not None:
                entry.scrub(qs)
            # Detached rows point at the person through a direct, nullable foreign key.
            qs.update(**{entry.user_field: None})
