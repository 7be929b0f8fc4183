"""The crisis brake: the global pause with its automatic end, and the retraction flow."""

import datetime
import re

import pytest
import time_machine
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from advocacy.campaigns import crisis, selectors, services, tasks
from advocacy.campaigns.models import Campaign, CrisisEvent, Delivery, Notification, RetractionRequest
from content.models import Kit
from tests.campaigns.factories import ambassadors
from tests.content.factories import make_kit
from tests.sharing.factories import share

pytestmark = pytest.mark.django_db


def in_hours(hours):
    return timezone.now() + datetime.timedelta(hours=hours)


# --- Pause ---------------------------------------------------------------------------------


def test_a_moderator_pauses_everything_until_a_date_and_it_ends_by_itself(
    client, moderator, curator, org, charter, django_capture_on_commit_callbacks
):
    ambassadors(2, unit=org["a-bre-1"], charter=charter)
    client.force_login(moderator)
    ends = timezone.localtime(in_hours(2)).strftime("%Y-%m-%dT%H:%M")
    response = client.post(reverse("campaigns:crisis"), {"reason": "Polémique en cours", "ends_at": ends})
    assert response.status_code == 302
    assert selectors.pause_active()
    # The banner is on every portal page, for everyone.
    assert "Pause globale jusqu’au" in client.get(reverse("home")).content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        campaign = services.announcement_send(by=curator, subject="Annonce", body="Texte")
    campaign.refresh_from_db()
    assert campaign.status == Campaign.Status.HELD
    assert mail.outbox == [] and not Notification.objects.exists()

    with time_machine.travel(in_hours(3), tick=False):
        assert not selectors.pause_active()
        with django_capture_on_commit_callbacks(execute=True):
            assert tasks.end_due_pauses() == 1
        assert tasks.end_due_pauses() == 0
    assert len(mail.outbox) == 2
    campaign.refresh_from_db()
    assert campaign.status == Campaign.Status.FINISHED
    actions = list(CrisisEvent.objects.order_by("created_at").values_list("action", "actor_id"))
    assert actions == [(CrisisEvent.Action.PAUSE_SET, moderator.pk), (CrisisEvent.Action.PAUSE_ENDED, None)]


def test_lifting_the_pause_resumes_held_campaigns(moderator, curator, org, charter, django_capture_on_commit_callbacks):
    ambassadors(1, unit=org["a-bre-1"], charter=charter)
    crisis.pause_set(by=moderator, reason="Crise", ends_at=in_hours(5))
    with django_capture_on_commit_callbacks(execute=True):
        services.announcement_send(by=curator, subject="Annonce", body="Texte")
    assert mail.outbox == []
    with django_capture_on_commit_callbacks(execute=True):
        crisis.pause_lift(by=moderator, reason="Crise terminée")
    assert len(mail.outbox) == 1
    assert CrisisEvent.objects.filter(action=CrisisEvent.Action.PAUSE_LIFTED, actor=moderator).exists()


@pytest.mark.parametrize(
    ("reason", "hours", "field"), [("", 2, "reason"), ("Crise", -1, "ends_at"), ("Crise", 24 * 40, "ends_at")]
)
def test_a_pause_needs_a_reason_and_a_sensible_end(moderator, reason, hours, field):
    from advocacy.errors import DomainError

    with pytest.raises(DomainError) as error:
        crisis.pause_set(by=moderator, reason=reason, ends_at=in_hours(hours))
    assert error.value.field == field


def test_only_one_pause_at_a_time(moderator):
    from advocacy.errors import Conflict

    crisis.pause_set(by=moderator, reason="Crise", ends_at=in_hours(1))
    with pytest.raises(Conflict):
        crisis.pause_set(by=moderator, reason="Encore", ends_at=in_hours(1))


# --- Retraction ---------------------------------------------------------------------------


