"""The link allowlist: kits may only point to https addresses on domains admins approved."""

from urllib.parse import urlsplit

from django.utils.translation import gettext as _


def allowed_domains() -> list[str]:
    from content.models import AllowedDomain

    return list(AllowedDomain.objects.values_list("domain", flat=True))


def host_is_allowed(host: str, domains: list[str]) -> bool:
    """True when `host` is one of `domains` or a subdomain of one (never a lookalike suffix)."""
    host = (host or "").lower().rstrip(".")
    return any(host == domain or host.endswith("." + domain) for domain in domains)


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
    if domains is None:
        domains = allowed_domains()
    if not host_is_allowed(parts.hostname, domains):
        return _("Le domaine « %(host)s » ne fait pas partie des domaines autorisés.") % {"host": parts.hostname}
    return None
