"""Sharing services: who may share what, post addresses, same-text notice, privacy of records."""

import pytest
from django.apps import apps
from django.db import models

from accounts import services as account_services
from accounts.models import Network
from advocacy.errors import Conflict, DomainError
from advocacy.sharing import services
from advocacy.sharing.models import Share, TrackedLink
from content import workflow
from content.models import Kit
from tests.accounts.factories import UserFactory, make_ambassador, published_charter
from tests.sharing.factories import live_kit, share


def test_share_records_text_unit_snapshot_and_tracked_link(ambassador):
    kit = live_kit()
    recorded = share(ambassador=ambassador, kit=kit, network="x", text="  Mon angle à moi  ")
    assert (recorded.text, recorded.unit_id, recorded.channel) == ("Mon angle à moi", ambassador.unit_id, "x")
    assert recorded.link.kit == kit and recorded.link.ambassador == ambassador
    again = share(ambassador=ambassador, kit=kit, network="x")
    assert again.link == recorded.link  # one link per ambassador × kit × network
    other = share(ambassador=ambassador, kit=kit, network="bluesky")
    assert other.link != recorded.link


def test_a_tracked_link_keeps_the_unit_it_was_made_in_after_a_move(ambassador, org):
    made = services.tracked_links_ensure(ambassador=ambassador, kit=live_kit(), channels=["x", "linkedin"])
    account_services.user_sync_unit(user=ambassador, unit_code="a-occ-1")
    assert {link.unit_id for link in TrackedLink.objects.filter(pk__in=[link.pk for link in made.values()])} == {
        org["a-bre-1"].pk
    }


def test_links_made_before_units_were_copied_get_their_first_shares_unit(ambassador, org):
    import importlib

    from django.apps import apps

    fill = importlib.import_module("advocacy.sharing.migrations.0003_trackedlink_unit_fill").fill
    shared_link = share(ambassador=ambassador, network="x").link
    never_shared = services.tracked_links_ensure(ambassador=ambassador, kit=live_kit(), channels=["x"])["x"]
    account_services.user_sync_unit(user=ambassador, unit_code="a-occ-1")
    share(ambassador=ambassador, kit=shared_link.kit, network="x")  # the second share, after the move
    TrackedLink.objects.update(unit=None)

    fill(apps, None)

    units = dict(TrackedLink.objects.values_list("pk", "unit__code"))
    assert (units[shared_link.pk], units[never_shared.pk]) == ("a-bre-1", "a-occ-1")


def test_staff_who_did_not_join_cannot_share(staff):
    with pytest.raises(DomainError) as error:
        share(ambassador=staff)
    assert error.value.code == "charter_required"


def test_ambassador_must_accept_a_material_new_charter_before_sharing(ambassador):
    published_charter(material=True, title="Charte v2")
    with pytest.raises(DomainError) as error:
        share(ambassador=ambassador)
    assert error.value.code == "charter_required"


@pytest.mark.parametrize("status", [Kit.Status.DRAFT, Kit.Status.EXPIRED, Kit.Status.RETRACTED])
def test_only_live_kits_can_be_shared(ambassador, status):
    from tests.content.factories import make_kit

    kit = make_kit(status=status)
    with pytest.raises(Conflict):
        share(ambassador=ambassador, kit=kit)


def test_a_kit_targeted_elsewhere_cannot_be_shared(ambassador, org):
    kit = live_kit(target_units=[org["dr-occ"]])
    with pytest.raises(Conflict):
        share(ambassador=ambassador, kit=kit)


@pytest.mark.parametrize("text", ["", "   ", "x" * 5001])
def test_text_must_be_present_and_reasonable(ambassador, text):
    with pytest.raises(DomainError) as error:
        share(ambassador=ambassador, text=text)
    assert error.value.field == "text"


def test_unknown_network_is_refused(ambassador):
    with pytest.raises(DomainError):
        share(ambassador=ambassador, network="myspace")


