"""URLs of the reach pages."""

from django.urls import path

from advocacy.reach import views

urlpatterns = [
    path("imports/", views.import_list, name="reach_import_list"),
    path("imports/<int:pk>/", views.import_detail, name="reach_import_detail"),
    path("imports/<int:pk>/progression/", views.import_progress, name="reach_import_progress"),
]
