"""API URLs of the reach app."""

from django.urls import path

from advocacy.reach import api

urlpatterns = [
    path("reach/posts/", api.PostIngestApi.as_view(), name="api_reach_posts_ingest"),
]
