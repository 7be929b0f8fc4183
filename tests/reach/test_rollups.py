"""Roll-ups: whole days recomputed from shares, clicks and posts; NULL-safe dimensions;
the refresh task; `reconcile_reach`."""

import threading
import time
import uuid
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import IntegrityError, connection, transaction
from django.db.models import F

from advocacy.reach import rollups
from advocacy.reach.models import AmbassadorDaily, DirtyDay, ReachDaily, RollupState
from advocacy.sharing.models import Click
from tests.accounts.factories import make_ambassador
from tests.reach.report_factories import at_noon, clicks, days_ago, post, shared
from tests.sharing.factories import live_kit

pytestmark = pytest.mark.django_db


@pytest.fixture
def day():
    return days_ago(3)


def _row(day, **dims):
    return ReachDaily.objects.get(day=day, **dims)


def test_shares_clicks_and_posts_are_counted_per_unit_network_and_kit(org, ambassador, day):
    kit = live_kit()
    share = shared(ambassador=ambassador, kit=kit, network="x", day=day)
    clicks(share.link, day=day, human=5, visitors=3, bot=2, preview=4, head=1, prefetch=1)
    post(day=day, ambassador=ambassador, likes=3, reposts=2, impressions=40, followers=500)
    post(day=day, tracked_code=share.link.code, likes=1, reposts=None, impressions=None, followers=10)
    post(day=day, network="mastodon", likes=7, followers=30)

    rollups.rollup_day(day)

    row = _row(day, unit=org["a-bre-1"], network="x", kit=kit)
    assert (row.shares, row.human_clicks, row.link_day_visitors) == (1, 5, 3)
    assert (row.bot_clicks, row.preview_clicks, row.head_clicks, row.prefetch_clicks) == (8, 4, 1, 1)
    # The post found through the tracked link counts for the share's unit and kit.
    assert (row.ambassador_posts, row.likes, row.reposts, row.impressions, row.posts_with_impressions) == (
        1,
        1,
        0,
        None,
        0,
    )
    direct = _row(day, unit=org["a-bre-1"], network="x", kit=None)
    assert (direct.ambassador_posts, direct.likes, direct.impressions, direct.potential_reach) == (1, 3, 40, 500)
    organic = _row(day, unit=None, network="mastodon", kit=None)
    assert (organic.organic_posts, organic.ambassador_posts, organic.likes, organic.potential_reach) == (1, 0, 7, 30)
    person = AmbassadorDaily.objects.get(day=day, ambassador=ambassador)
    assert (person.shares, person.human_clicks, person.posts) == (1, 5, 1)


def test_a_post_carrying_only_a_watched_hashtag_is_not_counted_as_reach(org, ambassador, day, watched_tag):
    mockery = " tweetecommepoleemploi "
    post(day=day, hashtags=mockery, likes=50, reposts=20, followers=9000)
    post(day=day, ambassador=ambassador, hashtags=mockery, likes=5, followers=800)
    post(day=day, hashtags=" avecpoleemploi tweetecommepoleemploi ", likes=2, followers=40)
    share = shared(ambassador=ambassador, network="linkedin", day=day)
    post(day=day, network="linkedin", tracked_code=share.link.code, hashtags=mockery, followers=7)

    rollups.rollup_day(day)

    organic = _row(day, unit=None, network="x", kit=None)
    assert (organic.organic_posts, organic.likes, organic.reposts, organic.potential_reach) == (1, 2, 0, 40)
    assert not ReachDaily.objects.filter(day=day, unit=org["a-bre-1"], network="x").exists()
    # A tracked link is ours whatever the hashtags around it.
    linked = _row(day, unit=org["a-bre-1"], network="linkedin", kit=share.kit)
    assert (linked.shares, linked.ambassador_posts, linked.potential_reach) == (1, 1, 7)
    assert AmbassadorDaily.objects.get(day=day, ambassador=ambassador).posts == 0
    out = StringIO()
    call_command("reconcile_reach", "--from", day.isoformat(), "--to", day.isoformat(), stdout=out)
    assert "Aucune différence" in out.getvalue()


