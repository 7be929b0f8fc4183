"""The admin of the collector states: what an operator may change, checked, and saved
without writing over what a run wrote."""

from datetime import UTC, datetime, timedelta

import pytest
from django.db.models import F
from django.utils import timezone

from advocacy.reach.collectors import query_claim
from advocacy.reach.models import CollectorState, SocialPost

# An X post id of 2026-12-05 09:00 UTC: (milliseconds since X's epoch) << 22.
X_EPOCH_MS = 1288834974657


def x_id(moment: datetime) -> str:
    return str((int(moment.timestamp() * 1000) - X_EPOCH_MS) << 22)


def mastodon_id(moment: datetime) -> str:
    return str(int(moment.timestamp() * 1000) << 16)


@pytest.fixture
def x_state(db):
    return CollectorState.objects.create(
        key="x:avecpoleemploi", source=SocialPost.Source.X_API, since_id=x_id(timezone.now() - timedelta(days=1)),
        until_id=x_id(timezone.now() - timedelta(hours=3)), next_since_id=x_id(timezone.now() - timedelta(hours=1)),
        claims=4, posts_seen=120,
    )  # fmt: skip


@pytest.fixture
def mastodon_state(db):
    return CollectorState.objects.create(
        key="mastodon:piaille.fr:avecpoleemploi", source=SocialPost.Source.MASTODON, claims=2,
        since_id=mastodon_id(timezone.now() - timedelta(hours=2)),
    )  # fmt: skip


def _change_url(state):
    return f"/admin/reach/collectorstate/{state.pk}/change/"


def _save(client, state, since_id, *, claims_seen=None):
    return client.post(
        _change_url(state), {"since_id": since_id, "claims_seen": state.claims if claims_seen is None else claims_seen}
    )


@pytest.fixture
def admin_client_(client, admin_user):
    client.force_login(admin_user)
    return client


@pytest.mark.parametrize(
    ("since_id", "error"),
    [
        ("abc", "Un identifiant de publication ne contient que des chiffres."),
        ("١٢٣", "Un identifiant de publication ne contient que des chiffres."),
        ("99999999999999999999", "Cet identifiant est trop grand pour être celui d’une publication."),
    ],
)
def test_a_cursor_that_is_not_a_post_id_is_refused_on_its_field(admin_client_, mastodon_state, since_id, error):
    response = _save(admin_client_, mastodon_state, since_id)

    assert response.status_code == 200
    assert response.context["adminform"].form.errors["since_id"] == [error]
    assert CollectorState.objects.get().since_id == mastodon_state.since_id


def test_an_x_cursor_older_than_seven_days_is_refused_with_what_to_do(admin_client_, x_state):
    old = x_id(timezone.now() - timedelta(days=9))
    response = _save(admin_client_, x_state, old)
    [error] = response.context["adminform"].form.errors["since_id"]
    assert error.startswith("X n’accepte que l’identifiant d’une publication des 7 derniers jours (celle-ci date du ")
    assert "Laissez le champ vide pour relire les 7 derniers jours." in error
    assert CollectorState.objects.get().since_id == x_state.since_id


def test_a_cursor_of_a_post_to_come_is_refused(admin_client_, mastodon_state):
    response = _save(admin_client_, mastodon_state, mastodon_id(timezone.now() + timedelta(days=2)))
    [error] = response.context["adminform"].form.errors["since_id"]
    assert error.startswith("Cet identifiant est celui d’une publication à venir (")


def test_a_checked_cursor_is_saved_alone_and_drops_the_gap(admin_client_, x_state):
    new = x_id(timezone.now() - timedelta(hours=5))

    response = _save(admin_client_, x_state, new)

    assert response.status_code == 302
    state = CollectorState.objects.get()
    assert (state.since_id, state.until_id, state.next_since_id) == (new, "", "")
    # The claim count moves on: a run given up for dead cannot write over the new cursor.
    assert state.claims == 5 and state.posts_seen == 120


