"""Attribution of collected posts: ambassador (only while opted in), tracked link, organic."""

from datetime import timedelta

import pytest

from accounts import services as accounts_services
from accounts.models import Network, ProgrammeMembership
from advocacy.reach import attribution
from advocacy.reach.ingestion import PostData, posts_upsert
from advocacy.reach.models import SocialPost
from tests.accounts.factories import make_ambassador

A = SocialPost.Attribution


@pytest.fixture
def camille(org, charter):
    person = make_ambassador(unit=org["a-bre-1"], charter=charter)
    accounts_services.handle_save(user=person, network=Network.X, handle="@Camille_LeGoff")
    accounts_services.handle_save(user=person, network=Network.MASTODON, handle="camille", instance="piaille.fr")
    return person


def joined(person):
    return ProgrammeMembership.objects.get(user=person).joined_at


def collect(external_id, *, at, handle="Camille_LeGoff", network=Network.X, instance="", text="#AvecPôleEmploi",
            likes=1):  # fmt: skip
    posts_upsert(
        posts=[PostData(network=network, external_id=external_id, posted_at=at, text=text, author_handle=handle,
                        author_instance=instance, likes=likes)],
        source=SocialPost.Source.X_API,
    )  # fmt: skip
    return SocialPost.objects.get(network=network, external_id=external_id)


def test_post_by_a_declared_handle_during_membership_counts_for_the_ambassador_and_unit(camille, org, programme_tag):
    post = collect("1", at=joined(camille) + timedelta(hours=1))
    assert (post.attribution, post.ambassador, post.unit) == (A.AMBASSADOR, camille, org["a-bre-1"])


def test_the_unit_is_the_one_of_the_membership_period(camille, org, programme_tag):
    # The person moved after joining: the period's unit still says where the activity counted.
    camille.unit = org["a-occ-1"]
    camille.save(update_fields=["unit"])
    post = collect("1", at=joined(camille) + timedelta(hours=1))
    assert post.unit == org["a-bre-1"]


def test_post_from_before_joining_is_organic(camille, programme_tag):
    post = collect("1", at=joined(camille) - timedelta(days=3))
    assert (post.attribution, post.ambassador, post.unit) == (A.ORGANIC, None, None)


def test_opting_out_stops_attribution_but_keeps_past_posts(camille, org, programme_tag):
    during = collect("1", at=joined(camille) + timedelta(minutes=5))
    assert during.attribution == A.AMBASSADOR

    accounts_services.programme_leave(user=camille)
    left_at = ProgrammeMembership.objects.get(user=camille).left_at

    after = collect("2", at=left_at + timedelta(minutes=1))
    assert (after.attribution, after.ambassador) == (A.ORGANIC, None)
    # Collected again after the handles were deleted, with new metrics: still theirs.
    refreshed = collect("1", at=during.posted_at, likes=40)
    assert refreshed.likes == 40
    assert (refreshed.attribution, refreshed.ambassador, refreshed.unit) == (A.AMBASSADOR, camille, org["a-bre-1"])
    # A blanket re-attribution does not strip it either.
    attribution.reattribute()
    during.refresh_from_db()
    assert during.attribution == A.AMBASSADOR


def test_a_post_from_the_membership_first_seen_after_leaving_is_organic(camille, programme_tag):
    """The handle is gone by then: nothing ties the post to the person any more. This is
    why collection runs every few minutes and attribution is decided at ingestion."""
    posted = joined(camille) + timedelta(minutes=5)
    accounts_services.programme_leave(user=camille)
    assert collect("1", at=posted).attribution == A.ORGANIC


def test_rejoining_opens_a_new_period_and_the_gap_stays_organic(camille, charter, programme_tag):
    accounts_services.programme_leave(user=camille)
    gap = ProgrammeMembership.objects.get(user=camille).left_at + timedelta(minutes=1)
    accounts_services.programme_join(user=camille, version=charter)
    accounts_services.handle_save(user=camille, network=Network.X, handle="camille_legoff")
    second = ProgrammeMembership.objects.get(user=camille, left_at__isnull=True)
    # As if the person came back an hour later.
    second.joined_at = gap + timedelta(hours=1)
    second.save(update_fields=["joined_at"])
    assert collect("gap", at=gap).attribution == A.ORGANIC
    assert collect("back", at=second.joined_at + timedelta(minutes=1)).attribution == A.AMBASSADOR


def test_mastodon_handles_match_on_the_instance_too(camille, programme_tag):
    at = joined(camille) + timedelta(minutes=5)
    same = collect("https://piaille.fr/s/1", at=at, network=Network.MASTODON, handle="Camille", instance="piaille.fr")
    other = collect("https://m.org/s/2", at=at, network=Network.MASTODON, handle="camille", instance="mastodon.social")
    assert same.attribution == A.AMBASSADOR
    assert other.attribution == A.ORGANIC