def test_impressions_zero_is_not_unknown(ambassador, day):
    post(day=day, ambassador=ambassador, impressions=0)
    post(day=day - rollups.timedelta(days=1), ambassador=ambassador, impressions=None)
    rollups.rollup_days(day - rollups.timedelta(days=1), day)
    given = ReachDaily.objects.get(day=day)
    unknown = ReachDaily.objects.get(day=day - rollups.timedelta(days=1))
    assert (given.impressions, given.posts_with_impressions) == (0, 1)
    assert (unknown.impressions, unknown.posts_with_impressions) == (None, 0)


def test_a_day_recomputed_twice_gives_the_same_rows(ambassador, day):
    share = shared(ambassador=ambassador, day=day)
    clicks(share.link, day=day, human=2)
    post(day=day, likes=1)
    rollups.rollup_day(day)
    first = list(ReachDaily.objects.order_by("network", "unit").values())
    rollups.rollup_day(day)
    second = list(ReachDaily.objects.order_by("network", "unit").values())
    assert [dict(r, id=0) for r in first] == [dict(r, id=0) for r in second]
    assert len(second) == 2


def test_organic_bucket_without_unit_nor_kit_is_unique(day):
    ReachDaily.objects.create(day=day, unit=None, network="x", kit=None, organic_posts=1)
    with pytest.raises(IntegrityError), transaction.atomic():
        ReachDaily.objects.create(day=day, unit=None, network="x", kit=None, organic_posts=2)


def test_same_unit_other_network_is_another_row(org, day):
    ReachDaily.objects.create(day=day, unit=org["dr-bre"], network="x")
    ReachDaily.objects.create(day=day, unit=org["dr-bre"], network="linkedin")
    ReachDaily.objects.create(day=day, unit=None, network="linkedin")
    assert ReachDaily.objects.filter(day=day).count() == 3


def test_clicks_still_count_for_the_unit_after_the_ambassador_is_erased(org, ambassador, day):
    share = shared(ambassador=ambassador, day=day)
    clicks(share.link, day=day, human=4)
    type(ambassador).objects.filter(pk=ambassador.pk).update(unit=None)
    share.link.__class__.objects.filter(pk=share.link_id).update(ambassador=None)
    share.__class__.objects.filter(pk=share.pk).update(ambassador=None)
    rollups.rollup_day(day)
    assert _row(day, unit=org["a-bre-1"], network="x").human_clicks == 4
    assert not AmbassadorDaily.objects.exists()


def test_refresh_recomputes_today_yesterday_and_days_of_late_clicks(ambassador):
    old = days_ago(20)
    share = shared(ambassador=ambassador, day=old)
    rollups.rollup_refresh()  # first run: sets the marks only
    clicks(share.link, day=old, human=3)
    days = rollups.rollup_refresh()
    assert old in days and days_ago(0) in days and days_ago(1) in days
    assert ReachDaily.objects.get(day=old).human_clicks == 3
    assert RollupState.load().last_click_id == Click.objects.latest("pk").pk


def test_refresh_recomputes_days_of_posts_fetched_again_and_dirty_days(ambassador):
    rollups.rollup_refresh()
    post(day=days_ago(40), ambassador=ambassador)
    rollups.days_mark_dirty([days_ago(50)])
    days = rollups.rollup_refresh()
    assert days_ago(40) in days and days_ago(50) in days
    assert ReachDaily.objects.get(day=days_ago(40)).ambassador_posts == 1
    assert not DirtyDay.objects.exists()


def test_posts_committed_after_a_pass_are_seen_by_the_next_one(ambassador):
    """A batch's posts carry the time its write began and are seen once it commits: a pass
    that ran in between must not make the next one skip them."""
    from django.utils import timezone

    from advocacy.reach.models import SocialPost

    rollups.rollup_refresh()
    write_began = timezone.now()
    rollups.rollup_refresh()  # while the batch is being written: it sees nothing of it
    written = post(day=days_ago(40), ambassador=ambassador)  # the batch commits
    SocialPost.objects.filter(pk=written.pk).update(fetched_at=write_began)

    assert days_ago(40) in rollups.rollup_refresh()
    assert ReachDaily.objects.get(day=days_ago(40)).ambassador_posts == 1


