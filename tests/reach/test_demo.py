"""The reach demo step: a realistic history, attributed by the real rules, idempotent."""

from datetime import timedelta
from urllib.parse import urlsplit

from django.utils import timezone

from accounts.handles import canonical_handle
from accounts.models import Network, ProgrammeMembership, User
from advocacy.reach import demo as reach_demo
from advocacy.reach.models import Hashtag, SocialPost
from tests.accounts.factories import SocialHandleFactory, make_ambassador


def test_demo_posts_are_realistic_and_seeding_twice_adds_nothing(org, charter, monkeypatch):
    monkeypatch.setattr(reach_demo, "AMBASSADOR_POSTS", 60)
    monkeypatch.setattr(reach_demo, "ORGANIC_POSTS", 40)
    monkeypatch.setattr(reach_demo, "WATCHED_POSTS", 10)
    person = make_ambassador(unit=org["a-bre-1"], charter=charter)
    joined = timezone.now() - timedelta(days=30)
    User.objects.filter(pk=person.pk).update(opted_in_at=joined)
    ProgrammeMembership.objects.filter(user=person).update(joined_at=joined)
    SocialHandleFactory(user=person, handle="demo_agent")

    reach_demo.seed_posts({})
    count = SocialPost.objects.count()
    reach_demo.seed_posts({})

    assert SocialPost.objects.count() == count == 110
    assert set(Hashtag.objects.values_list("normalized", flat=True)) == {"avecpoleemploi", "tweetecommepoleemploi"}
    ambassadors = SocialPost.objects.filter(attribution=SocialPost.Attribution.AMBASSADOR)
    assert ambassadors.exists() and set(ambassadors.values_list("ambassador", flat=True)) == {person.pk}
    assert SocialPost.objects.filter(attribution=SocialPost.Attribution.ORGANIC).count() >= 50
    assert SocialPost.objects.filter(hashtags__contains=" tweetecommepoleemploi ").count() == 10


def test_demo_posts_use_handles_and_addresses_valid_on_their_network(org, charter, monkeypatch):
    monkeypatch.setattr(reach_demo, "AMBASSADOR_POSTS", 60)
    monkeypatch.setattr(reach_demo, "ORGANIC_POSTS", 200)
    monkeypatch.setattr(reach_demo, "WATCHED_POSTS", 10)
    person = make_ambassador(unit=org["a-bre-1"], charter=charter)
    SocialHandleFactory(user=person, network=Network.X, handle="camille_pe")
    SocialHandleFactory(user=person, network=Network.LINKEDIN, handle="camille-le-goff-demo")
    SocialHandleFactory(user=person, network=Network.MASTODON, handle="camille", instance="piaille.fr")

    reach_demo.seed_posts({})

    hosts = {Network.X: "x.com", Network.LINKEDIN: "www.linkedin.com"}
    posts = SocialPost.objects.all()
    assert {p.network for p in posts} == {Network.X, Network.LINKEDIN, Network.MASTODON}
    for post in posts:
        canonical_handle(post.network, post.author_handle, post.author_instance)  # raises if invalid
        assert urlsplit(post.url).hostname == hosts.get(post.network, post.author_instance), post.url
        if post.network != Network.LINKEDIN:
            assert f"/{post.author_handle}/" in post.url or f"/@{post.author_handle}/" in post.url
