"""Pages of the curators' and moderators' workspace, under /contenus/."""

from django.urls import path

from content import views_kits as views

urlpatterns = [
    path("", views.kit_library, name="kit_library"),
    path("nouveau/", views.kit_create, name="kit_create"),
    path("apercu/", views.kit_preview, name="kit_preview"),
    path("moderation/", views.kit_queue, name="kit_queue"),
    path("calendrier/", views.kit_calendar, name="kit_calendar"),
    path("<int:pk>/", views.kit_detail, name="kit_detail"),
    path("<int:pk>/modifier/", views.kit_edit, name="kit_edit"),
    path("<int:pk>/versions/", views.kit_versions, name="kit_versions"),
    path("<int:pk>/visuels/", views.kit_visual_add, name="kit_visual_add"),
    path("<int:pk>/visuels/<int:visual_pk>/retirer/", views.kit_visual_remove, name="kit_visual_remove"),
    path("<int:pk>/soumettre/", views.kit_submit, name="kit_submit"),
    path("<int:pk>/demander-des-modifications/", views.kit_request_changes, name="kit_request_changes"),
    path("<int:pk>/approuver/", views.kit_approve, name="kit_approve"),
    path("<int:pk>/archiver/", views.kit_archive, name="kit_archive"),
    path("<int:pk>/retirer/", views.kit_retract, name="kit_retract"),
]
