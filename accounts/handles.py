"""Validation of social network handles, each by its own network's rules.

Each function takes what a person typed (a bare name, an @name or a profile address)
and returns the canonical form the platform stores, or raises a ValidationError whose
message says in French what the network expects.
"""

import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from accounts.models import Network


@dataclass(frozen=True)
class CanonicalHandle:
    handle: str
    instance: str = ""


_DOMAIN_LABEL = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$")


def _strip_profile_url(raw: str, hosts: tuple[str, ...], prefix: str = "") -> str:
    """Turn https://host/<prefix>name/ into name; leave anything else unchanged."""
    value = raw.strip()
    if "://" not in value and not value.lower().startswith(hosts):
        return value
    parts = urlsplit(value if "://" in value else f"https://{value}")
    host = (parts.hostname or "").lower()
    if host not in hosts:
        raise ValidationError(_("Cette adresse n’est pas celle d’un profil de ce réseau."))
    path = parts.path.strip("/")
    if prefix:
        if not path.startswith(prefix):
            raise ValidationError(_("Cette adresse n’est pas celle d’un profil de ce réseau."))
        path = path[len(prefix) :]
    return path.split("/")[0]


def _is_domain(value: str) -> bool:
    if len(value) > 253 or "." not in value:
        return False
    labels = value.split(".")
    if not all(_DOMAIN_LABEL.match(label) for label in labels):
        return False
    # A top-level domain never starts with a digit.
    return not labels[-1][0].isdigit()


def validate_x(raw: str) -> CanonicalHandle:
    value = _strip_profile_url(raw, ("x.com", "www.x.com", "twitter.com", "www.twitter.com", "mobile.twitter.com"))
    value = value.removeprefix("@")
    if not re.fullmatch(r"[A-Za-z0-9_]{1,15}", value):
        raise ValidationError(
            _("Un nom d’utilisateur X compte de 1 à 15 caractères : lettres sans accent, chiffres et « _ ».")
        )
    lowered = value.lower()
    if "twitter" in lowered or "admin" in lowered:
        raise ValidationError(_("X n’accepte pas de nom d’utilisateur contenant « Twitter » ou « Admin »."))
    # X handles are case-insensitive; the lower-case form makes attribution exact.
    return CanonicalHandle(lowered)


def validate_linkedin(raw: str) -> CanonicalHandle:
    value = _strip_profile_url(raw, ("linkedin.com", "www.linkedin.com", "fr.linkedin.com"), prefix="in/")
    value = value.removeprefix("in/")
    if not re.fullmatch(r"[A-Za-z0-9-]{3,100}", value):
        raise ValidationError(
            _(
                "L’adresse publique LinkedIn (après linkedin.com/in/) compte de 3 à 100 caractères : "
                "lettres sans accent, chiffres et tirets."
            )
        )
    return CanonicalHandle(value.lower())


def validate_facebook(raw: str) -> CanonicalHandle:
    value = _strip_profile_url(raw, ("facebook.com", "www.facebook.com", "m.facebook.com", "fr-fr.facebook.com"))
    if not re.fullmatch(r"[A-Za-z0-9.]{5,50}", value) or value.replace(".", "") == "":
        raise ValidationError(
            _("Un nom d’utilisateur Facebook compte au moins 5 caractères : lettres sans accent, chiffres et points.")
        )
    if value.lower().endswith((".com", ".net")):
        raise ValidationError(_("Facebook n’accepte pas de nom d’utilisateur finissant par .com ou .net."))
    return CanonicalHandle(value.lower())


def validate_instagram(raw: str) -> CanonicalHandle:
    value = _strip_profile_url(raw, ("instagram.com", "www.instagram.com"))
    value = value.removeprefix("@")
    if not re.fullmatch(r"[A-Za-z0-9._]{1,30}", value) or value.startswith(".") or value.endswith(".") or ".." in value:
        raise ValidationError(
            _(
                "Un nom d’utilisateur Instagram compte au plus 30 caractères : lettres sans accent, chiffres, "
                "points et « _ », sans point au début, à la fin ni deux points de suite."
            )
        )
    return CanonicalHandle(value.lower())


def validate_bluesky(raw: str) -> CanonicalHandle:
    value = _strip_profile_url(raw, ("bsky.app",), prefix="profile/")
    value = value.removeprefix("@").lower()
    if not _is_domain(value):
        raise ValidationError(
            _("Un identifiant Bluesky est un nom de domaine, par exemple « prenom-nom.bsky.social ».")
        )
    return CanonicalHandle(value)


def validate_mastodon(raw: str, instance: str = "") -> CanonicalHandle:
    """A Mastodon account. An error about the instance typed in its own field carries the
    code "instance", so that forms show it under that field rather than the handle's."""
    value = raw.strip()
    # Where a wrong instance came from: its own field, or the handle (@name@host, a URL).
    instance_code = "instance" if instance.strip() else "invalid"
    if "://" in value:
        parts = urlsplit(value)
        instance = instance or (parts.hostname or "")
        value = parts.path.strip("/").split("/")[0]
    value = value.removeprefix("@")
    if "@" in value:
        value, _sep, from_handle = value.partition("@")
        if instance and from_handle.lower() != instance.lower():
            raise ValidationError(
                _("L’instance indiquée ne correspond pas à celle de l’identifiant."), code=instance_code
            )
        instance = from_handle
        instance_code = "invalid"
    instance = instance.strip().lower().removeprefix("https://").strip("/")
    if not re.fullmatch(r"[A-Za-z0-9_]{1,30}", value):
        raise ValidationError(
            _("Un nom d’utilisateur Mastodon compte de 1 à 30 caractères : lettres sans accent, chiffres et « _ ».")
        )
    if not instance:
        raise ValidationError(_("Indiquez l’instance Mastodon, par exemple « mastodon.social »."), code="instance")
    if not _is_domain(instance):
        raise ValidationError(
            _("L’instance Mastodon doit être un nom de domaine, par exemple « mastodon.social »."), code=instance_code
        )
    # Mastodon usernames are case-insensitive for lookups.
    return CanonicalHandle(value.lower(), instance)


VALIDATORS = {
    Network.X: validate_x,
    Network.LINKEDIN: validate_linkedin,
    Network.FACEBOOK: validate_facebook,
    Network.INSTAGRAM: validate_instagram,
    Network.BLUESKY: validate_bluesky,
}


def canonical_handle(network: str, raw: str, instance: str = "") -> CanonicalHandle:
    """Validate `raw` by the rules of `network` and return its canonical form."""
    if not raw or not raw.strip():
        raise ValidationError(_("Indiquez votre identifiant sur ce réseau."))
    if network == Network.MASTODON:
        return validate_mastodon(raw, instance)
    try:
        validator = VALIDATORS[Network(network)]
    except ValueError as exc:
        raise ValidationError(_("Réseau inconnu.")) from exc
    return validator(raw)
