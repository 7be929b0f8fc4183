"""Guideline pages (best practices, FAQ): saving them sanitised, reading them."""

from django.db import transaction
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.text import slugify
from django.utils.translation import gettext as _

from accounts.access import Role, can
from accounts.models import User
from advocacy import richtext
from advocacy.errors import DomainError
from content.models import GuidelinePage

EDITORS = (Role.CURATOR, Role.ADMIN)


def guideline_pages():
    return GuidelinePage.objects.only("slug", "title", "summary", "position", "updated_at").order_by(
        "position", "title"
    )


@transaction.atomic
def guideline_page_save(
    *, by: User, title: str, body: str, summary: str = "", slug: str = "", position: int = 0, page=None
) -> GuidelinePage:
    """Create or update a page; the body is sanitised here, before it is stored."""
    if not can(by, *EDITORS):
        raise DomainError(_("Seule l’équipe éditoriale peut modifier les bonnes pratiques."), code="forbidden")
    title = title.strip()
    if not title:
        raise DomainError(_("Donnez un titre à la page."), field="title")
    slug = slugify(slug or title)[:80]
    if not slug:
        raise DomainError(_("L’adresse de la page ne peut pas être vide."), field="slug")
    clash = GuidelinePage.objects.filter(slug=slug)
    if page is not None:
        clash = clash.exclude(pk=page.pk)
    if clash.exists():
        raise DomainError(_("Une autre page utilise déjà cette adresse."), field="slug")
    page = page or GuidelinePage()
    page.slug = slug
    page.title = title
    page.summary = summary.strip()
    page.body = richtext.sanitize(body)
    if not strip_tags(page.body).strip():
        # Also when the body only held what sanitising removes (a script, an image):
        # the page would be published blank.
        raise DomainError(
            _("Écrivez le contenu de la page : du texte, pas seulement des images ou du code, qui sont retirés."),
            field="body",
        )
    page.position = position
    page.updated_by = by
    page.updated_at = timezone.now()
    page.save()
    return page
