"""The ambassador's pages: feed, share page, live checks, post address, my impact."""

import datetime as dt
from urllib.parse import parse_qs, urlsplit

import pytest
from bs4 import BeautifulSoup
from django.db.models import F
from django.urls import reverse
from django.utils import timezone

from advocacy import dates
from advocacy.sharing import buffer, services
from advocacy.sharing.models import Share
from content.models import Kit
from tests.accounts.factories import make_ambassador, published_charter
from tests.content.factories import make_kit, topic
from tests.sharing.factories import click_event, live_kit, share


@pytest.fixture
def amb_client(client, ambassador):
    client.force_login(ambassador)
    return client


def _titles(response):
    soup = BeautifulSoup(response.content, "html.parser")
    return [h.get_text(strip=True) for h in soup.select(".app-feed .fr-card__title")]


def test_feed_shows_targeted_live_kits_important_first_then_newest(amb_client, org):
    old = live_kit(title="Ancien")
    Kit.objects.filter(pk=old.pk).update(published_at=timezone.now() - dt.timedelta(days=3))
    live_kit(title="Récent")
    live_kit(title="Important", is_important=True)
    live_kit(title="Pour la Bretagne", target_units=[org["dr-bre"]])
    live_kit(title="Pour l’Occitanie", target_units=[org["dr-occ"]])
    live_kit(title="Pour les psychologues", target_job_functions=["psychologue"])
    make_kit(title="Brouillon")
    make_kit(title="Expiré", status=Kit.Status.EXPIRED)
    make_kit(title="Retiré", status=Kit.Status.RETRACTED)
    titles = _titles(amb_client.get(reverse("sharing:feed")))
    assert titles[0] == "Important"
    assert titles[-1] == "Ancien"
    assert set(titles) == {"Important", "Récent", "Pour la Bretagne", "Ancien"}


def test_feed_filters_by_topic(amb_client):
    youth = topic("Jeunes")
    live_kit(title="Kit jeunes", topics=[youth])
    live_kit(title="Autre kit")
    assert _titles(amb_client.get(reverse("sharing:feed"), {"theme": youth.slug})) == ["Kit jeunes"]


def test_feed_says_when_a_theme_has_nothing_for_me_and_leads_back_to_every_theme(amb_client):
    live_kit(title="Autre kit")
    empty = topic("Formation")
    response = amb_client.get(reverse("sharing:feed"), {"theme": empty.slug})
    soup = BeautifulSoup(response.content, "html.parser")
    assert "Aucun contenu à partager sur ce thème pour le moment." in soup.get_text()
    assert "Vous serez prévenu" not in soup.get_text()
    assert soup.find("a", string="Voir les contenus de tous les thèmes")["href"] == reverse("sharing:feed")


def test_feed_is_paginated(amb_client):
    for i in range(14):
        live_kit(title=f"Kit {i}")
    first = _titles(amb_client.get(reverse("sharing:feed")))
    second = _titles(amb_client.get(reverse("sharing:feed"), {"page": 2}))
    assert len(first) == 12 and len(second) == 2 and not set(first) & set(second)


def test_feed_says_where_i_already_shared(amb_client, ambassador):
    kit = live_kit(title="Déjà partagé")
    share(ambassador=ambassador, kit=kit, network="x")
    share(ambassador=ambassador, kit=kit, network="linkedin")
    response = amb_client.get(reverse("sharing:feed"))
    soup = BeautifulSoup(response.content, "html.parser")
    assert "Déjà partagé : X, LinkedIn" in soup.select_one(".app-shared").get_text()


def test_feed_card_keeps_a_briefs_list_items_and_entities_readable(amb_client, ambassador):
    kit = live_kit(
        title="Semaine de l’emploi",
        brief="<p>Des ateliers.</p><ul><li>42 agences participantes</li>"
        "<li>Inscription gratuite &amp; ouverte</li></ul>",
    )
    share(ambassador=ambassador, kit=kit, network="x")
    soup = BeautifulSoup(amb_client.get(reverse("sharing:feed")).content, "html.parser")
    assert soup.select_one(".fr-card__desc").get_text() == (
        "Des ateliers. 42 agences participantes · Inscription gratuite & ouverte"
    )
    assert " ".join(soup.select_one(".fr-card__detail").get_text().split()).endswith(" · Déjà partagé : X")
    # DSFR draws the detail as a flex row: one child keeps the spaces around "·".
    assert len(soup.select(".fr-card__detail > *")) == 1


