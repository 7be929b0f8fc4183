"""The bulk post ingestion API, used by a social-listening tool with a token."""

import io
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from rest_framework.authtoken.models import Token

from advocacy.reach import importing
from advocacy.reach.models import SocialPost

URL = "/api/v1/reach/posts/"


def post_item(external_id="1", **overrides):
    item = {
        "network": "x",
        "external_id": external_id,
        "posted_at": "2026-11-23T10:00:00+01:00",
        "text": "Bravo #AvecPôleEmploi",
        "author_handle": "@Agence_Rennes",
        "author_followers": 1200,
        "likes": 4,
        "impressions": None,
    }
    item.update(overrides)
    return item


def with_token(api_client, user):
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user).key}")
    return api_client


def test_url_name():
    assert reverse("api_reach_posts_ingest") == URL


def test_listening_tool_sends_posts_with_a_curator_token(api_client, curator, programme_tag):
    client = with_token(api_client, curator)

    response = client.post(URL, {"posts": [post_item("1"), post_item("2", likes=None)]}, format="json")

    assert response.status_code == 200, response.content
    assert response.json() == {"created": 2, "updated": 0, "unchanged": 0, "rejected": []}
    post = SocialPost.objects.get(external_id="1")
    assert (post.source, post.author_handle, post.likes, post.impressions) == ("api", "agence_rennes", 4, None)


def test_sending_the_same_batch_again_changes_nothing(api_client, admin_user, programme_tag):
    client = with_token(api_client, admin_user)
    client.post(URL, {"posts": [post_item("1")]}, format="json")
    again = client.post(URL, {"posts": [post_item("1")]}, format="json")
    assert again.json() == {"created": 0, "updated": 0, "unchanged": 1, "rejected": []}
    newer = client.post(URL, {"posts": [post_item("1", likes=9)]}, format="json")
    assert newer.json()["updated"] == 1


def test_invalid_posts_are_rejected_one_by_one(api_client, curator, programme_tag):
    client = with_token(api_client, curator)
    future = (timezone.now() + timedelta(days=3)).isoformat()
    response = client.post(
        URL,
        {
            "posts": [
                post_item("1"),
                post_item("2", network="myspace"),
                post_item("3", posted_at=future),
                post_item("4", text="sans hashtag"),
                post_item("5", text="", hashtags=["#AvecPoleEmploi"]),
                post_item("6", likes=-1),
            ]
        },
        format="json",
    )
    body = response.json()
    assert response.status_code == 200
    assert body["created"] == 2
    assert [entry["index"] for entry in body["rejected"]] == [1, 2, 3, 5]
    assert "network" in body["rejected"][0]["errors"]
    assert "futur" in body["rejected"][1]["errors"]["posted_at"][0]
    assert "hashtag" in body["rejected"][2]["errors"]["text"][0]


def test_batches_are_bounded(api_client, curator):
    client = with_token(api_client, curator)
    assert client.post(URL, {"posts": []}, format="json").status_code == 400
    too_many = {"posts": [post_item(str(i)) for i in range(1001)]}
    assert client.post(URL, too_many, format="json").status_code == 400


def test_ambassador_and_manager_tokens_are_refused(api_client, ambassador, manager):
    assert with_token(api_client, ambassador).post(URL, {"posts": [post_item()]}, format="json").status_code == 403
    assert with_token(api_client, manager).post(URL, {"posts": [post_item()]}, format="json").status_code == 403


def test_no_token_is_401(api_client):
    assert api_client.post(URL, {"posts": [post_item()]}, format="json").status_code == 401


def test_posts_from_the_api_are_committed_durably(api_client, curator, programme_tag):
    """Only file imports, which can be run again, relax synchronous_commit (PostgreSQL)."""
    if connection.vendor != "postgresql":
        pytest.skip("synchronous_commit is a PostgreSQL setting")
    client = with_token(api_client, curator)
    with CaptureQueriesContext(connection) as api:
        assert client.post(URL, {"posts": [post_item("1")]}, format="json").status_code == 200
    assert not [q for q in api.captured_queries if "synchronous_commit" in q["sql"]]

    csv = "network,external_id,posted_at,text\nx,2,23/11/2026 10:00,Bravo #AvecPôleEmploi\n"
    with CaptureQueriesContext(connection) as imported:
        importing.import_stream(io.BytesIO(csv.encode()), format="csv", mapping={})
    assert [q for q in imported.captured_queries if "synchronous_commit" in q["sql"]]


def test_a_list_items_error_says_which_item_and_why(api_client, curator, programme_tag):
    client = with_token(api_client, curator)
    response = client.post(
        URL, {"posts": [post_item("1", hashtags=["AvecPoleEmploi", "x" * 101, {"tag": "a"}])]}, format="json"
    )
    [rejected] = response.json()["rejected"]
    assert set(rejected["errors"]) == {"hashtags.1", "hashtags.2"}
    assert "100\u00a0caractères" in rejected["errors"]["hashtags.1"][0]


def test_a_body_over_the_size_limit_gets_the_structured_error(api_client, curator, programme_tag, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 50_000
    client = with_token(api_client, curator)
    posts = [post_item(str(i), text="#AvecPôleEmploi " + "a" * 1000) for i in range(60)]

    response = client.post(URL, {"posts": posts}, format="json")

    assert response.status_code == 413
    assert response["Content-Type"] == "application/json"
    error = response.json()["error"]
    assert error["code"] == "too_large" and error["fields"] == {}
    assert "48,8\u00a0Kio" in error["message"] and "moins de données" in error["message"]
    assert not SocialPost.objects.exists()
