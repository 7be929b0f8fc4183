"""Role × URL rows for the reach reports (see tests/test_access.py, which collects every
tests/<app>/access_rows*.py)."""

from tests.access import Row

REPORT_READERS = frozenset({"manager", "curator", "moderator", "admin"})
WEB_SOCIAL = frozenset({"curator", "moderator", "admin"})

ROWS = [
    Row("reach_reports", allowed=REPORT_READERS),
    Row("reach_reports_export", kwargs={"fmt": "csv"}, allowed=REPORT_READERS),
    Row("reach_reports_export", kwargs={"fmt": "xlsx"}, allowed=REPORT_READERS),
    Row("reach_reports_method"),
    Row("reach_posts_unattributed", allowed=WEB_SOCIAL),
    Row("api_reach_report", api=True, allowed=REPORT_READERS),
    Row("api_reach_report_units", api=True, allowed=REPORT_READERS),
    Row("api_reach_report_unattributed_posts", api=True, allowed=WEB_SOCIAL),
]
