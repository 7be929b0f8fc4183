"""API URLs of a person's own account."""

from django.urls import path

from accounts import api

urlpatterns = [
    path("me/", api.MeApi.as_view(), name="api_me"),
    path("me/handles/", api.HandleListApi.as_view(), name="api_me_handles"),
    path("me/handles/<str:network>/", api.HandleDetailApi.as_view(), name="api_me_handle"),
    path("me/export/", api.ExportApi.as_view(), name="api_me_export"),
    path("programme/join/", api.ProgrammeJoinApi.as_view(), name="api_programme_join"),
    path("programme/leave/", api.ProgrammeLeaveApi.as_view(), name="api_programme_leave"),
    path("charter/current/", api.CharterCurrentApi.as_view(), name="api_charter_current"),
]
