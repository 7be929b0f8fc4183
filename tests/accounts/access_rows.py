"""Role × URL rows for the accounts pages and API (see tests/test_access.py)."""

from tests.access import EVERYONE, SIGNED_IN, Row

ROWS = [
    Row("home", allowed=EVERYONE),
    Row("healthz", allowed=EVERYONE),
    Row("favicon", allowed=EVERYONE),
    Row("privacy", allowed=EVERYONE),
    Row("accessibility", allowed=EVERYONE),
    Row("legal_notice", allowed=EVERYONE),
    Row("mfa_required", allowed=SIGNED_IN),
    Row("programme", allowed=SIGNED_IN),
    Row("charter_version", kwargs=lambda ctx: {"number": ctx["charter"].number}, allowed=SIGNED_IN),
    Row("programme_leave", method="post", allowed=SIGNED_IN),
    Row("profile", allowed=SIGNED_IN),
    Row("handle_edit", kwargs={"network": "x"}, allowed=SIGNED_IN),
    Row("handle_remove", method="post", kwargs={"network": "x"}, allowed=SIGNED_IN),
    Row("profile_export", allowed=SIGNED_IN),
    Row("api_token", method="post", allowed=SIGNED_IN),
    Row("admin:login", allowed={"admin"}, follow=True),
    Row("admin:index", allowed={"admin"}, follow=True),
    Row("api_me", allowed=SIGNED_IN, api=True),
    Row("api_me_handles", allowed=SIGNED_IN, api=True),
    Row("api_me_handle", method="delete", kwargs={"network": "x"}, allowed=SIGNED_IN, api=True),
    Row("api_me_export", allowed=SIGNED_IN, api=True),
    Row("api_programme_join", method="post", allowed=SIGNED_IN, api=True),
    Row("api_programme_leave", method="post", allowed=SIGNED_IN, api=True),
    Row("api_charter_current", allowed=SIGNED_IN, api=True),
]