@pytest.mark.parametrize(
    ("network", "url", "ok"),
    [
        ("x", "https://x.com/agent/status/1234", True),
        ("x", "https://twitter.com/agent/status/1234", True),
        ("x", "https://www.linkedin.com/posts/agent", False),
        ("x", "http://x.com/agent/status/1", False),
        ("linkedin", "https://www.linkedin.com/feed/update/urn:li:activity:1/", True),
        ("linkedin", "https://linkedin.com.evil.example/feed", False),
        ("facebook", "https://www.facebook.com/agent/posts/1", True),
        ("bluesky", "https://bsky.app/profile/agent.bsky.social/post/3k", True),
        ("bluesky", "https://evilbsky.app/profile/x", False),
        ("mastodon", "https://piaille.fr/@agent/1123", True),
        ("mastodon", "https://mastodon.social/@agent/1123", False),
    ],
)
def test_post_url_must_belong_to_the_network(ambassador, network, url, ok):
    account_services.handle_save(user=ambassador, network=Network.MASTODON, handle="agent", instance="piaille.fr")
    recorded = share(ambassador=ambassador, network=network)
    if ok:
        services.share_attach_post(share=recorded, by=ambassador, post_url=url)
        assert Share.objects.get(pk=recorded.pk).post_url == url
    else:
        with pytest.raises(DomainError):
            services.share_attach_post(share=recorded, by=ambassador, post_url=url)


def test_nobody_else_attaches_a_post_to_my_share(ambassador, org, charter):
    recorded = share(ambassador=ambassador)
    other = make_ambassador(unit=org["a-bre-1"], charter=charter)
    with pytest.raises(DomainError):
        services.share_attach_post(share=recorded, by=other, post_url="https://x.com/a/status/1")


def test_same_words_as_colleagues_are_counted_whatever_the_case_spacing_and_link(ambassador, org, charter):
    kit = live_kit()
    text = "Nos conseillers accompagnent les jeunes ! #AvecPôleEmploi"
    for _ in range(2):
        colleague = make_ambassador(unit=org["a-bre-2"], charter=charter)
        share(ambassador=colleague, kit=kit, text=text)
        share(ambassador=colleague, kit=kit, network="linkedin", text=text)
    variant = "nos  conseillers accompagnent les JEUNES #avecpoleemploi https://x.example/s/abc"
    assert services.colleagues_with_same_text(kit=kit, text=variant, ambassador=ambassador) == 2
    assert services.colleagues_with_same_text(kit=kit, text="Mon angle à moi", ambassador=ambassador) == 0


def test_no_column_anywhere_holds_a_network_address():
    """Every field of every model: no raw IP by name, by type, or in the sharing records."""
    suspicious = ("ip", "ip_address", "remote_addr", "address_ip", "client_ip", "x_forwarded_for")
    found = []
    for model in apps.get_models():
        # allauth's own session list is the one exception, owned and expired by allauth.
        if model._meta.label == "usersessions.UserSession":
            continue
        for field in model._meta.get_fields():
            if not hasattr(field, "column"):
                continue
            if isinstance(field, models.GenericIPAddressField) or field.name.lower() in suspicious:
                found.append(f"{model._meta.label}.{field.name}")
    assert not found, found


def test_stored_clicks_hold_no_address(client, ambassador):
    from advocacy.sharing import buffer
    from advocacy.sharing.models import Click

    recorded = share(ambassador=ambassador)
    client.get(f"/s/{recorded.link.code}", REMOTE_ADDR="203.0.113.77", HTTP_USER_AGENT="Mozilla/5.0 (X11) Firefox/131")
    buffer.drain(services.clicks_store)
    for row in Click.objects.values():
        assert not any("203.0.113.77" in str(value) for value in row.values())


def test_erasure_keeps_figures_without_the_person(ambassador, admin_user):
    recorded = share(ambassador=ambassador)
    services.share_attach_post(share=recorded, by=ambassador, post_url="https://x.com/agent/status/1")
    account_services.user_erase(user=ambassador, by=admin_user)
    kept = Share.objects.get(pk=recorded.pk)
    assert (kept.ambassador_id, kept.text, kept.post_url) == (None, "", "")
    assert kept.unit_id is not None
    link = TrackedLink.objects.get(pk=recorded.link_id)
    assert (link.ambassador_id, link.unit_id) == (None, recorded.unit_id)


def test_retraction_hook_forgets_cached_destinations(ambassador, django_capture_on_commit_callbacks):
    from advocacy.sharing import links

    recorded = share(ambassador=ambassador)
    links.lookup(recorded.link.code)
    assert links.cached(recorded.link.code)
    with django_capture_on_commit_callbacks(execute=True):
        workflow.kit_retract(kit=recorded.kit, by=UserFactory(moderator=True), reason="Crise")
    assert links.cached(recorded.link.code) is None
