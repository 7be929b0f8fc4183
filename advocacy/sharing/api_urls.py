"""API URLs of the ambassador portal."""

from django.urls import path

from advocacy.sharing import api

urlpatterns = [
    path("sharing/feed/", api.FeedApi.as_view(), name="api_sharing_feed"),
    path("sharing/kits/<slug:slug>/shares/", api.ShareCreateApi.as_view(), name="api_sharing_share_create"),
    path("sharing/shares/<int:pk>/post/", api.SharePostApi.as_view(), name="api_sharing_share_post"),
    path("sharing/me/figures/", api.MyFiguresApi.as_view(), name="api_sharing_my_figures"),
]