@pytest.fixture
def shared_kit(org, charter, django_capture_on_commit_callbacks):
    """A published kit and the three ambassadors who shared it (one of them twice)."""
    sharers = ambassadors(3, unit=org["a-bre-1"], charter=charter)
    ambassadors(1, unit=org["a-bre-1"], charter=charter)  # told about the kit, never shared it
    with django_capture_on_commit_callbacks(execute=True):
        kit = make_kit(status=Kit.Status.PUBLISHED, title="Le chiffre du mois")
        for person in sharers:
            share(ambassador=person, kit=kit)
        share(ambassador=sharers[0], kit=kit, network="linkedin")
    mail.outbox.clear()
    return kit, sharers


def test_crisis_page_says_so_when_nobody_had_shared_a_retracted_kit(client, moderator):
    kit = make_kit(status=Kit.Status.PUBLISHED, title="Un kit jamais partagé")
    client.force_login(moderator)
    client.post(reverse("campaigns:kit_retract", args=[kit.pk]), {"reason": "Erreur de date."})
    page = client.get(reverse("campaigns:crisis")).content.decode()
    assert "Un kit jamais partagé</a> — personne ne l’avait partagé, retiré le" in page
    assert "0 sur 0" not in page


def test_crisis_flow_end_to_end(client, moderator, shared_kit, django_capture_on_commit_callbacks, settings):
    kit, sharers = shared_kit
    client.force_login(moderator)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("campaigns:kit_retract", args=[kit.pk]), {"reason": "Chiffre erroné."})
    assert response.status_code == 302
    kit.refresh_from_db()
    assert kit.status == Kit.Status.RETRACTED

    # Every sharer, and only them, is asked by notification and e-mail, even during a pause.
    assert sorted(m.to[0] for m in mail.outbox) == sorted(p.email for p in sharers)
    message = mail.outbox[0]
    assert "Chiffre erroné." in message.body
    assert Notification.objects.filter(kind=Campaign.Kind.RETRACTION).count() == 3
    event = CrisisEvent.objects.get(action=CrisisEvent.Action.KIT_RETRACTED)
    assert (event.actor, event.reason, event.kit) == (moderator, "Chiffre erroné.", kit)

    # One sharer acknowledges from the e-mail's link, without signing in.
    first = next(m for m in mail.outbox if m.to == [sharers[0].email])
    link = re.search(r"https?://\S+/retraits/confirmer/\S+/", first.body).group(0)
    path = link.split("://", 1)[1].split("/", 1)[1]
    anonymous = client.__class__()
    assert "C’est fait" in anonymous.get(f"/{path}").content.decode()
    assert anonymous.post(f"/{path}").status_code == 200
    # Another acknowledges in the portal.
    client.force_login(sharers[1])
    request = RetractionRequest.objects.get(ambassador=sharers[1])
    assert kit.title in client.get(reverse("campaigns:my_retractions")).content.decode()
    client.post(reverse("campaigns:retraction_acknowledge", args=[request.pk]))

    # The moderator follows the acknowledgements on the kit's retraction page.
    client.force_login(moderator)
    page = client.get(reverse("campaigns:retraction_follow", args=[kit.pk])).content.decode()
    assert "Suppressions confirmées : 2 sur 3." in page
    crisis_page = client.get(reverse("campaigns:crisis")).content.decode()
    assert "suppressions confirmées : 2 sur 3, retiré le" in crisis_page

    # After the delay, the one who has not acknowledged is reminded, once.
    mail.outbox.clear()
    later = timezone.now() + datetime.timedelta(hours=settings.CAMPAIGN_RETRACTION_REMINDER_HOURS + 1)
    with time_machine.travel(later, tick=False), django_capture_on_commit_callbacks(execute=True):
        assert tasks.send_retraction_reminders() == 1
        assert tasks.send_retraction_reminders() == 0
    assert [m.to for m in mail.outbox] == [[sharers[2].email]]
    assert "Rappel" in mail.outbox[0].subject
    assert CrisisEvent.objects.filter(action=CrisisEvent.Action.RETRACTION_REMINDED).count() == 1


def test_retraction_requests_go_out_during_a_pause(moderator, shared_kit, django_capture_on_commit_callbacks):
    kit, sharers = shared_kit
    crisis.pause_set(by=moderator, reason="Crise", ends_at=in_hours(4))
    with django_capture_on_commit_callbacks(execute=True):
        crisis.kit_retract(kit=kit, by=moderator, reason="Retrait d’urgence.")
    assert len(mail.outbox) == 3
    campaign = Campaign.objects.get(kind=Campaign.Kind.RETRACTION)
    assert campaign.deliveries.filter(status=Delivery.Status.SENT).count() == 3


