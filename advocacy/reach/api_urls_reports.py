"""API URLs of the reach reports (under /api/v1/)."""

from django.urls import path

from advocacy.reach import api_reports

urlpatterns = [
    path("reach/report/", api_reports.ReportApi.as_view(), name="api_reach_report"),
    path("reach/report/units/", api_reports.ReportUnitsApi.as_view(), name="api_reach_report_units"),
    path(
        "reach/report/unattributed-posts/",
        api_reports.PostsUnattributedApi.as_view(),
        name="api_reach_report_unattributed_posts",
    ),
]
