"""URLs of the reach pages."""

from django.urls import path, re_path

from advocacy.reach import views

urlpatterns = [
    path("imports/", views.import_list, name="reach_import_list"),
    path("imports/<int:pk>/", views.import_detail, name="reach_import_detail"),
    path("imports/<int:pk>/rejets.csv", views.import_rejections_csv, name="reach_import_rejections_csv"),
    path("imports/<int:pk>/progression/", views.import_progress, name="reach_import_progress"),
]

# --- Reports (advocacy.reach.views_reports) --------------------------------------------
from advocacy.reach import views_reports  # noqa: E402

urlpatterns += [
    path("rapports/", views_reports.report_dashboard, name="reach_reports"),
    re_path(r"^rapports/export\.(?P<fmt>csv|xlsx)$", views_reports.report_export, name="reach_reports_export"),
    path("rapports/methode/", views_reports.report_method, name="reach_reports_method"),
    path(
        "rapports/publications-non-attribuees/",
        views_reports.posts_unattributed,
        name="reach_posts_unattributed",
    ),
]