def test_refresh_task_runs_through_celery(ambassador):
    from advocacy.reach import tasks

    shared(ambassador=ambassador)
    tasks.rollup_refresh.delay()
    assert ReachDaily.objects.get(day=days_ago(0)).shares == 1


def test_reconcile_prints_differences_then_fixes_them(ambassador, day):
    share = shared(ambassador=ambassador, day=day)
    rollups.rollup_day(day)
    clicks(share.link, day=day, human=2)
    out = StringIO()
    with pytest.raises(CommandError, match=r"3 différence\(s\) sur 1 jour\(s\), rien corrigé"):
        call_command("reconcile_reach", "--from", day.isoformat(), "--to", day.isoformat(), "--dry-run", stdout=out)
    assert "human_clicks: enregistré 0 → recalculé 2" in out.getvalue()
    assert ReachDaily.objects.get(day=day).human_clicks == 0
    call_command("reconcile_reach", "--from", day.isoformat(), "--to", day.isoformat(), stdout=StringIO())
    assert ReachDaily.objects.get(day=day).human_clicks == 2
    out = StringIO()
    call_command("reconcile_reach", "--from", day.isoformat(), "--to", day.isoformat(), stdout=out)
    assert "Aucune différence" in out.getvalue()


def test_reconcile_names_the_unit_network_and_kit_of_each_difference(org, ambassador, day):
    kit = live_kit()
    share = shared(ambassador=ambassador, kit=kit, network="x", day=day)
    post(day=day)  # organic: no unit, no kit
    rollups.rollup_day(day)
    clicks(share.link, day=day, human=2)
    post(day=day)
    out = StringIO()

    with pytest.raises(CommandError):
        call_command("reconcile_reach", "--from", day.isoformat(), "--to", day.isoformat(), "--dry-run", stdout=out)

    lines = out.getvalue().splitlines()
    unit = org["a-bre-1"]
    in_unit = f"unité {unit.name} ({unit.code})"
    assert (
        f"{day} · {in_unit} · x · kit n° {kit.pk} « {kit.title} » · human_clicks: enregistré 0 → recalculé 2" in lines
    )
    assert f"{day} · sans unité · x · sans kit · organic_posts: enregistré 1 → recalculé 2" in lines
    assert (
        f"{day} · ambassadeur·rice n° {ambassador.pk} · {in_unit} · human_clicks: enregistré 0 → recalculé 2" in lines
    )


def test_reconcile_says_when_a_refresh_pass_holds_the_claim_and_runs_beside_it(ambassador, day):
    """reconcile_reach does not take the pass's claim (a reconciliation of months would
    hold beat's passes back) nor wait for it: it says that a pass runs, and what that
    means for the differences it prints."""
    from django.utils import timezone

    share = shared(ambassador=ambassador, day=day)
    rollups.rollup_day(day)
    clicks(share.link, day=day, human=2)
    claimed_until = timezone.now() + timedelta(minutes=10)
    RollupState.objects.update_or_create(pk=1, defaults={"claimed_until": claimed_until})  # a pass is running
    out = StringIO()

    with pytest.raises(CommandError, match=r"3 différence\(s\) sur 1 jour\(s\) pendant un passage de la mise à jour"):
        call_command("reconcile_reach", "--from", day.isoformat(), "--to", day.isoformat(), "--dry-run", stdout=out)

    notice = out.getvalue().splitlines()[0]
    until = timezone.localtime(claimed_until).strftime("%H:%M")
    assert notice.startswith(f"Un passage de la mise à jour des agrégats est en cours (réservé jusqu’à {until}")
    assert "relancez la commande une fois le passage terminé" in notice
    out = StringIO()
    call_command("reconcile_reach", "--from", day.isoformat(), "--to", day.isoformat(), stdout=out)
    assert "Un passage de la mise à jour des agrégats est en cours" in out.getvalue()
    assert ReachDaily.objects.get(day=day).human_clicks == 2  # fixed all the same
    assert RollupState.load().claimed_until == claimed_until  # the pass's claim untouched

    RollupState.objects.update(claimed_until=timezone.now() - timedelta(seconds=1))  # its worker died
    out = StringIO()
    call_command("reconcile_reach", "--from", day.isoformat(), "--to", day.isoformat(), stdout=out)
    assert "passage" not in out.getvalue()


