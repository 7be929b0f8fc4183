"""Role × URL rows of the guideline pages and check, stories and discussions."""

from tests.access import SIGNED_IN, Row

PARTICIPANTS = frozenset({"ambassador", "curator", "moderator", "admin"})
EDITORS = frozenset({"curator", "admin"})
STORY_ROLES = frozenset({"ambassador", "curator"})


def build_context(ctx):
    from content.models import Kit
    from tests.content.community_factories import guideline_page, make_story, message
    from tests.content.factories import make_kit

    people = ctx["people"]
    ctx["guideline_page"] = guideline_page(people["admin"])
    story = make_story(people["ambassador"], kind="job_seeker", photos=1, signed_form=True)
    ctx["story"] = story
    ctx["story_photo"] = story.photos.first()
    kit = make_kit(status=Kit.Status.PUBLISHED, title="Kit pour discuter")
    ctx["discussion_kit"] = kit
    ctx["message"] = message(people["ambassador"], kit=kit)


def _story(ctx):
    return {"pk": ctx["story"].pk}


ROWS = [
    Row("guidelines_index", allowed=SIGNED_IN),
    Row("guidelines_check", allowed=SIGNED_IN),
    Row("guidelines_check", method="post", data={"text": "Le site préféré", "network": "x"}, allowed=SIGNED_IN),
    Row("guideline_page", kwargs=lambda ctx: {"slug": ctx["guideline_page"].slug}, allowed=SIGNED_IN),
    Row("guideline_page_create", allowed=EDITORS),
    Row("guideline_page_edit", kwargs=lambda ctx: {"slug": ctx["guideline_page"].slug}, allowed=EDITORS),
    Row("story_list", allowed=STORY_ROLES),
    Row("story_propose", allowed=frozenset({"ambassador"})),
    Row("story_detail", kwargs=_story, allowed=STORY_ROLES),
    Row("story_photo", kwargs=lambda ctx: {"pk": ctx["story_photo"].pk}, allowed=STORY_ROLES),
    Row("story_consent_form", kwargs=_story, allowed=frozenset({"curator"})),
    Row("story_to_kit", method="post", kwargs=_story, allowed=frozenset({"curator"})),
    Row("story_decline", method="post", kwargs=_story, data={"note": "Déjà traité."}, allowed=frozenset({"curator"})),
    Row("consent_withdraw", method="post", kwargs=_story, data={"note": "Par téléphone."}, allowed=STORY_ROLES),
    Row("discussion_general", allowed=PARTICIPANTS),
    Row("discussion_kit", kwargs=lambda ctx: {"slug": ctx["discussion_kit"].slug}, allowed=PARTICIPANTS),
    Row(
        "discussion_hide",
        method="post",
        kwargs=lambda ctx: {"pk": ctx["message"].pk},
        data={"reason": "Hors sujet."},
        allowed=frozenset({"moderator"}),
    ),
    Row(
        "api_guidelines_check",
        method="post",
        api=True,
        data={"text": "Le site préféré", "network": "x"},
        allowed=SIGNED_IN,
    ),
    Row("api_stories", api=True, allowed=frozenset({"ambassador"})),
    Row("api_curation_stories", api=True, allowed=frozenset({"curator"})),
]
