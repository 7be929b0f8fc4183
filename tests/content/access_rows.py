"""Role × URL rows of the content app (see tests/test_access.py): the curators' and
moderators' workspace, the guideline pages and check, stories and discussions."""

from content import workflow
from content.models import Kit
from tests.access import SIGNED_IN, Row
from tests.accounts.factories import UserFactory
from tests.content.factories import allow_default_domains, guideline_page, make_kit, make_story, message

STAFF = frozenset({"curator", "moderator", "admin"})
CURATORS = frozenset({"curator"})
MODERATORS = frozenset({"moderator"})
QUEUE = frozenset({"moderator", "admin"})
ARCHIVERS = frozenset({"curator", "moderator"})
PARTICIPANTS = frozenset({"ambassador", "curator", "moderator", "admin"})
EDITORS = frozenset({"curator", "admin"})
STORY_ROLES = frozenset({"ambassador", "curator"})
AMBASSADORS = frozenset({"ambassador"})  # also the author of the story in the context


def build_context(ctx):
    """Kits in the statuses the action URLs need, written by another curator so that the
    test's moderator may approve them; a testimonial with a photo and a signed form; a
    guideline page; a published kit with a message in its thread."""
    allow_default_domains()
    people = ctx["people"]
    other = UserFactory(unit=ctx["org"]["dg"], curator=True)
    ctx["kit_draft"] = make_kit(author=other, status=Kit.Status.DRAFT)
    ctx["kit_submitted"] = make_kit(author=other, status=Kit.Status.SUBMITTED)
    ctx["kit_published"] = make_kit(author=other, status=Kit.Status.PUBLISHED)
    ctx["kit_archivable"] = make_kit(author=other, status=Kit.Status.DRAFT)
    ctx["guideline_page"] = guideline_page(people["admin"])
    story = make_story(people["ambassador"], kind="job_seeker", photos=1, signed_form=True)
    ctx["story"] = story
    ctx["story_photo"] = story.photos.first()
    kit = make_kit(status=Kit.Status.PUBLISHED, title="Kit pour discuter")
    ctx["discussion_kit"] = kit
    ctx["message"] = message(people["ambassador"], kit=kit)


def _pk(name):
    return lambda ctx: {"pk": ctx[name].pk}


def _visual(ctx):
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
    Row("guidelines_index", allowed=SIGNED_IN),
    Row("guidelines_check", allowed=SIGNED_IN),
    Row("guidelines_check", method="post", data={"text": "Le site préféré", "network": "x"}, allowed=SIGNED_IN),
    Row("guideline_page", kwargs=lambda ctx: {"slug": ctx["guideline_page"].slug}, allowed=SIGNED_IN),
    Row("guideline_page_create", allowed=EDITORS),
    Row("guideline_page_edit", kwargs=lambda ctx: {"slug": ctx["guideline_page"].slug}, allowed=EDITORS),
    Row("story_list", allowed=STORY_ROLES),
    Row("story_propose", allowed=AMBASSADORS),
    Row("story_detail", kwargs=_pk("story"), allowed=STORY_ROLES),
    Row("story_edit", kwargs=_pk("story"), allowed=AMBASSADORS),
    Row("story_edit", method="post", kwargs=_pk("story"), data={"title": "T", "body": "B"}, allowed=AMBASSADORS),
    Row("story_photo", kwargs=lambda ctx: {"pk": ctx["story_photo"].pk}, allowed=STORY_ROLES),
    Row("story_consent_form", kwargs=_pk("story"), allowed=CURATORS),
    Row("story_to_kit", method="post", kwargs=_pk("story"), allowed=CURATORS),
    Row("story_decline", method="post", kwargs=_pk("story"), data={"note": "Déjà traité."}, allowed=CURATORS),
    Row("consent_withdraw", method="post", kwargs=_pk("story"), data={"note": "Par téléphone."}, allowed=STORY_ROLES),
    Row("discussion_general", allowed=PARTICIPANTS),
    Row("discussion_kit", kwargs=lambda ctx: {"slug": ctx["discussion_kit"].slug}, allowed=PARTICIPANTS),
    Row(
        "discussion_hide",
        method="post",
        kwargs=lambda ctx: {"pk": ctx["message"].pk},
        data={"reason": "Hors sujet."},
        allowed=MODERATORS,
    ),
    Row(
        "api_guidelines_check",
        method="post",
        api=True,
        data={"text": "Le site préféré", "network": "x"},
        allowed=SIGNED_IN,
    ),
    Row("api_stories", api=True, allowed=AMBASSADORS),
    Row("api_story", kwargs=_pk("story"), api=True, allowed=STORY_ROLES),
    Row("api_story", method="patch", kwargs=_pk("story"), api=True, data={}, allowed=AMBASSADORS),
    Row(
        "api_story_consent_withdraw",
        method="post",
        kwargs=_pk("story"),
        api=True,
        data={"note": "Par téléphone."},
        allowed=STORY_ROLES,
    ),
    Row("api_curation_stories", api=True, allowed=CURATORS),
]
