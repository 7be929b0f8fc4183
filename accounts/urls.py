"""URLs of a person's own account pages."""

from django.urls import path

from accounts import views

urlpatterns = [
    path("programme/", views.programme, name="programme"),
    path("programme/charte/<int:number>/", views.charter_version, name="charter_version"),
    path("programme/quitter/", views.programme_leave, name="programme_leave"),
    path("profil/", views.profile, name="profile"),
    path("profil/reseaux/<str:network>/", views.handle_edit, name="handle_edit"),
    path("profil/reseaux/<str:network>/retirer/", views.handle_remove, name="handle_remove"),
    path("profil/export/", views.export, name="profile_export"),
    path("profil/jeton-api/", views.api_token, name="api_token"),
]
