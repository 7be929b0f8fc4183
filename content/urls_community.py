"""URLs of the guideline pages and check, field stories and discussions."""

from django.urls import path

from content import views_community as views

urlpatterns = [
    # Guidelines
    path("bonnes-pratiques/", views.guidelines_index, name="guidelines_index"),
    path("bonnes-pratiques/verifier/", views.guidelines_check, name="guidelines_check"),
    path("bonnes-pratiques/nouvelle-page/", views.guideline_page_create, name="guideline_page_create"),
    path("bonnes-pratiques/<slug:slug>/", views.guideline_page, name="guideline_page"),
    path("bonnes-pratiques/<slug:slug>/modifier/", views.guideline_page_edit, name="guideline_page_edit"),
    # Field stories and testimonials
    path("histoires/", views.story_list, name="story_list"),
    path("histoires/proposer/", views.story_propose, name="story_propose"),
    path("histoires/<int:pk>/", views.story_detail, name="story_detail"),
    path("histoires/<int:pk>/formulaire-signe/", views.story_consent_form, name="story_consent_form"),
    path("histoires/<int:pk>/creer-un-kit/", views.story_to_kit, name="story_to_kit"),
    path("histoires/<int:pk>/ne-pas-retenir/", views.story_decline, name="story_decline"),
    path("histoires/<int:pk>/retrait-du-consentement/", views.consent_withdraw, name="consent_withdraw"),
    path("histoires/photos/<int:pk>/", views.story_photo, name="story_photo"),
    # Discussions
    path("discussions/", views.discussion_general, name="discussion_general"),
    path("discussions/kits/<slug:slug>/", views.discussion_kit, name="discussion_kit"),
    path("discussions/messages/<int:pk>/masquer/", views.discussion_hide, name="discussion_hide"),
]
