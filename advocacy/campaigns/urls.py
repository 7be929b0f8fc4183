"""URLs of the campaigns pages."""

from django.urls import path

from advocacy.campaigns import views

app_name = "campaigns"

urlpatterns = [
    path("notifications/", views.inbox, name="inbox"),
    path("notifications/<int:pk>/lue/", views.notification_read, name="notification_read"),
    path("notifications/tout-lu/", views.notifications_read_all, name="notifications_read_all"),
    path("desinscription/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("campagnes/", views.campaign_list, name="campaign_list"),
    path("campagnes/annonce/", views.announcement_new, name="announcement_new"),
    path("campagnes/rapprochement/", views.reconciliation, name="reconciliation"),
    path("campagnes/<int:pk>/", views.campaign_detail, name="campaign_detail"),
    path("campagnes/<int:pk>/direct/", views.campaign_live, name="campaign_live"),
    path("campagnes/alertes/<int:pk>/traitee/", views.alert_resolve, name="alert_resolve"),
    path("crise/", views.crisis_page, name="crisis"),
    path("crise/pause/lever/", views.pause_lift, name="pause_lift"),
    path("crise/kits/<int:kit_pk>/retirer/", views.kit_retract, name="kit_retract"),
    path("crise/kits/<int:kit_pk>/", views.retraction_follow, name="retraction_follow"),
    path("retraits/", views.my_retractions, name="my_retractions"),
    path("retraits/<int:pk>/fait/", views.retraction_acknowledge, name="retraction_acknowledge"),
    path("retraits/confirmer/<str:token>/", views.acknowledge_link, name="acknowledge_link"),
    path("webhooks/e-mail/", views.tracking_webhook, name="tracking_webhook"),
]
