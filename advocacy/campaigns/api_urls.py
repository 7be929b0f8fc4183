"""API URLs of the campaigns app (under /api/v1/)."""

from django.urls import path

from advocacy.campaigns import api

urlpatterns = [
    path("campaigns/", api.CampaignListApi.as_view(), name="api_campaigns"),
    path("campaigns/announcements/", api.AnnouncementApi.as_view(), name="api_announcements"),
    path("campaigns/<int:pk>/", api.CampaignDetailApi.as_view(), name="api_campaign"),
    path("me/notifications/", api.NotificationListApi.as_view(), name="api_me_notifications"),
    path("me/notifications/<int:pk>/read/", api.NotificationReadApi.as_view(), name="api_me_notification_read"),
    path("me/retraction-requests/", api.MyRetractionRequestsApi.as_view(), name="api_me_retraction_requests"),
    path(
        "me/retraction-requests/<int:pk>/acknowledge/",
        api.RetractionAcknowledgeApi.as_view(),
        name="api_me_retraction_acknowledge",
    ),
    path("crisis/kits/<int:kit_pk>/retract/", api.KitRetractApi.as_view(), name="api_kit_retract"),
    path("crisis/kits/<int:kit_pk>/retraction/", api.KitRetractionApi.as_view(), name="api_kit_retraction"),
    path("crisis/pause/", api.PauseApi.as_view(), name="api_pause"),
    path("crisis/pause/lift/", api.PauseLiftApi.as_view(), name="api_pause_lift"),
]