def test_a_post_with_a_tracked_link_counts_for_the_link(programme_tag, settings):
    settings.TRACKED_LINK_HOSTS = ["avecpoleemploi.fr"]
    post = collect("1", at=joined_nobody(), handle="quelquun", text="Lisez https://avecpoleemploi.fr/s/Ab12Cd34 !")
    assert (post.attribution, post.tracked_code) == (A.TRACKED_LINK, "Ab12Cd34")
    # SITE_URL's own host is always one of ours.
    settings.SITE_URL = "https://ambassadeurs.example"
    other = collect("2", at=joined_nobody(), handle="quelquun", text="https://ambassadeurs.example/s/Zz99Yy88 #x")
    assert other.tracked_code == "Zz99Yy88"


def test_an_ambassadors_post_with_a_tracked_link_is_theirs_and_keeps_the_code(camille, programme_tag):
    post = collect(
        "1", at=joined(camille) + timedelta(minutes=1), text="#AvecPôleEmploi http://127.0.0.1:8000/s/Qw12Er34"
    )
    assert (post.attribution, post.tracked_code, post.ambassador) == (A.AMBASSADOR, "Qw12Er34", camille)


def test_declaring_a_handle_later_upgrades_earlier_posts_of_the_period(org, charter, programme_tag):
    person = make_ambassador(unit=org["a-occ-2"], charter=charter)
    post = collect("1", at=joined(person) + timedelta(minutes=5), handle="late_decl")
    assert post.attribution == A.ORGANIC

    accounts_services.handle_save(user=person, network=Network.X, handle="late_decl")
    assert attribution.reattribute() == 1

    post.refresh_from_db()
    assert (post.attribution, post.ambassador, post.unit) == (A.AMBASSADOR, person, org["a-occ-2"])


def test_attribution_of_a_batch_takes_two_queries(camille, monkeypatch):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    # On PostgreSQL the handles are looked up outside Django's query log (advocacy.db).
    unlogged = []
    logged_lookup = attribution.binary_parameters_query
    monkeypatch.setattr(
        attribution, "binary_parameters_query", lambda *args: unlogged.append(args) or logged_lookup(*args)
    )
    at = joined(camille) + timedelta(minutes=5)
    items = [(Network.X, f"someone{i}", "", at, "") for i in range(50)] + [(Network.X, "camille_legoff", "", at, "")]
    with CaptureQueriesContext(connection) as logged:
        decisions = attribution.decide_many(items)
    assert len(logged) + len(unlogged) == 2
    assert [d.attribution for d in decisions].count(A.AMBASSADOR) == 1


def test_a_batch_without_declared_authors_takes_one_query(camille, django_assert_max_num_queries):
    at = joined(camille) + timedelta(minutes=5)
    items = [(Network.X, f"someone{i}", "", at, "abc" if i % 2 else "") for i in range(50)]
    with django_assert_max_num_queries(1):
        decisions = attribution.decide_many(items)
    assert [d.attribution for d in decisions] == [A.TRACKED_LINK if i % 2 else A.ORGANIC for i in range(50)]


def joined_nobody():
    from django.utils import timezone

    return timezone.now() - timedelta(hours=1)


def test_daily_task_upgrades_recent_posts(org, charter, programme_tag):
    from advocacy.reach import tasks

    person = make_ambassador(unit=org["a-bre-2"], charter=charter)
    post = collect("1", at=joined(person) + timedelta(minutes=5), handle="tardif")
    accounts_services.handle_save(user=person, network=Network.X, handle="tardif")
    tasks.reattribute_recent.delay()
    post.refresh_from_db()
    assert post.ambassador == person


def test_reattribution_marks_the_days_for_the_rollups(org, charter, programme_tag):
    from advocacy.reach.report_models import DirtyDay

    person = make_ambassador(unit=org["a-bre-2"], charter=charter)
    collect("1", at=joined(person) + timedelta(minutes=5), handle="tardive")
    DirtyDay.objects.all().delete()
    accounts_services.handle_save(user=person, network=Network.X, handle="tardive")
    attribution.reattribute()
    assert DirtyDay.objects.count() == 1


def test_declaring_a_handle_upgrades_that_accounts_posts_once_committed(
    org, charter, programme_tag, django_capture_on_commit_callbacks
):
    person = make_ambassador(unit=org["a-occ-2"], charter=charter)
    post = collect("1", at=joined(person) + timedelta(minutes=5), handle="declared_now")

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        accounts_services.handle_save(user=person, network=Network.X, handle="@Declared_Now")
        post.refresh_from_db()
        assert post.attribution == A.ORGANIC  # nothing is queued before the declaration is committed

    assert len(callbacks) == 1
    post.refresh_from_db()
    assert (post.attribution, post.ambassador, post.unit) == (A.AMBASSADOR, person, org["a-occ-2"])


