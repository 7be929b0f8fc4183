"""Role × URL rows for the curators' and moderators' workspace (see tests/test_access.py)."""

from content.models import Kit
from tests.access import Row
from tests.accounts.factories import UserFactory
from tests.content.factories import allow_default_domains, make_kit

STAFF = frozenset({"curator", "moderator", "admin"})
CURATORS = frozenset({"curator"})
MODERATORS = frozenset({"moderator"})
QUEUE = frozenset({"moderator", "admin"})
ARCHIVERS = frozenset({"curator", "moderator"})


def build_context(ctx):
    """Kits in the statuses the action URLs need, written by another curator so that the
    test's moderator may approve them."""
    allow_default_domains()
    other = UserFactory(unit=ctx["org"]["dg"], curator=True)
    ctx["kit_draft"] = make_kit(author=other, status=Kit.Status.DRAFT)
    ctx["kit_submitted"] = make_kit(author=other, status=Kit.Status.SUBMITTED)
    ctx["kit_published"] = make_kit(author=other, status=Kit.Status.PUBLISHED)
    ctx["kit_archivable"] = make_kit(author=other, status=Kit.Status.DRAFT)


def _pk(name):
    return lambda ctx: {"pk": ctx[name].pk}


def _visual(ctx):
    from content import workflow

    kit = ctx["kit_draft"]
    visual = workflow.kit_visual_add(kit=kit, by=kit.author, video_url="https://www.francetravail.fr/video")
    return {"pk": kit.pk, "visual_pk": visual.pk}


ROWS = [
    Row("kit_library", allowed=STAFF),
    Row("kit_create", allowed=CURATORS),
    Row("kit_create", method="post", allowed=CURATORS),
    Row("kit_preview", method="post", allowed=CURATORS, data={"texts-TOTAL_FORMS": "0", "texts-INITIAL_FORMS": "0"}),
    Row("kit_queue", allowed=QUEUE),
    Row("kit_calendar", allowed=STAFF),
    Row("kit_detail", kwargs=_pk("kit_draft"), allowed=STAFF),
    Row("kit_edit", kwargs=_pk("kit_draft"), allowed=CURATORS),
    Row("kit_versions", kwargs=_pk("kit_draft"), allowed=STAFF),
    Row("kit_visual_add", method="post", kwargs=_pk("kit_draft"), allowed=CURATORS),
    Row("kit_visual_remove", method="post", kwargs=_visual, allowed=CURATORS),
    Row("kit_submit", method="post", kwargs=_pk("kit_draft"), allowed=CURATORS),
    Row("kit_request_changes", method="post", kwargs=_pk("kit_submitted"), allowed=MODERATORS),
    Row("kit_approve", method="post", kwargs=_pk("kit_submitted"), allowed=MODERATORS),
    Row("kit_archive", method="post", kwargs=_pk("kit_archivable"), allowed=ARCHIVERS),
    Row("kit_retract", method="post", kwargs=_pk("kit_published"), allowed=MODERATORS),
    Row("api_kits", allowed=STAFF, api=True),
    Row("api_kits", method="post", allowed=CURATORS, api=True, data={}),
    Row("api_kit", kwargs=_pk("kit_draft"), allowed=STAFF, api=True),
    Row("api_kit", method="patch", kwargs=_pk("kit_draft"), allowed=CURATORS, api=True, data={}),
    Row("api_kit_submit", method="post", kwargs=_pk("kit_draft"), allowed=CURATORS, api=True, data={}),
    Row("api_kit_request_changes", method="post", kwargs=_pk("kit_submitted"), allowed=MODERATORS, api=True, data={}),
    Row("api_kit_approve", method="post", kwargs=_pk("kit_submitted"), allowed=MODERATORS, api=True, data={}),
    Row("api_kit_retract", method="post", kwargs=_pk("kit_published"), allowed=MODERATORS, api=True, data={}),
    Row("api_kit_archive", method="post", kwargs=_pk("kit_archivable"), allowed=ARCHIVERS, api=True, data={}),
]