def test_reconcile_without_difference_exits_cleanly_and_a_bad_date_says_what_is_expected(day):
    out = StringIO()
    call_command("reconcile_reach", "--from", day.isoformat(), "--to", day.isoformat(), "--dry-run", stdout=out)
    assert "Aucune différence" in out.getvalue()
    with pytest.raises(CommandError, match="Date invalide « 2026-13-01 » : attendu AAAA-MM-JJ"):
        call_command("reconcile_reach", "--from", "2026-13-01", stdout=StringIO())


def test_two_ambassadors_of_two_regions_land_in_their_units(org, charter, day):
    other = make_ambassador(unit=org["a-occ-1"], charter=charter)
    shared(ambassador=other, day=day)
    rollups.rollup_day(day)
    assert ReachDaily.objects.get(day=day).unit == org["a-occ-1"]


# --- Units over time: a person who moves never changes a figure already shown ------------


def _click(link, moment, *, kind="human", visitor="v"):
    from advocacy.sharing.models import Click as ClickModel

    ClickModel.objects.create(
        event_id=uuid.uuid4(), link=link, at=moment, day=rollups.local_day(moment), kind=kind, visitor_hash=visitor
    )


def _move(person, unit):
    from accounts import services as account_services

    account_services.user_sync_unit(user=person, unit_code=unit.code)


def test_a_move_leaves_past_clicks_in_the_old_unit(org, ambassador, day):
    kit = live_kit()
    first = shared(ambassador=ambassador, kit=kit, network="x", day=day)
    clicks(first.link, day=day, human=3)
    rollups.rollup_day(day)
    before = _row(day, unit=org["a-bre-1"], network="x", kit=kit).human_clicks

    _move(ambassador, org["a-occ-1"])
    again = shared(ambassador=ambassador, kit=kit, network="x", day=day + timedelta(days=1))
    assert again.link_id == first.link_id  # one tracked link per person, kit and channel
    clicks(again.link, day=day + timedelta(days=1), human=2)
    rollups.rollup_days(day, day + timedelta(days=1))

    assert before == 3
    assert _row(day, unit=org["a-bre-1"], network="x", kit=kit).human_clicks == 3
    assert _row(day + timedelta(days=1), unit=org["a-occ-1"], network="x", kit=kit).human_clicks == 2
    assert not ReachDaily.objects.filter(day=day, unit=org["a-occ-1"]).exists()
    assert rollups.reconcile(day, day + timedelta(days=1), fix=False) == []


def test_clicks_before_any_share_count_for_the_unit_the_link_was_made_in(org, ambassador, day):
    from advocacy.sharing import services as sharing_services

    kit = live_kit()
    link = sharing_services.tracked_links_ensure(ambassador=ambassador, kit=kit, channels=["linkedin"])["linkedin"]
    _move(ambassador, org["a-occ-1"])
    clicks(link, day=day, human=2)
    rollups.rollup_day(day)
    assert _row(day, network="linkedin", kit=kit).unit == org["a-bre-1"]


def test_a_share_after_a_move_splits_that_days_clicks_at_the_share(org, ambassador, day):
    kit = live_kit()
    share = shared(ambassador=ambassador, kit=kit, network="x", day=day - timedelta(days=1))
    _click(share.link, at_noon(day) - timedelta(hours=2), visitor="same")
    _click(share.link, at_noon(day) - timedelta(hours=1), visitor="early", kind="preview")
    _move(ambassador, org["a-occ-1"])
    moved = shared(ambassador=ambassador, kit=kit, network="x", day=day)  # at noon
    _click(share.link, at_noon(day) + timedelta(hours=1), visitor="same")
    _click(share.link, at_noon(day) + timedelta(hours=2), visitor="late")
    rollups.rollup_day(day)

    old = _row(day, unit=org["a-bre-1"], network="x", kit=kit)
    new = _row(day, unit=org["a-occ-1"], network="x", kit=kit)
    assert (old.human_clicks, old.link_day_visitors, old.preview_clicks, old.bot_clicks) == (1, 1, 1, 1)
    # "same" already counted as a visitor of this link today, in the old unit.
    assert (new.human_clicks, new.link_day_visitors, new.shares) == (2, 1, 1)
    people = dict(AmbassadorDaily.objects.filter(day=day).values_list("unit", "human_clicks"))
    assert people == {org["a-bre-1"].pk: 1, org["a-occ-1"].pk: 2}
    assert moved.unit == org["a-occ-1"]
    assert rollups.reconcile(day, day, fix=False) == []


