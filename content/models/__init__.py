"""Models of the content library, one module per part. Every model is imported here so
that Django (and the rest of the code) finds them all in `content.models`."""

from content.models.discussions import DiscussionMessage
from content.models.guidelines import GuidelinePage, GuidelineRule, SensitivePeriod, Severity
from content.models.kits import AllowedDomain, Kit, KitTransition, KitVersion, KitVisual, SuggestedText, Topic
from content.models.stories import Consent, Story, StoryPhoto

__all__ = [
    "AllowedDomain",
    "Consent",
    "DiscussionMessage",
    "GuidelinePage",
    "GuidelineRule",
    "Kit",
    "KitTransition",
    "KitVersion",
    "KitVisual",
    "SensitivePeriod",
    "Severity",
    "Story",
    "StoryPhoto",
    "SuggestedText",
    "Topic",
]
