"""URLs of the ambassador portal, and the public tracked-link redirect /s/<code>."""

from django.urls import path

from advocacy.sharing import views

app_name = "sharing"

urlpatterns = [
    path("s/<str:code>", views.click_redirect, name="click_redirect"),
    path("contenu-retire/", views.withdrawn, name="withdrawn"),
    path("partager/", views.feed, name="feed"),
    # By id, for the links other apps build (notifications, retraction requests).
    path("partager/kit/<int:pk>/", views.kit_by_id, name="kit"),
    path("partager/<slug:slug>/", views.share, name="share"),
    path("partager/<slug:slug>/verifier/", views.share_check, name="share_check"),
    path("partager/<slug:slug>/mes-partages/", views.my_shares, name="my_shares"),
    path("partages/<int:pk>/publication/", views.share_attach_post, name="attach_post"),
    path("mon-impact/", views.impact, name="impact"),
]
