"""Discussions: a thread per kit and a general space, htmx posting, moderation."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from advocacy.errors import Conflict, DomainError
from content import discussions
from content.models import DiscussionMessage, Kit
from tests.accounts.factories import make_ambassador
from tests.content.factories import make_kit, message


@pytest.fixture
def live_kit(db):
    return make_kit(status=Kit.Status.PUBLISHED, title="Forum de l’alternance")


def test_ambassador_posts_in_the_general_space_with_htmx(client, ambassador):
    client.force_login(ambassador)
    response = client.post(
        reverse("discussion_general"), {"body": "Comment mentionner mon agence ?"}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "<html" not in page  # a fragment for htmx
    assert "Comment mentionner mon agence ?" in page
    posted = DiscussionMessage.objects.get()
    assert posted.kit is None and posted.author == ambassador


def test_posting_with_htmx_keeps_the_focus_on_the_field_and_says_what_happened(client, ambassador):
    from bs4 import BeautifulSoup

    client.force_login(ambassador)
    page = BeautifulSoup(client.get(reverse("discussion_general")).content, "html.parser")
    assert page.select_one("#thread-status[role=status]") is not None  # the live region stays in the page
    posted = client.post(reverse("discussion_general"), {"body": "Bonjour !"}, HTTP_HX_REQUEST="true")
    fragment = BeautifulSoup(posted.content, "html.parser")
    assert fragment.select_one("#thread-status[hx-swap-oob=innerHTML]").get_text() == "Votre message est publié."
    assert fragment.select_one("textarea[name=body]").has_attr("autofocus")
    refused = BeautifulSoup(
        client.post(reverse("discussion_general"), {"body": " "}, HTTP_HX_REQUEST="true").content, "html.parser"
    )
    assert "n’est pas publié" in refused.select_one("#thread-status").get_text()
    assert refused.select_one("textarea[name=body]").has_attr("autofocus")


def test_posting_without_htmx_redirects_back(client, ambassador, live_kit):
    client.force_login(ambassador)
    url = reverse("discussion_kit", args=[live_kit.slug])
    response = client.post(url, {"body": "Une astuce : citer le nom du forum."})
    assert response.status_code == 302 and response["Location"] == url
    assert DiscussionMessage.objects.get().kit == live_kit


def test_empty_message_is_refused(client, ambassador):
    client.force_login(ambassador)
    response = client.post(reverse("discussion_general"), {"body": "   "}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert not DiscussionMessage.objects.exists()


def test_ambassadors_only_reach_threads_of_kits_meant_for_them(client, ambassador, curator, org):
    draft = make_kit(title="Pas encore publié")
    elsewhere = make_kit(status=Kit.Status.PUBLISHED, title="Pour l’Occitanie", target_units=[org["dg"]])
    client.force_login(ambassador)
    assert client.get(reverse("discussion_kit", args=[draft.slug])).status_code == 404
    # A kit for the whole organisation (dg covers every unit) is open to all ambassadors.
    assert client.get(reverse("discussion_kit", args=[elsewhere.slug])).status_code == 200
    with pytest.raises(DomainError):
        discussions.message_post(author=ambassador, body="Bonjour", kit=draft)
    client.force_login(curator)
    assert client.get(reverse("discussion_kit", args=[draft.slug])).status_code == 200


def test_staff_who_did_not_join_cannot_post(staff):
    with pytest.raises(DomainError):
        discussions.message_post(author=staff, body="Bonjour")


def test_moderator_hides_a_message_and_its_author_sees_why(client, ambassador, moderator, org, charter, live_kit):
    hidden = message(ambassador, kit=live_kit, body="Le nom de ma conseillère est…")
    client.force_login(moderator)
    response = client.post(reverse("discussion_hide", args=[hidden.pk]), {"reason": "Donnée personnelle"})
    assert response.status_code == 302
    hidden.refresh_from_db()
    assert hidden.is_hidden and hidden.hidden_by == moderator and hidden.hidden_reason == "Donnée personnelle"

    url = reverse("discussion_kit", args=[live_kit.slug])
    client.force_login(ambassador)
    page = client.get(url).content.decode()
    assert "Motif : Donnée personnelle" in page and "Le nom de ma conseillère" in page

    client.force_login(make_ambassador(unit=org["a-bre-1"], charter=charter))
    page = client.get(url).content.decode()
    assert "Message masqué par la modération." in page
    assert "Le nom de ma conseillère" not in page and "Donnée personnelle" not in page


def test_hiding_needs_a_reason_and_happens_once(ambassador, moderator):
    posted = message(ambassador)
    with pytest.raises(DomainError):
        discussions.message_hide(message=posted, by=moderator, reason=" ")
    discussions.message_hide(message=posted, by=moderator, reason="Hors sujet")
    with pytest.raises(Conflict):
        discussions.message_hide(message=posted, by=moderator, reason="Encore")


def test_curators_cannot_hide(ambassador, curator):
    with pytest.raises(DomainError):
        discussions.message_hide(message=message(ambassador), by=curator, reason="Non")


@pytest.mark.parametrize("where", ["general", "kit"])
def test_thread_query_count_is_constant(client, ambassador, moderator, org, charter, live_kit, where):
    kit = live_kit if where == "kit" else None
    url = reverse("discussion_kit", args=[kit.slug]) if kit else reverse("discussion_general")
    client.force_login(ambassador)
    message(ambassador, kit=kit)
    client.get(url)

    def count():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    few = count()
    for n in range(30):
        author = make_ambassador(unit=org["a-bre-1"], charter=charter) if n % 10 == 0 else ambassador
        posted = message(author, kit=kit, body=f"Message {n}")
        if n % 7 == 0:
            discussions.message_hide(message=posted, by=moderator, reason="Hors sujet")
        if kit is not None and n % 5 == 0:
            message(ambassador, kit=make_kit(status=Kit.Status.PUBLISHED))
    assert count() == few


def test_threads_are_paginated(client, ambassador):
    for n in range(25):
        message(ambassador, body=f"Message numéro {n}")
    client.force_login(ambassador)
    first = client.get(reverse("discussion_general")).content.decode()
    assert "Message numéro 24" in first and "Message numéro 0<" not in first
    second = client.get(reverse("discussion_general"), {"page": 2}).content.decode()
    assert "Message numéro 0" in second
