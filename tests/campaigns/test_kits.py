"""Kit notifications: each person as they prefer, and digests that group the right kits once."""

import datetime

import pytest
from django.core import mail
from django.utils import timezone

from accounts import services as account_services
from accounts.models import NotificationPreference as P
from advocacy.campaigns import kits, tasks
from advocacy.campaigns.models import Campaign, DigestItem, Notification
from content.models import Kit
from tests.campaigns.factories import ambassadors
from tests.content.factories import make_kit

pytestmark = pytest.mark.django_db


@pytest.fixture
def crowd(org, charter):
    return {
        preference: ambassadors(1, unit=org["a-bre-1"], charter=charter, preference=preference)[0]
        for preference in (P.IMMEDIATE, P.DAILY, P.WEEKLY, P.NONE)
    }


def publish(django_capture_on_commit_callbacks, **fields):
    with django_capture_on_commit_callbacks(execute=True):
        return make_kit(status=Kit.Status.PUBLISHED, **fields)


def test_publishing_a_kit_tells_each_person_as_they_prefer(crowd, django_capture_on_commit_callbacks):
    kit = publish(django_capture_on_commit_callbacks, title="Le salon de l’alternance")
    assert [m.to for m in mail.outbox] == [[crowd[P.IMMEDIATE].email]]
    assert "Le salon de l’alternance" in mail.outbox[0].subject
    assert kit.author.get_full_name() in mail.outbox[0].body  # signed by the curator who wrote it
    # Everyone sees it in the portal, whatever their e-mail preference.
    assert Notification.objects.filter(campaign__kit=kit).count() == 4
    assert set(DigestItem.objects.values_list("recipient_id", "frequency")) == {
        (crowd[P.DAILY].pk, P.DAILY),
        (crowd[P.WEEKLY].pk, P.WEEKLY),
    }


def test_the_hook_running_twice_notifies_once(crowd, django_capture_on_commit_callbacks):
    kit = publish(django_capture_on_commit_callbacks)
    assert kits.kit_published_notify(kit) is None
    assert Campaign.objects.filter(kit=kit).count() == 1
    assert len(mail.outbox) == 1


def test_only_targeted_people_are_told(org, charter, django_capture_on_commit_callbacks):
    (brittany,) = ambassadors(1, unit=org["a-bre-1"], charter=charter)
    ambassadors(1, unit=org["a-occ-1"], charter=charter)
    kit = publish(django_capture_on_commit_callbacks, target_units=[org["dr-bre"]])
    assert set(Notification.objects.filter(campaign__kit=kit).values_list("recipient_id", flat=True)) == {brittany.pk}


def test_daily_digest_groups_the_right_kits_once(crowd, django_capture_on_commit_callbacks):
    first = publish(django_capture_on_commit_callbacks, title="Premier kit")
    second = publish(django_capture_on_commit_callbacks, title="Deuxième kit")
    withdrawn = publish(django_capture_on_commit_callbacks, title="Kit retiré")
    with django_capture_on_commit_callbacks(execute=True):
        from content import workflow
        from tests.accounts.factories import UserFactory

        workflow.kit_retract(kit=withdrawn, by=UserFactory(moderator=True), reason="Erreur de chiffres.")
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.send_digests("daily") == 1
    assert [m.to for m in mail.outbox] == [[crowd[P.DAILY].email]]
    body = mail.outbox[0].body
    assert "Premier kit" in body and "Deuxième kit" in body and "Kit retiré" not in body
    assert body.index("Premier kit") < body.index("Deuxième kit")
    digest = Campaign.objects.get(kind=Campaign.Kind.DIGEST)
    assert set(digest.items.values_list("kit_id", flat=True)) == {first.pk, second.pk}

    # Nothing new: the next digest run sends nothing, the kits are not repeated.
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.send_digests("daily") == 0
    assert mail.outbox == []
    third = publish(django_capture_on_commit_callbacks, title="Troisième kit")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        tasks.send_digests("daily")
    assert "Troisième kit" in mail.outbox[0].body and "Premier kit" not in mail.outbox[0].body
    assert DigestItem.objects.get(recipient=crowd[P.DAILY], kit=third).campaign.kind == Campaign.Kind.DIGEST


def test_weekly_digest_is_separate_from_the_daily_one(crowd, django_capture_on_commit_callbacks):
    publish(django_capture_on_commit_callbacks, title="Kit de la semaine")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        tasks.send_digests("weekly")
    assert [m.to for m in mail.outbox] == [[crowd[P.WEEKLY].email]]
    assert "hebdomadaire" in mail.outbox[0].subject


def test_leaving_the_programme_drops_pending_digest_items(crowd, django_capture_on_commit_callbacks):
    publish(django_capture_on_commit_callbacks)
    account_services.programme_leave(user=crowd[P.DAILY])
    assert not DigestItem.objects.filter(recipient=crowd[P.DAILY]).exists()


def test_a_kit_retracted_while_its_announcement_was_held_is_not_announced(
    crowd, moderator, django_capture_on_commit_callbacks
):
    from advocacy.campaigns import crisis
    from content import workflow

    pause_ends = timezone.now() + datetime.timedelta(hours=1)
    crisis.pause_set(by=moderator, reason="Crise", ends_at=pause_ends)
    kit = publish(django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        workflow.kit_retract(kit=kit, by=moderator, reason="Erreur.")
        crisis.pause_lift(by=moderator)
    campaign = Campaign.objects.get(kit=kit, kind=Campaign.Kind.KIT_PUBLISHED)
    assert mail.outbox == []
    assert set(campaign.deliveries.values_list("status", flat=True)) == {"skipped"}
    assert not Notification.objects.filter(campaign=campaign).exists()