def test_saving_the_page_after_a_run_moved_the_cursor_does_not_move_it_back(admin_client_, x_state):
    """The page was read, then a run collected the query: the form still holds the old
    cursor. The old admin saved every column from the form, putting it back."""
    admin_client_.get(_change_url(x_state))
    moved = x_id(timezone.now() - timedelta(minutes=1))
    CollectorState.objects.update(since_id=moved, until_id="", next_since_id="", claims=F("claims") + 1)

    response = _save(admin_client_, x_state, x_state.since_id, claims_seen=x_state.claims)

    assert response.status_code == 200
    assert "son curseur a avancé : rechargez la page" in response.content.decode()
    assert CollectorState.objects.get().since_id == moved


def test_the_cursor_cannot_be_changed_while_a_run_holds_the_query(admin_client_, mastodon_state):
    state = query_claim(key=mastodon_state.key, source=mastodon_state.source)
    new = mastodon_id(timezone.now() - timedelta(hours=1))

    response = _save(admin_client_, state, new)

    assert response.status_code == 200
    assert "Une collecte de cette requête est en cours : réessayez dans quelques minutes." in response.content.decode()
    state.refresh_from_db()
    assert state.since_id == mastodon_state.since_id and state.claimed_until is not None


def test_the_fields_the_runs_own_are_read_only(admin_client_, x_state):
    html = admin_client_.get(_change_url(x_state)).content.decode()
    assert 'name="since_id"' in html
    for owned in ("until_id", "next_since_id", "claimed_until", "resume_at", "pause_reason", "posts_seen", "claims"):
        assert f'name="{owned}"' not in html
    paused = datetime(2026, 12, 8, 9, 0, tzinfo=UTC)
    CollectorState.objects.update(resume_at=paused, pause_reason=CollectorState.PauseReason.USAGE_CAP)
    admin_client_.post(
        _change_url(x_state),
        {"since_id": x_state.since_id, "claims_seen": x_state.claims, "resume_at": "", "pause_reason": ""},
    )
    state = CollectorState.objects.get()
    assert (state.resume_at, state.pause_reason) == (paused, CollectorState.PauseReason.USAGE_CAP)


def test_the_list_says_why_a_query_is_paused(admin_client_, x_state):
    CollectorState.objects.update(
        resume_at=timezone.now() + timedelta(hours=20), pause_reason=CollectorState.PauseReason.USAGE_CAP
    )
    html = admin_client_.get("/admin/reach/collectorstate/").content.decode()
    assert "plafond mensuel de l’API X atteint" in html


def test_lifting_a_pause_frees_every_query_sharing_the_limit(admin_client_, x_state, mastodon_state):
    until = timezone.now() + timedelta(hours=20)
    other = CollectorState.objects.create(key="x:tweetecommepoleemploi", source=SocialPost.Source.X_API)
    CollectorState.objects.update(resume_at=until, pause_reason=CollectorState.PauseReason.USAGE_CAP)

    response = admin_client_.post(
        "/admin/reach/collectorstate/", {"action": "lift_pause", "_selected_action": [x_state.pk]}, follow=True
    )

    assert "2 requêtes reprendront à la prochaine collecte." in response.content.decode()
    assert CollectorState.objects.get(pk=other.pk).resume_at is None
    assert CollectorState.objects.get(pk=x_state.pk).pause_reason == ""
    # Another instance's or network's pause is not the X app's.
    assert CollectorState.objects.get(pk=mastodon_state.pk).resume_at == until
    query_claim(key=other.key, source=other.source)  # collected again, not Skipped