def test_a_cached_card_still_says_only_my_own_shares(client, ambassador, org, charter):
    kit = live_kit(title="Kit commun")
    share(ambassador=ambassador, kit=kit, network="x")
    colleague = make_ambassador(unit=ambassador.unit, charter=charter)
    client.force_login(ambassador)
    assert "Déjà partagé : X" in client.get(reverse("sharing:feed")).content.decode()
    client.force_login(colleague)
    page = client.get(reverse("sharing:feed")).content.decode()
    assert "Kit commun" in page and "Déjà partagé" not in page


def test_a_new_version_of_a_kit_renews_its_cached_card(amb_client):
    kit = live_kit(title="Titre d’origine")
    assert "Titre d’origine" in amb_client.get(reverse("sharing:feed")).content.decode()
    Kit.objects.filter(pk=kit.pk).update(title="Titre corrigé", version=kit.version + 1, updated_at=timezone.now())
    page = amb_client.get(reverse("sharing:feed")).content.decode()
    assert "Titre corrigé" in page and "Titre d’origine" not in page


def test_a_deployment_that_changes_the_card_renews_the_cached_cards(amb_client, settings, tmp_path):
    from advocacy.sharing import views

    live_kit(title="Un kit")
    assert "Un kit" in amb_client.get(reverse("sharing:feed")).content.decode()  # cached
    # The next deployment renders the card differently: its new processes show the new
    # card at once, not the cached one until it expires.
    card = tmp_path / "sharing" / "_feed_card.html"
    card.parent.mkdir()
    card.write_text('<h2 class="fr-card__title">{{ kit.title }}, nouvelle carte</h2>')
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [tmp_path, *settings.TEMPLATES[0]["DIRS"]]}]
    views.feed_card_rendering.cache_clear()
    try:
        assert "Un kit, nouvelle carte" in amb_client.get(reverse("sharing:feed")).content.decode()
    finally:
        views.feed_card_rendering.cache_clear()


def test_the_cards_cache_key_follows_the_code_that_writes_their_dates(monkeypatch):
    import inspect

    from advocacy.sharing import views

    views.feed_card_rendering.cache_clear()
    before = views.feed_card_rendering()
    real = inspect.getsource
    monkeypatch.setattr(inspect, "getsource", lambda code: real(code) + ("# 1er" if code is dates else ""))
    views.feed_card_rendering.cache_clear()
    try:
        assert views.feed_card_rendering() != before
    finally:
        views.feed_card_rendering.cache_clear()


