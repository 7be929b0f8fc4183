"""API URLs of the content library, under /api/v1/: kits and their workflow actions,
the guideline check and field stories."""

from django.urls import path

from content.api import guidelines, kits, stories

urlpatterns = [
    path("kits/", kits.KitListApi.as_view(), name="api_kits"),
    path("kits/<int:pk>/", kits.KitDetailApi.as_view(), name="api_kit"),
    path("kits/<int:pk>/submit/", kits.KitSubmitApi.as_view(), name="api_kit_submit"),
    path("kits/<int:pk>/request-changes/", kits.KitRequestChangesApi.as_view(), name="api_kit_request_changes"),
    path("kits/<int:pk>/approve/", kits.KitApproveApi.as_view(), name="api_kit_approve"),
    path("kits/<int:pk>/retract/", kits.KitRetractApi.as_view(), name="api_kit_retract"),
    path("kits/<int:pk>/archive/", kits.KitArchiveApi.as_view(), name="api_kit_archive"),
    path("guidelines/check/", guidelines.GuidelineCheckApi.as_view(), name="api_guidelines_check"),
    path("stories/", stories.StoryListApi.as_view(), name="api_stories"),
    path("stories/<int:pk>/", stories.StoryDetailApi.as_view(), name="api_story"),
    path("stories/<int:pk>/withdraw-consent/", stories.ConsentWithdrawApi.as_view(), name="api_story_consent_withdraw"),
    path("curation/stories/", stories.CuratorStoryListApi.as_view(), name="api_curation_stories"),
]
