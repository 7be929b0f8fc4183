"""Values every page needs: the brand (from settings) and the person's menu."""

from django.conf import settings
from django.utils.functional import SimpleLazyObject

from accounts.access import roles_of
from advocacy import navigation


def platform(request):
    user = getattr(request, "user", None)
    return {
        "BRAND": settings.BRAND,
        "DEMO_MODE": settings.DEMO_MODE,
        "nav_entries": SimpleLazyObject(lambda: navigation.entries_for(user, where="menu")),
        "user_roles": SimpleLazyObject(lambda: roles_of(user)),
    }