def test_a_post_with_a_tracked_link_counts_for_the_share_made_before_it(org, ambassador, day):
    kit = live_kit()
    share = shared(ambassador=ambassador, kit=kit, network="x", day=day)
    post(day=day, tracked_code=share.link.code)
    _move(ambassador, org["a-occ-1"])
    shared(ambassador=ambassador, kit=kit, network="x", day=day + timedelta(days=1))
    rollups.rollup_day(day)
    assert _row(day, unit=org["a-bre-1"], network="x", kit=kit).ambassador_posts == 1


# --- A hashtag changes kind, spelling or comes in: the days it was posted are recomputed ---


def _national_figures(user, day):
    from advocacy.reach.reports import Period, reach_report

    return reach_report(user=user, period=Period(day, day)).figures


def _unchanged_by_reconcile(day) -> bool:
    return rollups.reconcile(day, day, fix=False) == []


def _admin_save_hashtag(client, admin_user, hashtag, **changes):
    client.force_login(admin_user)
    data = {"tag": hashtag.tag, "kind": hashtag.kind, "is_active": "on" if hashtag.is_active else "", **changes}
    response = client.post(f"/admin/reach/hashtag/{hashtag.pk}/change/", {k: v for k, v in data.items() if v})
    assert response.status_code == 302
    return response


@pytest.fixture
def recruiting_tag(db):
    from advocacy.reach import services

    return services.hashtag_save(tag="PoleEmploiRecrute")


@pytest.fixture
def rolled_up(day, recruiting_tag, programme_tag, watched_tag):
    """One organic post with each tag on `day`, collected an hour ago and rolled up since."""
    post(day=day, hashtags=" poleemploirecrute ", likes=5, followers=300)
    post(day=day, hashtags=" avecpoleemploi ", likes=1, followers=10)
    post(day=day, hashtags=" tweetecommepoleemploi ", likes=50, followers=9000)
    _collected_long_ago()
    rollups.rollup_days(day, day)
    rollups.rollup_refresh()  # the first pass only sets its marks
    return day


def _collected_long_ago():
    """Posts collected an hour ago: the refresh no longer looks at their days by itself."""
    from django.utils import timezone

    from advocacy.reach.models import SocialPost

    SocialPost.objects.update(fetched_at=timezone.now() - timedelta(hours=1))


def test_a_programme_hashtag_made_watched_in_the_admin_is_taken_out_of_the_rolled_up_days(
    client, admin_user, curator, rolled_up, recruiting_tag, django_capture_on_commit_callbacks
):
    day = rolled_up
    assert _national_figures(curator, day)["organic_posts"] == 2

    with django_capture_on_commit_callbacks(execute=True):
        _admin_save_hashtag(client, admin_user, recruiting_tag, kind="watched")
    assert DirtyDay.objects.filter(day=day).exists()
    rollups.rollup_refresh()  # what beat runs every few minutes

    figures = _national_figures(curator, day)
    assert (figures["organic_posts"], figures["likes"], figures["potential_reach"]) == (1, 1, 10)
    assert _unchanged_by_reconcile(day)


def test_a_watched_hashtag_made_programme_brings_its_posts_back(
    curator, rolled_up, recruiting_tag, django_capture_on_commit_callbacks
):
    from advocacy.reach import services

    day = rolled_up
    with django_capture_on_commit_callbacks(execute=True):
        services.hashtag_save(tag=recruiting_tag.tag, kind="watched", hashtag=recruiting_tag)
    rollups.rollup_refresh()
    assert _national_figures(curator, day)["organic_posts"] == 1

    with django_capture_on_commit_callbacks(execute=True):
        services.hashtag_save(tag=recruiting_tag.tag, kind="programme", hashtag=recruiting_tag)
    rollups.rollup_refresh()
    assert _national_figures(curator, day)["organic_posts"] == 2
    assert _unchanged_by_reconcile(day)


