"""Values every page needs: the brand (from settings) and the person's menu."""

from django.conf import settings
from django.utils.functional import SimpleLazyObject

from accounts.access import roles_of
from advocacy import navigation


def _current_nav_url(entries, path: str) -> str:
    """The menu entry the page belongs to: the longest entry URL the path starts with,
    so /contenus/calendrier/ marks "Calendrier" and not also "Bibliothèque" (/contenus/)."""
    from advocacy.templatetags.app_tags import is_current

    urls = [entry.url for entry in entries if is_current(entry.url, path)]
    return max(urls, key=len, default="")


def platform(request):
    user = getattr(request, "user", None)
    # Filtered once per page, for the menu and for its current entry.
    entries = SimpleLazyObject(lambda: navigation.entries_for(user, where="menu"))
    return {
        "current_nav_url": SimpleLazyObject(lambda: _current_nav_url(entries, request.path)),
        "BRAND": settings.BRAND,
        "DEMO_MODE": settings.DEMO_MODE,
        "nav_entries": entries,
        # What the rendered menu depends on, besides the language and the current entry.
        "nav_key": SimpleLazyObject(lambda: ",".join(entry.url_name for entry in entries)),
        "user_roles": SimpleLazyObject(lambda: roles_of(user)),
    }
