"""Pages of the content library: the curators' and moderators' workspace under
/contenus/, the guideline pages and check, field stories and discussions."""

from django.urls import path

from content.views import discussions, guidelines, kits, stories

urlpatterns = [
    # The curators' and moderators' workspace
    path("contenus/", kits.kit_library, name="kit_library"),
    path("contenus/nouveau/", kits.kit_create, name="kit_create"),
    path("contenus/apercu/", kits.kit_preview, name="kit_preview"),
    path("contenus/moderation/", kits.kit_queue, name="kit_queue"),
    path("contenus/calendrier/", kits.kit_calendar, name="kit_calendar"),
    path("contenus/<int:pk>/", kits.kit_detail, name="kit_detail"),
    path("contenus/<int:pk>/modifier/", kits.kit_edit, name="kit_edit"),
    path("contenus/<int:pk>/versions/", kits.kit_versions, name="kit_versions"),
    path("contenus/<int:pk>/visuels/", kits.kit_visual_add, name="kit_visual_add"),
    path("contenus/<int:pk>/visuels/<int:visual_pk>/retirer/", kits.kit_visual_remove, name="kit_visual_remove"),
    path("contenus/<int:pk>/soumettre/", kits.kit_submit, name="kit_submit"),
    path("contenus/<int:pk>/demander-des-modifications/", kits.kit_request_changes, name="kit_request_changes"),
    path("contenus/<int:pk>/approuver/", kits.kit_approve, name="kit_approve"),
    path("contenus/<int:pk>/archiver/", kits.kit_archive, name="kit_archive"),
    path("contenus/<int:pk>/retirer/", kits.kit_retract, name="kit_retract"),
    # Guidelines
    path("bonnes-pratiques/", guidelines.guidelines_index, name="guidelines_index"),
    path("bonnes-pratiques/verifier/", guidelines.guidelines_check, name="guidelines_check"),
    path("bonnes-pratiques/nouvelle-page/", guidelines.guideline_page_create, name="guideline_page_create"),
    path("bonnes-pratiques/<slug:slug>/", guidelines.guideline_page, name="guideline_page"),
    path("bonnes-pratiques/<slug:slug>/modifier/", guidelines.guideline_page_edit, name="guideline_page_edit"),
    # Field stories and testimonials
    path("histoires/", stories.story_list, name="story_list"),
    path("histoires/proposer/", stories.story_propose, name="story_propose"),
    path("histoires/<int:pk>/", stories.story_detail, name="story_detail"),
    path("histoires/<int:pk>/modifier/", stories.story_edit, name="story_edit"),
    path("histoires/<int:pk>/formulaire-signe/", stories.story_consent_form, name="story_consent_form"),
    path("histoires/<int:pk>/creer-un-kit/", stories.story_to_kit, name="story_to_kit"),
    path("histoires/<int:pk>/ne-pas-retenir/", stories.story_decline, name="story_decline"),
    path("histoires/<int:pk>/retrait-du-consentement/", stories.consent_withdraw, name="consent_withdraw"),
    path("histoires/photos/<int:pk>/", stories.story_photo, name="story_photo"),
    # Discussions
    path("discussions/", discussions.discussion_general, name="discussion_general"),
    path("discussions/kits/<slug:slug>/", discussions.discussion_kit, name="discussion_kit"),
    path("discussions/messages/<int:pk>/masquer/", discussions.discussion_hide, name="discussion_hide"),
]
