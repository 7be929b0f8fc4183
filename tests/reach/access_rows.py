"""Role × URL rows for the reach pages and API (see tests/test_access.py)."""

from tests.access import Row

WEB_SOCIAL = frozenset({"curator", "admin"})


def build_context(ctx):
    from advocacy.reach.models import ImportJob

    ctx["import_job"] = ImportJob.objects.create(original_name="export.csv", status=ImportJob.Status.DONE)


ROWS = [
    Row("reach_import_list", allowed=WEB_SOCIAL),
    Row("reach_import_list", method="post", allowed=WEB_SOCIAL),
    Row("reach_import_detail", kwargs=lambda ctx: {"pk": ctx["import_job"].pk}, allowed=WEB_SOCIAL),
    Row("reach_import_rejections_csv", kwargs=lambda ctx: {"pk": ctx["import_job"].pk}, allowed=WEB_SOCIAL),
    Row("reach_import_progress", kwargs=lambda ctx: {"pk": ctx["import_job"].pk}, allowed=WEB_SOCIAL),
]
ROWS += [
    Row("api_reach_posts_ingest", method="post", allowed=WEB_SOCIAL, api=True, data={"posts": []}),
]
