"""API URLs of the curators' and moderators' workspace, under /api/v1/kits/."""

from django.urls import path

from content import api_kits as api

urlpatterns = [
    path("kits/", api.KitListApi.as_view(), name="api_kits"),
    path("kits/<int:pk>/", api.KitDetailApi.as_view(), name="api_kit"),
    path("kits/<int:pk>/submit/", api.KitSubmitApi.as_view(), name="api_kit_submit"),
    path("kits/<int:pk>/request-changes/", api.KitRequestChangesApi.as_view(), name="api_kit_request_changes"),
    path("kits/<int:pk>/approve/", api.KitApproveApi.as_view(), name="api_kit_approve"),
    path("kits/<int:pk>/retract/", api.KitRetractApi.as_view(), name="api_kit_retract"),
    path("kits/<int:pk>/archive/", api.KitArchiveApi.as_view(), name="api_kit_archive"),
]