def test_the_retraction_hook_running_twice_asks_once(moderator, shared_kit, django_capture_on_commit_callbacks):
    kit, _sharers = shared_kit
    with django_capture_on_commit_callbacks(execute=True):
        kit = crisis.kit_retract(kit=kit, by=moderator, reason="Erreur.")
    assert crisis.kit_retracted_notify(kit) is None
    assert RetractionRequest.objects.count() == 3 and len(mail.outbox) == 3


def test_a_tampered_acknowledgement_link_is_refused(client):
    response = client.post(reverse("campaigns:acknowledge_link", args=["pas-un-vrai-jeton"]))
    assert response.status_code == 400
    assert "n’est pas valide" in response.content.decode()


def test_sharers_are_the_people_who_shared_the_kit_once_each(shared_kit):
    kit, sharers = shared_kit
    assert sorted(crisis.sharers_of(kit).values_list("pk", flat=True)) == sorted(p.pk for p in sharers)


def test_retraction_pages_keep_a_constant_query_count(
    client, moderator, org, charter, django_capture_on_commit_callbacks, django_assert_num_queries
):
    sharers = ambassadors(6, unit=org["a-bre-1"], charter=charter)
    with django_capture_on_commit_callbacks(execute=True):
        kit = make_kit(status=Kit.Status.PUBLISHED, title="Kit à retirer")
        for person in sharers:
            share(ambassador=person, kit=kit)
        crisis.kit_retract(kit=kit, by=moderator, reason="Erreur.")
    client.force_login(moderator)
    for url, queries in (
        (reverse("campaigns:retraction_follow", args=[kit.pk]), 7),
        (reverse("campaigns:crisis"), 9),
    ):
        client.get(url)
        with django_assert_num_queries(queries):
            assert client.get(url).status_code == 200
    client.force_login(sharers[0])
    client.get(reverse("campaigns:my_retractions"))
    with django_assert_num_queries(3):
        assert kit.title in client.get(reverse("campaigns:my_retractions")).content.decode()


def test_erasure_keeps_campaign_figures_without_the_person(
    admin_user, moderator, shared_kit, smtp_server, django_capture_on_commit_callbacks
):
    from accounts import services as account_services
    from advocacy.campaigns.models import ProviderEvent

    kit, sharers = shared_kit
    person = sharers[0]
    smtp_server.rules = {person.email: f"550 5.1.1 <{person.email}> unknown"}
    with django_capture_on_commit_callbacks(execute=True):
        crisis.kit_retract(kit=kit, by=moderator, reason="Erreur.")
    row = Delivery.objects.get(recipient=person, channel="email", campaign__kind=Campaign.Kind.RETRACTION)
    ProviderEvent.objects.create(esp_name="Test", event_type="bounced", recipient=person.email, delivery=row)
    account_services.user_erase(user=person, by=admin_user)
    row.refresh_from_db()
    assert row.recipient_id is None and row.status == Delivery.Status.FAILED and row.reason == ""
    assert ProviderEvent.objects.get().recipient == ""
    assert not Notification.objects.filter(body__contains=person.email).exists()
    assert RetractionRequest.objects.filter(kit=kit).count() == 3
    assert RetractionRequest.objects.filter(kit=kit, ambassador__isnull=True).count() == 1


def test_the_crisis_journal_pages_come_back_to_the_journal(client, moderator):
    CrisisEvent.objects.bulk_create(
        CrisisEvent(action=CrisisEvent.Action.PAUSE_SET, actor=moderator, reason=f"Motif {n}") for n in range(26)
    )
    client.force_login(moderator)
    page = client.get(reverse("campaigns:crisis")).content.decode()
    assert 'href="?page=2#journal"' in page
    second = client.get(reverse("campaigns:crisis"), {"page": "2"}).content.decode()
    assert re.search(r'<a class="fr-pagination__link" aria-current="page" title="Page 2">2</a>', second)