def test_a_watched_hashtag_respelt_as_another_tag_recomputes_the_days_of_both(
    curator, rolled_up, watched_tag, django_capture_on_commit_callbacks
):
    from advocacy.reach import services

    day = rolled_up
    assert _national_figures(curator, day)["organic_posts"] == 2
    # The watched hashtag now names another tag: the posts kept under the old one are reach again.
    with django_capture_on_commit_callbacks(execute=True):
        services.hashtag_save(tag="PoleEmploiRecrute2", kind="watched", hashtag=watched_tag)
    rollups.rollup_refresh()
    assert _national_figures(curator, day)["organic_posts"] == 3
    assert _unchanged_by_reconcile(day)


def test_a_new_watched_hashtag_takes_its_stored_posts_out_of_the_rolled_up_days(
    curator, rolled_up, recruiting_tag, django_capture_on_commit_callbacks
):
    """Posts keep the tags they matched: a tag followed once, then renamed, is still on
    them, and following it again as watched changes what they count for."""
    from advocacy.reach import services

    day = rolled_up
    with django_capture_on_commit_callbacks(execute=True):
        services.hashtag_save(tag="AutreTag", hashtag=recruiting_tag)
        services.hashtag_save(tag="PoleEmploiRecrute", kind="watched")
    rollups.rollup_refresh()
    assert _national_figures(curator, day)["organic_posts"] == 1
    assert _unchanged_by_reconcile(day)


def test_switching_a_hashtag_off_keeps_the_reports_equal_to_reconcile(
    client, admin_user, curator, rolled_up, recruiting_tag, watched_tag, django_capture_on_commit_callbacks
):
    """A hashtag switched off is no longer collected; the posts already collected keep
    counting as they did (a watched one's stay out of the reach)."""
    day = rolled_up
    with django_capture_on_commit_callbacks(execute=True):
        _admin_save_hashtag(client, admin_user, recruiting_tag, is_active="")
        _admin_save_hashtag(client, admin_user, watched_tag, is_active="")
    rollups.rollup_refresh()
    assert _national_figures(curator, day)["organic_posts"] == 2
    assert _unchanged_by_reconcile(day)


def test_a_mark_made_while_its_day_is_recomputed_is_not_lost(rolled_up, monkeypatch):
    """The day was computed before the change: its mark must survive that pass."""
    day = rolled_up
    compute_day = rollups.compute_day

    def compute_then_mark(day):
        figures = compute_day(day)
        rollups.days_mark_dirty([day])  # a hashtag change committed meanwhile
        return figures

    monkeypatch.setattr(rollups, "compute_day", compute_then_mark)
    rollups.rollup_day(day)
    assert DirtyDay.objects.filter(day=day).exists()


def test_hashtags_cannot_be_deleted_in_the_admin(client, admin_user, recruiting_tag):
    client.force_login(admin_user)
    assert client.get(f"/admin/reach/hashtag/{recruiting_tag.pk}/delete/").status_code in (302, 403)


def test_a_hashtag_change_saved_while_the_broker_is_down_still_marks_its_days(
    client, admin_user, rolled_up, recruiting_tag, django_capture_on_commit_callbacks, monkeypatch, caplog
):
    """The change is committed before the task is queued: a broker that refuses it must
    neither answer the admin with an error nor lose the recomputation, which saving the
    hashtag again would not ask for (its kind no longer changes)."""
    from kombu.exceptions import OperationalError

    from advocacy.reach import tasks

    def broker_down(*args, **kwargs):
        raise OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    monkeypatch.setattr(tasks.tags_mark_dirty, "delay", broker_down)
    with django_capture_on_commit_callbacks(execute=True):
        _admin_save_hashtag(client, admin_user, recruiting_tag, kind="watched")
    assert DirtyDay.objects.filter(day=rolled_up).exists()
    assert "broker" in caplog.text


