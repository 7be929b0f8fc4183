"""API URLs of the guideline check and field stories."""

from django.urls import path

from content import api_community as api

urlpatterns = [
    path("guidelines/check/", api.GuidelineCheckApi.as_view(), name="api_guidelines_check"),
    path("stories/", api.StoryListApi.as_view(), name="api_stories"),
    path("curation/stories/", api.CuratorStoryListApi.as_view(), name="api_curation_stories"),
]