def test_a_pause_whose_time_is_past_is_shown_as_over(admin_client_, x_state, mastodon_state):
    """Its row keeps resume_at until the next run clears it, but it holds nothing
    (query_claim): the list must not show it as running, nor file it under a reason."""
    CollectorState.objects.filter(pk=x_state.pk).update(
        resume_at=datetime(2026, 1, 5, 9, 30, tzinfo=UTC), pause_reason=CollectorState.PauseReason.USAGE_CAP
    )
    CollectorState.objects.filter(pk=mastodon_state.pk).update(
        resume_at=timezone.now() + timedelta(hours=2), pause_reason=CollectorState.PauseReason.RATE_LIMIT
    )

    html = admin_client_.get("/admin/reach/collectorstate/").content.decode()
    assert "Terminée le 05/01/2026 10:30" in html
    assert "plafond mensuel de l’API X atteint" not in html.split('id="changelist-filter"')[0]
    assert "(limite de débit de l’API)" in html
    running = admin_client_.get("/admin/reach/collectorstate/", {"pause": "usage_cap"}).context["cl"].result_list
    assert list(running) == []
    not_paused = admin_client_.get("/admin/reach/collectorstate/", {"pause": "none"}).context["cl"].result_list
    assert list(not_paused) == [CollectorState.objects.get(pk=x_state.pk)]
    detail = admin_client_.get(_change_url(x_state)).content.decode()
    assert "Terminée le 05/01/2026 10:30" in detail


def test_lifting_a_pause_whose_time_is_past_changes_nothing_and_says_so(admin_client_, x_state):
    ended = timezone.now() - timedelta(minutes=5)
    CollectorState.objects.update(resume_at=ended, pause_reason=CollectorState.PauseReason.RATE_LIMIT)

    response = admin_client_.post(
        "/admin/reach/collectorstate/", {"action": "lift_pause", "_selected_action": [x_state.pk]}, follow=True
    )

    html = response.content.decode()
    assert "Aucune de ces requêtes n’est en pause, ni celles qui partagent leur limite : rien n’a changé." in html
    assert "reprendr" not in html
    state = CollectorState.objects.get()
    assert (state.resume_at, state.pause_reason) == (ended, CollectorState.PauseReason.RATE_LIMIT)


def test_resetting_cursors_leaves_the_queries_a_run_holds(admin_client_, x_state, mastodon_state):
    query_claim(key=mastodon_state.key, source=mastodon_state.source)

    response = admin_client_.post(
        "/admin/reach/collectorstate/",
        {"action": "reset_cursor", "_selected_action": [x_state.pk, mastodon_state.pk]},
        follow=True,
    )

    html = response.content.decode()
    assert "1 requête relira tout ce que l’API offre encore" in html
    assert "1 requête est en cours de collecte et n’a pas été changée" in html
    x_state.refresh_from_db()
    assert (x_state.since_id, x_state.until_id, x_state.next_since_id, x_state.claims) == ("", "", "", 5)
    assert CollectorState.objects.get(pk=mastodon_state.pk).since_id == mastodon_state.since_id


def test_collector_states_are_neither_added_nor_deleted_by_hand(admin_client_, x_state):
    assert admin_client_.get("/admin/reach/collectorstate/add/").status_code == 403
    assert admin_client_.get(f"/admin/reach/collectorstate/{x_state.pk}/delete/").status_code == 403


def test_a_cursor_refused_because_a_run_started_meanwhile_is_not_reported_as_saved(admin_client_, x_state, monkeypatch):
    """A run can claim the query between the form's checks and the conditional write: the
    operator must read that nothing was changed, not that alongside « modifié avec succès »."""
    from advocacy.reach import services

    cursor_set = services.collector_cursor_set

    def run_starts_first(**kwargs):
        query_claim(key=x_state.key, source=x_state.source)
        return cursor_set(**kwargs)

    monkeypatch.setattr(services, "collector_cursor_set", run_starts_first)
    new = x_id(timezone.now() - timedelta(hours=5))

    response = _save(admin_client_, x_state, new)

    shown = [str(message) for message in response.wsgi_request._messages]
    assert response.status_code == 302 and response.url == _change_url(x_state)
    assert shown == ["Le curseur n’a pas été changé : une collecte de cette requête a commencé entre-temps. Réessayez."]
    assert CollectorState.objects.get().since_id == x_state.since_id
    from django.contrib.admin.models import LogEntry

    assert not LogEntry.objects.exists()