def test_a_pass_computes_at_most_its_quota_of_days_most_recent_first_and_leaves_the_rest_marked(ambassador):
    """A big import or a hashtag's change of kind marks years of days: one pass holding a
    worker for all of them would also hold the reports' days back. Today and yesterday
    come first, then the most recent marked days; the others wait, marked, for the next
    passes, and every day is computed once."""
    rollups.rollup_refresh()
    marked = [days_ago(n) for n in range(10, 20)]
    rollups.days_mark_dirty(marked)

    first = rollups.rollup_refresh(max_days=5)

    assert first == [days_ago(1), days_ago(0), days_ago(10), days_ago(11), days_ago(12)]
    assert set(DirtyDay.objects.values_list("day", flat=True)) == set(marked) - set(first)
    passes = [rollups.rollup_refresh(max_days=5) for _ in range(3)]
    computed = [day for days in passes for day in days if day < days_ago(1)]
    assert computed == [days_ago(n) for n in range(13, 20)]
    assert not DirtyDay.objects.exists()


def test_late_days_left_for_later_are_marked_before_the_marks_move_on(ambassador):
    """A day found late (posts fetched again) is not looked for again once the pass moves
    its marks: left over by the quota, it must be kept as a marked day."""
    rollups.rollup_refresh()
    for n in (30, 40, 50):
        post(day=days_ago(n), ambassador=ambassador)

    assert rollups.rollup_refresh(max_days=3) == [days_ago(1), days_ago(0), days_ago(30)]

    assert set(DirtyDay.objects.values_list("day", flat=True)) == {days_ago(40), days_ago(50)}
    # The next pass also looks a few minutes back (LATE_COMMIT_MARGIN) and finds day 30 again.
    rollups.rollup_refresh(max_days=5)
    assert ReachDaily.objects.filter(day__in=[days_ago(40), days_ago(50)], ambassador_posts=1).count() == 2


def test_the_quota_comes_from_the_settings(settings, ambassador):
    settings.REACH_ROLLUP_MAX_DAYS_PER_PASS = 3
    rollups.rollup_refresh()
    rollups.days_mark_dirty([days_ago(n) for n in range(5, 9)])
    assert len(rollups.rollup_refresh()) == 3


def test_a_pass_while_another_runs_computes_nothing_and_a_dead_pass_lets_go(ambassador, monkeypatch):
    from django.utils import timezone

    rollups.rollup_refresh()
    rollups.days_mark_dirty([days_ago(20)])
    computed = []
    monkeypatch.setattr(rollups, "rollup_day", computed.append)
    RollupState.objects.update(claimed_until=timezone.now() + timedelta(minutes=10))  # a pass is running

    assert rollups.rollup_refresh() == []
    assert computed == [] and DirtyDay.objects.filter(day=days_ago(20)).exists()

    RollupState.objects.update(claimed_until=timezone.now() - timedelta(seconds=1))  # its worker died
    assert days_ago(20) in rollups.rollup_refresh()
    assert RollupState.load().claimed_until is None


def test_a_pass_overtaken_by_a_later_one_stops_and_leaves_the_marks_to_it(ambassador, monkeypatch):
    """A pass so slow its claim expired, and the next took over: it stops after its day
    and neither computes on nor moves the marks the later pass now owns."""
    rollups.rollup_refresh()
    rollups.days_mark_dirty([days_ago(20), days_ago(21)])
    before = RollupState.load()
    rollup_day = rollups.rollup_day

    def day_then_taken_over(day):
        rollup_day(day)
        RollupState.objects.update(claims=F("claims") + 1)

    monkeypatch.setattr(rollups, "rollup_day", day_then_taken_over)

    assert rollups.rollup_refresh() == [days_ago(1)]
    state = RollupState.load()
    assert (state.last_run_at, state.claimed_until is not None) == (before.last_run_at, True)
    assert DirtyDay.objects.count() == 2


def test_an_old_marked_day_is_computed_even_while_recent_days_are_marked_at_every_pass(ambassador):
    """Most recent first alone starves an old day: the refreshes fetch the posts of the
    last days again at every pass (X 3 days, Mastodon 72 hours), and when they fill the
    quota an import's old day would wait forever. One place of each pass goes to the day
    marked longest ago."""
    from django.utils import timezone

    rollups.rollup_refresh()
    rollups.days_mark_dirty([days_ago(200)])
    DirtyDay.objects.update(marked_at=timezone.now() - timedelta(hours=1))

    computed = []
    for _ in range(3):
        rollups.days_mark_dirty([days_ago(2), days_ago(3)])  # the refreshes' days, marked again
        computed += rollups.rollup_refresh(max_days=4)

    assert days_ago(200) in computed
    assert not DirtyDay.objects.filter(day=days_ago(200)).exists()
    # The recent days still come in every pass.
    assert computed.count(days_ago(2)) == 3


