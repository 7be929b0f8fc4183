"""Factories and helpers for campaigns tests."""

from accounts.models import NotificationPreference
from tests.accounts.factories import make_ambassador


def ambassadors(n, *, unit, charter, preference=NotificationPreference.IMMEDIATE, **kwargs):
    people = []
    for _ in range(n):
        person = make_ambassador(unit=unit, charter=charter, **kwargs)
        if person.notification_preference != preference:
            person.notification_preference = preference
            person.save(update_fields=["notification_preference"])
        people.append(person)
    return people