def test_feed_query_count_does_not_grow_with_kits(amb_client, ambassador, org, charter, django_assert_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from advocacy.sharing.selectors import feed_forget

    youth = topic("Jeunes")
    colleague = make_ambassador(unit=org["a-bre-2"], charter=charter)

    def add_kits(n):
        for i in range(n):
            kit = live_kit(title=f"Kit {i}", topics=[youth])
            share(ambassador=ambassador, kit=kit)
            share(ambassador=colleague, kit=kit)

    add_kits(2)
    amb_client.get(reverse("sharing:feed"))  # warm the session and MFA lookups, render the cards
    feed_forget()
    with CaptureQueriesContext(connection) as cold:
        amb_client.get(reverse("sharing:feed"))  # computes the audience's kit list
    with CaptureQueriesContext(connection) as warm:
        amb_client.get(reverse("sharing:feed"))  # reads it from the cache
    # The feed's own part: the page's kits with my shares of them, in one query (+ unit and
    # the targeting query when the audience's list is computed, + the kits and their
    # topics for the cards not in the cache).
    assert sum("content_kit" in q["sql"] or "sharing_share" in q["sql"] for q in warm.captured_queries) == 1
    assert len(cold) == len(warm) + 2
    Kit.objects.update(version=F("version") + 1)  # every card is rendered again
    with CaptureQueriesContext(connection) as new_cards:
        amb_client.get(reverse("sharing:feed"))
    assert len(new_cards) == len(warm) + 2

    add_kits(18)
    feed_forget()
    with django_assert_num_queries(len(cold) + 2):  # a new list, and twelve cards to render
        amb_client.get(reverse("sharing:feed"))
    with django_assert_num_queries(len(warm)):
        response = amb_client.get(reverse("sharing:feed"))
    assert len(_titles(response)) == 12


def test_ambassador_without_the_current_charter_is_told_why_and_where(amb_client):
    published_charter(material=True, title="Charte v2")
    live_kit(title="Un kit")
    response = amb_client.get(reverse("sharing:feed"))
    body = response.content.decode()
    assert "Vous ne pouvez pas partager pour le moment" in body
    assert reverse("programme") in body


def test_a_charter_published_after_a_visit_is_required_at_once(amb_client, admin_user):
    from accounts import services as account_services

    live_kit(title="Un kit")
    assert "Vous ne pouvez pas partager" not in amb_client.get(reverse("sharing:feed")).content.decode()
    version = account_services.charter_version_save(title="Charte v2", body="<p>v2</p>", is_material_change=True)
    account_services.charter_publish(version=version, by=admin_user)
    assert "Vous ne pouvez pas partager" in amb_client.get(reverse("sharing:feed")).content.decode()


def test_a_topic_added_in_the_admin_shows_in_the_filter_at_once(client, ambassador, admin_user):
    topic("Jeunes")
    client.force_login(ambassador)
    assert "Seniors" not in client.get(reverse("sharing:feed")).content.decode()
    client.force_login(admin_user)
    assert client.post("/admin/content/topic/add/", {"name": "Seniors", "slug": "seniors"}).status_code == 302
    client.force_login(ambassador)
    assert "?theme=seniors" in client.get(reverse("sharing:feed")).content.decode()


def test_share_page_opens_x_with_text_hashtags_and_tracked_link(amb_client, ambassador):
    kit = live_kit(title="Un kit")
    url = reverse("sharing:share", kwargs={"slug": kit.slug})
    page = amb_client.get(url)
    assert "Un texte pour partager" in page.content.decode()
    response = amb_client.post(url, {"text": "Mon angle perso #AvecPôleEmploi", "network": "x"})
    assert response.status_code == 303
    parts = urlsplit(response["Location"])
    assert (parts.netloc, parts.path) == ("x.com", "/intent/post")
    recorded = Share.objects.get(ambassador=ambassador)
    assert parse_qs(parts.query) == {"text": ["Mon angle perso #AvecPôleEmploi"], "url": [recorded.link.public_url]}


def test_share_by_copy_comes_back_to_the_page(amb_client, ambassador):
    kit = live_kit()
    url = reverse("sharing:share", kwargs={"slug": kit.slug})
    response = amb_client.post(url, {"text": "Texte", "network": "copy"})
    assert response.status_code == 302 and response["Location"] == url
    assert Share.objects.filter(ambassador=ambassador, channel="copy").exists()


def test_share_by_email_opens_the_mail_client(amb_client):
    kit = live_kit(title="À lire")
    response = amb_client.post(
        reverse("sharing:share", kwargs={"slug": kit.slug}), {"text": "Texte", "network": "email"}
    )
    assert response.status_code == 303 and response["Location"].startswith("mailto:?subject=")


def test_share_page_of_a_kit_not_meant_for_me_is_not_found(amb_client, org):
    kit = live_kit(target_units=[org["dr-occ"]])
    assert amb_client.get(reverse("sharing:share", kwargs={"slug": kit.slug})).status_code == 404


def test_share_page_ties_each_suggestion_button_to_its_text_and_warns_of_new_windows(amb_client, ambassador):
    kit = live_kit(texts=[{"body": "Premier angle #AvecPôleEmploi", "networks": []}])
    recorded = share(ambassador=ambassador, kit=kit, network="x")
    services.share_attach_post(share=recorded, by=ambassador, post_url="https://x.com/camille/status/1")
    soup = BeautifulSoup(amb_client.get(reverse("sharing:share", kwargs={"slug": kit.slug})).content, "html.parser")
    button = soup.select_one("button[data-use-text]")
    assert soup.find(id=button["aria-describedby"]).get_text() == "Premier angle #AvecPôleEmploi"
    for link in soup.select("main a[target=_blank]"):
        assert link.get("title", "").endswith("(nouvelle fenêtre)"), link
    assert "fr-sr-only" not in soup.select_one("#share-status")["class"]


def test_share_page_tells_a_refused_share(amb_client):
    kit = live_kit()
    response = amb_client.post(reverse("sharing:share", kwargs={"slug": kit.slug}), {"text": " ", "network": "x"})
    assert response.status_code == 400


def test_live_check_says_how_many_colleagues_posted_the_same_words(amb_client, org, charter):
    kit = live_kit()
    for _ in range(3):
        share(ambassador=make_ambassador(unit=org["a-bre-2"], charter=charter), kit=kit, text="Le même texte")
    response = amb_client.post(reverse("sharing:share_check", kwargs={"slug": kit.slug}), {"text": "le même texte"})
    assert "3 collègues ont déjà publié exactement ce texte" in response.content.decode()
    other = amb_client.post(reverse("sharing:share_check", kwargs={"slug": kit.slug}), {"text": "À ma façon"})
    assert "collègue" not in other.content.decode()


def test_post_address_form(amb_client, ambassador):
    recorded = share(ambassador=ambassador, network="x")
    amb_client.post(
        reverse("sharing:attach_post", kwargs={"pk": recorded.pk}), {"post_url": "https://x.com/a/status/9"}
    )
    assert Share.objects.get(pk=recorded.pk).post_url == "https://x.com/a/status/9"


def test_my_impact_counts_human_clicks_per_share_and_network(amb_client, ambassador):
    recorded = share(ambassador=ambassador, network="bluesky")
    events = [click_event(recorded.link, visitor=f"v{i}") for i in range(3)]
    events += [click_event(recorded.link, kind="preview"), click_event(recorded.link, kind="bot")]
    services.clicks_store(events)
    response = amb_client.get(reverse("sharing:impact"))
    soup = BeautifulSoup(response.content, "html.parser")
    assert soup.select_one("#figure-clicks").get_text() == "3"
    assert soup.select_one(".app-share-clicks").get_text() == "3"
    assert "Bluesky" in soup.get_text()
    assert soup.select_one("#impact-chart-data") is not None


def test_my_impact_gives_the_charts_figures_as_a_table(amb_client, ambassador):
    recorded = share(ambassador=ambassador, network="bluesky")
    services.clicks_store([click_event(recorded.link, visitor=f"v{i}") for i in range(2)])
    soup = BeautifulSoup(amb_client.get(reverse("sharing:impact")).content, "html.parser")
    rows = [[cell.get_text() for cell in row.select("td")] for row in soup.select("details table tbody tr")]
    assert len(rows) == 30
    assert rows[-1] == [dates.date_format(timezone.localdate(), "l j F"), "2"]


def test_my_impact_shows_only_my_own_figures(amb_client, org, charter):
    colleague = make_ambassador(unit=org["a-bre-1"], charter=charter)
    recorded = share(ambassador=colleague)
    services.clicks_store([click_event(recorded.link)])
    soup = BeautifulSoup(amb_client.get(reverse("sharing:impact")).content, "html.parser")
    assert soup.select_one("#figure-clicks").get_text() == "0"
    assert colleague.last_name not in soup.get_text()


def _many_shares(ambassador, count):
    """`count` shares of as many kits on X, one a day, the first the oldest."""
    recorded = [share(ambassador=ambassador, kit=live_kit(title=f"Kit {n}"), network="x") for n in range(count)]
    start = timezone.now() - dt.timedelta(days=count)
    for n, row in enumerate(recorded):
        Share.objects.filter(pk=row.pk).update(created_at=start + dt.timedelta(days=n))
    return recorded


def _share_rows(response):
    soup = BeautifulSoup(response.content, "html.parser")
    return soup, soup.select("#my-shares tbody tr")


def _column(rows, css):
    return [int(row.select_one(css).get_text()) for row in rows]


def test_my_impact_counts_the_clicks_of_a_link_shared_twice_once(amb_client, ambassador):
    # Two posts of one kit on X carry the same tracked link: its clicks cannot be told
    # apart by post, so the link is one row and the columns add up to the tiles.
    kit = live_kit(title="Kit partagé deux fois")
    first = share(ambassador=ambassador, kit=kit, network="x")
    second = share(ambassador=ambassador, kit=kit, network="x")
    assert first.link_id == second.link_id
    other = share(ambassador=ambassador, kit=kit, network="linkedin")
    services.clicks_store([click_event(first.link, visitor=f"v{i}") for i in range(3)] + [click_event(other.link)])

    soup, rows = _share_rows(amb_client.get(reverse("sharing:impact")))
    cells = [[cell.get_text() for cell in row.select("td")] for row in rows]
    assert [row[:3] + row[4:] for row in cells] == [
        ["Kit partagé deux fois", "LinkedIn", "1", "1"],
        ["Kit partagé deux fois", "X", "2", "3"],
    ]
    assert sum(_column(rows, ".app-share-count")) == int(soup.select_one("#figure-shares").get_text()) == 3
    assert sum(_column(rows, ".app-share-clicks")) == int(soup.select_one("#figure-clicks").get_text()) == 4


def test_my_impact_lists_a_clicked_link_never_shared_so_the_clicks_add_up(amb_client, ambassador):
    from advocacy.sharing.services import tracked_links_ensure

    links = tracked_links_ensure(ambassador=ambassador, kit=live_kit(title="Lien copié sans partage"))
    services.clicks_store([click_event(links["x"])])
    soup, rows = _share_rows(amb_client.get(reverse("sharing:impact")))
    assert [cell.get_text() for cell in rows[0].select("td")] == ["Lien copié sans partage", "X", "0", "—", "1"]
    assert soup.select_one("#figure-clicks").get_text() == "1"


def test_my_impact_lists_every_link_page_by_page_and_counts_them_all(amb_client, ambassador, monkeypatch):
    from advocacy.sharing import views

    monkeypatch.setattr(views, "IMPACT_LINKS_PAGE_SIZE", 3)
    _many_shares(ambassador, 4)
    # The oldest share's link is on the last page, with its clicks.
    oldest = share(ambassador=ambassador, network="mastodon")
    Share.objects.filter(pk=oldest.pk).update(created_at=timezone.now() - dt.timedelta(days=30))
    services.clicks_store([click_event(oldest.link, visitor=f"v{i}") for i in range(4)])

    soup, rows = _share_rows(amb_client.get(reverse("sharing:impact")))
    assert len(rows) == 3
    assert soup.select_one("#figure-shares").get_text() == "5"
    assert soup.select_one("#figure-clicks").get_text() == "4"
    assert "Mastodon" in soup.select_one("#impact-channels").get_text()
    assert "Lignes 1 à 3 sur 5, les derniers partages d’abord." in soup.get_text()
    pagination = soup.select_one("nav.fr-pagination")
    next_link = pagination.select_one(".fr-pagination__link--next")["href"]
    assert next_link == "?page=2#mes-partages"

    soup, rows = _share_rows(amb_client.get(reverse("sharing:impact") + next_link.split("#")[0]))
    assert len(rows) == 2
    assert [cell.get_text() for cell in rows[-1].select("td")][1:] == [
        "Mastodon",
        "1",
        timezone.localtime(Share.objects.get(pk=oldest.pk).created_at).strftime("%d/%m/%Y"),
        "4",
    ]
    assert soup.select_one("#figure-shares").get_text() == "5"


def test_my_impact_past_the_last_page_shows_the_last_page(amb_client, ambassador):
    _many_shares(ambassador, 3)
    _soup, rows = _share_rows(amb_client.get(reverse("sharing:impact"), {"page": "99"}))
    assert len(rows) == 3
    assert amb_client.get(reverse("sharing:impact"), {"page": "abc"}).status_code == 200


def test_my_impact_query_count_does_not_grow_with_shares(amb_client, ambassador, django_assert_max_num_queries):
    _many_shares(ambassador, 2)
    with django_assert_max_num_queries(40) as small:
        amb_client.get(reverse("sharing:impact"))
    _many_shares(ambassador, 60)
    with django_assert_max_num_queries(len(small.captured_queries)):
        amb_client.get(reverse("sharing:impact"))


def test_drain_task_stores_buffered_clicks(client, ambassador):
    from advocacy.sharing.tasks import drain_clicks

    recorded = share(ambassador=ambassador)
    client.get(f"/s/{recorded.link.code}", HTTP_USER_AGENT="Mozilla/5.0 (X11; Linux) Firefox/131.0")
    assert buffer.pending_count() == 1
    drain_clicks.delay()
    assert recorded.link.clicks.count() == 1


def test_kit_link_by_id_leads_to_the_share_page_or_the_feed(amb_client, org):
    kit = live_kit()
    response = amb_client.get(reverse("sharing:kit", kwargs={"pk": kit.pk}))
    assert response["Location"] == reverse("sharing:share", kwargs={"slug": kit.slug})
    elsewhere = live_kit(target_units=[org["dr-occ"]])
    assert amb_client.get(reverse("sharing:kit", kwargs={"pk": elsewhere.pk}))["Location"] == reverse("sharing:feed")


def test_live_check_shows_the_guideline_findings(amb_client):
    from content.models import GuidelineRule

    GuidelineRule.objects.create(
        kind=GuidelineRule.Kind.TERM,
        pattern="chômeurs",
        severity=GuidelineRule.Severity.BLOCKING,
        explanation="On parle de personnes en recherche d’emploi.",
        suggestion="personnes en recherche d’emploi",
    )
    kit = live_kit()
    response = amb_client.post(reverse("sharing:share_check", kwargs={"slug": kit.slug}), {"text": "Les chômeurs"})
    body = response.content.decode()
    assert 'data-blocking="true"' in body
    assert "On parle de personnes en recherche d’emploi." in body
    refused = amb_client.post(
        reverse("sharing:share", kwargs={"slug": kit.slug}), {"text": "Les chômeurs", "network": "x"}
    )
    assert refused.status_code == 400
    assert not Share.objects.exists()


def test_live_check_blocks_only_the_networks_a_long_text_does_not_fit(amb_client):
    from content.models import GuidelineRule

    GuidelineRule.objects.create(
        kind=GuidelineRule.Kind.LENGTH, severity=GuidelineRule.Severity.BLOCKING, explanation="Trop long."
    )
    kit = live_kit()
    # About 370 characters: too long for X (280) and Bluesky (300), not for LinkedIn or e-mail.
    text = "Une matinée de plus à l’agence avec les recruteurs du bassin. " * 6
    response = amb_client.post(reverse("sharing:share_check", kwargs={"slug": kit.slug}), {"text": text})
    checks = BeautifulSoup(response.content, "html.parser").select_one(".app-checks")
    assert checks["data-blocked"].split() == ["x", "bluesky"]
    assert "Corrigez les points en rouge pour partager sur X, Bluesky." in checks.get_text()
    shared = amb_client.post(reverse("sharing:share", kwargs={"slug": kit.slug}), {"text": text, "network": "linkedin"})
    assert shared.status_code == 303


def test_share_page_lets_its_form_reach_the_networks_and_nothing_else(amb_client, ambassador):
    from accounts import services as account_services

    account_services.handle_save(user=ambassador, network="mastodon", handle="agent", instance="piaille.fr")
    kit = live_kit()
    policy = amb_client.get(reverse("sharing:share", kwargs={"slug": kit.slug}))["Content-Security-Policy"]
    form_action = next(part for part in policy.split(";") if "form-action" in part).split()
    assert set(form_action[1:]) == {
        "'self'",
        "https://x.com",
        "https://www.linkedin.com",
        "https://www.facebook.com",
        "https://bsky.app",
        "mailto:",
        "https://piaille.fr",
    }
    assert "form-action 'self'" in amb_client.get(reverse("sharing:feed"))["Content-Security-Policy"]


def test_feeds_are_shared_per_audience_and_renewed_when_a_kit_is_published_or_retracted(
    amb_client, django_capture_on_commit_callbacks
):
    from content import workflow
    from tests.accounts.factories import UserFactory

    live_kit(title="Premier")
    assert _titles(amb_client.get(reverse("sharing:feed"))) == ["Premier"]
    with django_capture_on_commit_callbacks(execute=True):
        second = make_kit(title="Second", status=Kit.Status.PUBLISHED)
    assert _titles(amb_client.get(reverse("sharing:feed"))) == ["Second", "Premier"]
    with django_capture_on_commit_callbacks(execute=True):
        workflow.kit_retract(kit=second, by=UserFactory(moderator=True), reason="Crise")
    assert _titles(amb_client.get(reverse("sharing:feed"))) == ["Premier"]