# Two transactions computing one day at once: SQLite writes one transaction at a time.
postgresql_race = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="SQLite writes one transaction at a time: the race is PostgreSQL's"
)


def _rollup_day_in_thread(day, errors: list, name=None):
    """A thread computing `day` on its own connection; what it raises lands in `errors`."""

    def compute():
        try:
            rollups.rollup_day(day)
        except Exception as exc:  # noqa: BLE001 - any failure is what the test reports
            errors.append(exc)
        finally:
            connection.close()

    return threading.Thread(target=compute, name=name)


def _wait_until_a_transaction_waits_for_a_lock(while_=lambda: True) -> None:
    """Poll pg_stat_activity (for at most 30 s, as long as `while_()` holds) until another
    transaction of this database waits for a lock: the race's order, whatever the speed."""
    deadline = time.monotonic() + 30
    while while_() and time.monotonic() < deadline:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND datname = current_database()"
            )
            if cursor.fetchone()[0] > 0:
                return
        time.sleep(0.02)


@postgresql_race
@pytest.mark.django_db(transaction=True)
def test_two_computations_of_the_same_day_at_once_both_succeed(ambassador, monkeypatch):
    """A beat pass and `reconcile_reach` (or the demo's roll-up) may compute the same day
    at once: the pass's claim does not hold them. On PostgreSQL the second delete waited
    for the first transaction, did not see the rows it inserted, and the second insert
    broke the unique constraint, aborting the command half-way."""
    day = days_ago(0)
    post(day=day, ambassador=ambassador)
    people_rows = rollups._people_rows
    inside, release = threading.Event(), threading.Event()

    def held_in_the_first(day, figures):
        if threading.current_thread().name == "first":
            inside.set()  # rows deleted and inserted, not yet committed
            release.wait(timeout=30)
        return people_rows(day, figures)

    monkeypatch.setattr(rollups, "_people_rows", held_in_the_first)
    errors = []
    first, second = _rollup_day_in_thread(day, errors, "first"), _rollup_day_in_thread(day, errors)
    first.start()
    assert inside.wait(timeout=30)
    second.start()
    # Release the first only once the second waits on it (for the day's lock with the fix,
    # for the first's rows without it).
    _wait_until_a_transaction_waits_for_a_lock()
    release.set()
    first.join()
    second.join()

    assert errors == []
    assert ReachDaily.objects.filter(day=day).count() == 1


@postgresql_race
@pytest.mark.django_db(transaction=True)
def test_a_computation_that_began_first_never_writes_older_figures_over_a_later_one(ambassador, monkeypatch):
    """reconcile_reach or the demo (rollup_days) computes a day while a beat pass computes
    it too. Figures computed before the day's lock let the computation that began first,
    but waited for the lock, write its older figures last: the post that arrived in
    between disappeared from the day, and the pass, its marks already past that post,
    never computed the day again."""
    day = days_ago(5)
    post(day=day, ambassador=ambassador)
    compute_day = rollups.compute_day
    computed, go = threading.Event(), threading.Event()

    def slow_in_the_first(day):
        figures = compute_day(day)
        if threading.current_thread().name == "first":
            computed.set()  # read the events, not yet written
            go.wait(timeout=30)
        return figures

    monkeypatch.setattr(rollups, "compute_day", slow_in_the_first)
    errors = []
    first = _rollup_day_in_thread(day, errors, "first")
    first.start()
    assert computed.wait(timeout=30)
    post(day=day, ambassador=ambassador)  # arrives, committed, while the first computes
    second = _rollup_day_in_thread(day, errors, "second")
    second.start()
    # Let the first write once the second has written (figures computed before the lock)
    # or waits for the first (computed under it).
    _wait_until_a_transaction_waits_for_a_lock(while_=second.is_alive)
    go.set()
    first.join()
    second.join()

    assert errors == []
    assert ReachDaily.objects.get(day=day).ambassador_posts == 2
    assert AmbassadorDaily.objects.get(day=day).posts == 2