def test_declaring_a_handle_looks_only_at_that_accounts_posts(
    org, charter, programme_tag, django_capture_on_commit_callbacks
):
    first = make_ambassador(unit=org["a-occ-2"], charter=charter)
    second = make_ambassador(unit=org["a-bre-2"], charter=charter)
    others = collect("1", at=joined(second) + timedelta(minutes=5), handle="second_person")
    # Declared without its hook running (as if its task were lost): only the daily pass would fix it.
    accounts_services.handle_save(user=second, network=Network.X, handle="second_person")
    collect("2", at=joined(first) + timedelta(minutes=5), handle="first_person")

    with django_capture_on_commit_callbacks(execute=True):
        accounts_services.handle_save(user=first, network=Network.X, handle="first_person")

    others.refresh_from_db()
    assert others.attribution == A.ORGANIC
    assert SocialPost.objects.get(external_id="2").ambassador == first


def test_a_mastodon_declaration_matches_posts_of_that_instance_only(
    org, charter, programme_tag, django_capture_on_commit_callbacks
):
    person = make_ambassador(unit=org["a-occ-2"], charter=charter)
    at = joined(person) + timedelta(minutes=5)
    mine = collect("https://piaille.fr/1", at=at, network=Network.MASTODON, handle="agent", instance="piaille.fr")
    namesake = collect("https://mamot.fr/1", at=at, network=Network.MASTODON, handle="agent", instance="mamot.fr")

    with django_capture_on_commit_callbacks(execute=True):
        accounts_services.handle_save(user=person, network=Network.MASTODON, handle="agent", instance="piaille.fr")

    mine.refresh_from_db()
    namesake.refresh_from_db()
    assert (mine.ambassador, namesake.ambassador) == (person, None)


def test_changing_only_the_follower_count_queues_no_reattribution(camille, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        accounts_services.handle_save(user=camille, network=Network.X, handle="camille_legoff", follower_count=900)
    assert callbacks == []


def test_reattribution_task_of_a_handle_deleted_since_does_nothing(camille):
    from accounts.models import SocialHandle
    from advocacy.reach import tasks

    handle = SocialHandle.objects.get(user=camille, network=Network.X)
    handle_id = handle.pk
    handle.delete()
    tasks.reattribute_handle.delay(handle_id)  # no error, no change
    assert not SocialPost.objects.exists()


def import_file(content: str):
    import io

    from advocacy.reach import importing

    return importing.import_stream(io.BytesIO(content.encode()), format="csv", mapping={}, default_network="x")


def test_an_export_without_the_link_leaves_a_post_found_with_one_to_the_link(programme_tag):
    at = joined_nobody()
    posts_upsert(
        posts=[PostData(network=Network.X, external_id="42", posted_at=at, text="Bravo #AvecPôleEmploi https://t.co/x1",
                        author_handle="Quelquun", extra_urls=["https://avecpoleemploi.fr/s/k7Qm2xPa"])],
        source=SocialPost.Source.X_API,
    )  # fmt: skip
    # A listening tool's export of the same post: the text as X shows it, no entities.
    progress = import_file(
        f"external_id;posted_at;text;likes\n42;{at.isoformat()};Bravo #AvecPôleEmploi https://t.co/x1;9\n"
    )

    assert progress.updated == 1
    post = SocialPost.objects.get()
    assert (post.attribution, post.tracked_code, post.likes) == (A.TRACKED_LINK, "k7Qm2xPa", 9)


def test_an_export_without_authors_keeps_the_author_so_a_later_declaration_still_counts(org, charter, programme_tag):
    person = make_ambassador(unit=org["a-occ-2"], charter=charter)
    at = joined(person) + timedelta(minutes=5)
    post = collect("1", at=at, handle="Sans_Decl")
    import_file(f"external_id;posted_at;hashtags;likes\n1;{at.isoformat()};AvecPôleEmploi;30\n")
    post.refresh_from_db()
    assert (post.author_handle, post.text, post.likes) == ("sans_decl", "#AvecPôleEmploi", 30)

    accounts_services.handle_save(user=person, network=Network.X, handle="sans_decl")
    assert attribution.reattribute() == 1
    post.refresh_from_db()
    assert (post.attribution, post.ambassador) == (A.AMBASSADOR, person)


def test_a_later_source_with_the_link_upgrades_an_organic_post(programme_tag):
    at = joined_nobody()
    first = collect("7", at=at, handle="quelquun", text="#AvecPôleEmploi https://t.co/x1")
    assert first.attribution == A.ORGANIC
    again = collect("7", at=at, handle="quelquun", text="#AvecPôleEmploi https://avecpoleemploi.fr/s/Ab12Cd34")
    assert (again.attribution, again.tracked_code) == (A.TRACKED_LINK, "Ab12Cd34")
