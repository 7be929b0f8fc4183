"""The kits API, through HTTP: list and detail for the web-social team, create and update
with nested texts, the workflow actions, and fields only the workflow may set."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from content.models import Kit
from tests.accounts.factories import UserFactory
from tests.content.factories import LINK, allow_default_domains, make_kit, topic

S = Kit.Status


@pytest.fixture
def as_curator(api_client, curator):
    api_client.force_authenticate(curator)
    return api_client


@pytest.fixture
def as_moderator(api_client, moderator):
    api_client.force_authenticate(moderator)
    return api_client


def test_curator_creates_a_kit_with_nested_texts(as_curator, curator, org):
    allow_default_domains()
    theme = topic("Formation")
    response = as_curator.post(
        reverse("api_kits"),
        {
            "title": "Ateliers CV",
            "link": LINK,
            "hashtags": ["AvecPôleEmploi", "#CV"],
            "topics": [theme.pk],
            "target_units": [org["dr-bre"].pk],
            "target_job_functions": ["conseiller_emploi"],
            "texts": [{"body": "Un angle", "networks": ["x"]}, {"body": "Un autre"}],
        },
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["status"] == "draft" and body["author"]["id"] == curator.pk
    assert body["hashtags"] == ["AvecPôleEmploi", "CV"]
    assert body["texts"] == [{"body": "Un angle", "networks": ["x"]}, {"body": "Un autre", "networks": []}]
    assert [u["code"] for u in body["target_units"]] == ["dr-bre"]
    assert [t["name"] for t in body["topics"]] == ["Formation"]
    assert [s["to_status"] for s in body["transitions"]] == ["draft"]


@pytest.mark.parametrize("field", ["status", "author", "approved_by", "published_at", "findings"])
def test_workflow_fields_are_never_writable(as_curator, curator, field):
    allow_default_domains()
    kit = make_kit(author=curator)
    response = as_curator.patch(reverse("api_kit", args=[kit.pk]), {field: "published"})
    assert response.status_code == 400
    assert field in response.json()["error"]["fields"]
    response = as_curator.post(reverse("api_kits"), {"title": "x", "link": LINK, field: "published"})
    assert response.status_code == 400
    kit.refresh_from_db()
    assert kit.status == S.DRAFT


def test_update_replaces_the_texts(as_curator, curator):
    kit = make_kit(author=curator)
    response = as_curator.patch(
        reverse("api_kit", args=[kit.pk]), {"title": "Nouveau", "texts": [{"body": "Seul texte", "networks": []}]}
    )
    assert response.status_code == 200
    assert response.json()["title"] == "Nouveau"
    assert [t.body for t in kit.texts.all()] == ["Seul texte"]
    assert response.json()["version"] == 2


def test_a_link_off_the_allowlist_is_a_structured_error(as_curator):
    allow_default_domains()
    response = as_curator.post(reverse("api_kits"), {"title": "x", "link": "https://example.com/"})
    assert response.status_code == 400
    assert "link" in response.json()["error"]["fields"]


def test_draft_to_published_through_the_api(api_client, curator, moderator):
    allow_default_domains()
    api_client.force_authenticate(curator)
    kit_id = api_client.post(
        reverse("api_kits"), {"title": "Forum", "link": LINK, "texts": [{"body": "Venez #AvecPôleEmploi"}]}
    ).json()["id"]
    response = api_client.post(reverse("api_kit_submit", args=[kit_id]), {})
    assert response.status_code == 200 and response.json()["status"] == "submitted"
    # The author cannot approve, even holding the moderator role: four eyes.
    curator.is_moderator = True
    curator.save()
    response = api_client.post(reverse("api_kit_approve", args=[kit_id]), {})
    assert response.status_code == 400 and response.json()["error"]["code"] == "four_eyes"
    api_client.force_authenticate(moderator)
    detail = api_client.get(reverse("api_kit", args=[kit_id])).json()
    assert detail["can_approve"] is True
    response = api_client.post(reverse("api_kit_approve", args=[kit_id]), {"comment": "Bon pour moi"})
    assert response.status_code == 200
    assert response.json()["status"] == "published"
    assert response.json()["approved_by"]["id"] == moderator.pk


def test_request_changes_needs_a_comment(as_moderator):
    kit = make_kit(status=S.SUBMITTED)
    url = reverse("api_kit_request_changes", args=[kit.pk])
    response = as_moderator.post(url, {})
    assert response.status_code == 400 and "comment" in response.json()["error"]["fields"]
    response = as_moderator.post(url, {"comment": "Reformulez"})
    assert response.json()["status"] == "changes_requested"


def test_an_action_from_the_wrong_status_is_a_conflict(as_moderator):
    kit = make_kit(status=S.DRAFT)
    response = as_moderator.post(reverse("api_kit_approve", args=[kit.pk]), {})
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "invalid_transition"


def test_retract_and_archive(as_moderator):
    kit = make_kit(status=S.PUBLISHED)
    response = as_moderator.post(reverse("api_kit_retract", args=[kit.pk]), {"reason": "Crise"})
    assert response.status_code == 200 and response.json()["retraction_reason"] == "Crise"
    response = as_moderator.post(reverse("api_kit_archive", args=[kit.pk]), {})
    assert response.json()["status"] == "archived"


def test_list_filters_and_searches(as_moderator):
    make_kit(title="Ateliers numériques")
    make_kit(title="Forum des métiers", status=S.SUBMITTED)
    titles = [k["title"] for k in as_moderator.get(reverse("api_kits"), {"status": "submitted"}).json()["results"]]
    assert titles == ["Forum des métiers"]
    titles = [k["title"] for k in as_moderator.get(reverse("api_kits"), {"q": "numériques"}).json()["results"]]
    assert titles == ["Ateliers numériques"]


def test_scheduled_approval_through_the_api(as_moderator):
    kit = make_kit(status=S.SUBMITTED, publish_at=timezone.now() + timedelta(days=2))
    response = as_moderator.post(reverse("api_kit_approve", args=[kit.pk]), {})
    assert response.json()["status"] == "approved"


def test_unknown_kit_is_404(as_moderator):
    assert as_moderator.get(reverse("api_kit", args=[999999])).status_code == 404


@pytest.mark.parametrize("count", [2, 20])
def test_list_query_count_is_constant(as_moderator, django_assert_num_queries, count):
    author = UserFactory(curator=True)
    for _ in range(count):
        make_kit(author=author, topics=[topic("Formation")])
    with django_assert_num_queries(5):
        response = as_moderator.get(reverse("api_kits"))
    assert response.json()["count"] == count
