"""The link allowlist for a kit's own link: an https address on a domain admins approved.

The domain rule itself (a domain also allows its subdomains) and the cached list of
domains belong to the guideline engine; this module only words the refusal for a form.
"""

from urllib.parse import urlsplit

from django.utils.translation import gettext as _

from content.guidelines import domain_allowed, load_allowed_domains


def link_problem(url: str, domains: list[str] | None = None) -> str | None:
    """Why `url` may not be a kit's link, in French, or None when it may."""
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return _("Ce lien n’est pas une adresse valide.")
    if parts.scheme != "https":
        return _("Le lien doit commencer par https://.")
    if not parts.hostname:
        return _("Ce lien n’est pas une adresse valide.")
    if parts.username or parts.password:
        return _("Le lien ne doit pas contenir d’identifiants.")
    if not domain_allowed(parts.hostname, load_allowed_domains() if domains is None else domains):
        return _("Le domaine « %(host)s » ne fait pas partie des domaines autorisés.") % {"host": parts.hostname}
    return None
