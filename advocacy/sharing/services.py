"""Writes of the ambassador portal: tracked links, shares, post addresses, stored clicks."""

import datetime as dt
import hashlib
import logging
import re
import unicodedata
import uuid
from urllib.parse import urlsplit

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Network, SocialHandle, User
from accounts.services import can_share
from advocacy.errors import Conflict, DomainError
from advocacy.sharing import links
from advocacy.sharing.clicks import ClickKind
from advocacy.sharing.intents import Channel, clean_instance, full_post
from advocacy.sharing.models import Click, Share, TrackedLink

logger = logging.getLogger(__name__)

MAX_TEXT_LENGTH = 5000

# --- Texts ------------------------------------------------------------------------------

_URL_RE = re.compile(r"https?://\S+")


def text_fingerprint(text: str) -> str:
    """A hash of the words of a post, ignoring case, accents, spacing, punctuation and links.

    Two ambassadors who posted the suggested text as is get the same fingerprint, even
    when their tracked links differ.
    """
    text = _URL_RE.sub(" ", text or "")
    text = unicodedata.normalize("NFKD", text.casefold())
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    words = re.findall(r"[\w#@]+", text)
    return hashlib.sha256(" ".join(words).encode()).hexdigest()


def colleagues_with_same_text(*, kit, text: str, ambassador: User) -> int:
    """How many other ambassadors already shared this kit with these very words."""
    return (
        Share.objects.filter(kit=kit, text_hash=text_fingerprint(text))
        .exclude(ambassador=ambassador)
        .exclude(ambassador__isnull=True)
        .values("ambassador")
        .distinct()
        .count()
    )


def guideline_network(channel: str) -> str:
    """The network whose rules apply to a channel ("" for e-mail and plain copy: general rules only)."""
    return channel if channel in Network.values else ""


def guideline_findings(*, kit, channel: str, text: str) -> list:
    """The content library's guideline findings on the post as it will be published."""
    try:
        from content.guidelines import check_text
    except ImportError:  # the guideline checks are not installed yet
        return []
    post = full_post(text, kit.link, kit.hashtags or [])
    return list(check_text(text=post, network=guideline_network(channel), link=kit.link))


def _has_blocking(findings) -> bool:
    try:
        from content.guidelines import has_blocking
    except ImportError:
        return any(getattr(f, "severity", "") == "blocking" for f in findings)
    return has_blocking(findings)


# --- Tracked links -----------------------------------------------------------------------


def tracked_links_ensure(*, ambassador: User, kit, channels=None) -> dict[str, TrackedLink]:
    """The ambassador's tracked link for `kit` on each channel, created when missing.

    Links exist before anything is shared, so the share page can show the exact post
    (and put it on the clipboard) in the click that opens the network.
    """
    channels = list(channels or Channel.values)
    existing = {
        link.channel: link for link in TrackedLink.objects.filter(ambassador=ambassador, kit=kit, channel__in=channels)
    }
    missing = [
        TrackedLink(ambassador=ambassador, unit_id=ambassador.unit_id, kit=kit, channel=c)
        for c in channels
        if c not in existing
    ]
    if missing:
        # A parallel request may create the same link: the unique constraint keeps one.
        TrackedLink.objects.bulk_create(missing, ignore_conflicts=True)
        existing = {
            link.channel: link
            for link in TrackedLink.objects.filter(ambassador=ambassador, kit=kit, channel__in=channels).select_related(
                "kit"
            )
        }
        links.warm([existing[c] for c in existing if c in {m.channel for m in missing}])
    return existing


# --- Shares -------------------------------------------------------------------------------


def _sharing_paused() -> bool:
    """A moderator's global pause (campaigns app) stops every new share during a crisis."""
    try:
        from advocacy.campaigns.selectors import pause_active
    except ImportError:
        return False
    return pause_active()


def _live_kit_for(ambassador: User, kit):
    from content.selectors import kits_live_for

    return kits_live_for(user=ambassador).filter(pk=kit.pk).first()


def share_check(*, ambassador: User, kit, channel: str, text: str) -> list:
    """Validate a share without writing it; returns the (non-blocking) findings.

    Raises DomainError when the person may not share, the kit is not live for them, the
    text is empty or too long, or a blocking guideline rule applies.
    """
    if not can_share(ambassador):
        raise DomainError(
            _("Acceptez la charte en vigueur des ambassadeur·rices pour partager."), code="charter_required"
        )
    if channel not in Channel.values:
        raise DomainError(_("Réseau inconnu."), field="network", code="unknown_network")
    if _sharing_paused():
        raise Conflict(
            _("Les partages sont suspendus par l’équipe web social pour le moment. Réessayez plus tard."),
            code="sharing_paused",
        )
    if _live_kit_for(ambassador, kit) is None:
        raise Conflict(_("Ce contenu n’est plus proposé au partage."), code="kit_not_live")
    text = (text or "").strip()
    if not text:
        raise DomainError(_("Écrivez le texte de votre publication."), field="text", code="empty_text")
    if len(text) > MAX_TEXT_LENGTH:
        raise DomainError(_("Ce texte est trop long."), field="text", code="text_too_long")
    findings = guideline_findings(kit=kit, channel=channel, text=text)
    if _has_blocking(findings):
        blocking = [f for f in findings if getattr(f, "severity", "") == "blocking"]
        detail = " ".join(str(getattr(f, "message", "")) for f in blocking)
        raise DomainError(
            _("Ce texte ne respecte pas les règles de publication : %(detail)s") % {"detail": detail},
            field="text",
            code="guideline_blocking",
        )
    return findings


@transaction.atomic
def share_record(*, ambassador: User, kit, network: str, text: str) -> Share:
    """Record that `ambassador` shares `kit` on `network` with `text`, through their tracked link."""
    share_check(ambassador=ambassador, kit=kit, channel=network, text=text)
    text = text.strip()
    link = tracked_links_ensure(ambassador=ambassador, kit=kit, channels=[network])[network]
    return Share.objects.create(
        ambassador=ambassador,
        unit_id=ambassador.unit_id,
        job_function=ambassador.job_function,
        kit=kit,
        channel=network,
        text=text,
        text_hash=text_fingerprint(text),
        link=link,
    )


_POST_HOSTS = {
    Channel.X: ("x.com", "twitter.com"),
    Channel.LINKEDIN: ("linkedin.com",),
    Channel.FACEBOOK: ("facebook.com", "fb.com", "fb.watch"),
    Channel.BLUESKY: ("bsky.app",),
}


def _host_matches(host: str, domains) -> bool:
    return any(host == domain or host.endswith("." + domain) for domain in domains)


def share_attach_post(*, share: Share, by: User, post_url: str) -> Share:
    """Tie the address of the published post to the share; it must be a post of that network."""
    if share.ambassador_id != by.pk:
        raise DomainError(_("Ce partage n’est pas le vôtre."), code="not_yours")
    post_url = (post_url or "").strip()
    try:
        parts = urlsplit(post_url)
        host = (parts.hostname or "").lower()
    except ValueError:
        parts, host = None, ""
    if parts is None or parts.scheme != "https" or not host or len(post_url) > 500:
        raise DomainError(_("Collez l’adresse complète de votre publication (https://…)."), field="post_url")
    if share.channel == Channel.MASTODON:
        instances = [clean_instance(h.instance) for h in SocialHandle.objects.filter(user=by, network=Network.MASTODON)]
        allowed = tuple(i for i in instances if i)
        # Without a declared instance, a Mastodon post is recognised by its "/@account/" path.
        ok = _host_matches(host, allowed) if allowed else parts.path.startswith("/@")
    elif share.channel in _POST_HOSTS:
        ok = _host_matches(host, _POST_HOSTS[share.channel])
    else:
        raise DomainError(_("Un partage par e-mail ou par copie n’a pas d’adresse de publication."), field="post_url")
    if not ok:
        raise DomainError(
            _("Cette adresse n’est pas une publication %(network)s.") % {"network": share.get_channel_display()},
            field="post_url",
            code="wrong_network",
        )
    share.post_url = post_url
    share.save(update_fields=["post_url"])
    return share


# --- Clicks ---------------------------------------------------------------------------------


def _click_from_event(event: dict) -> Click | None:
    try:
        at = dt.datetime.fromtimestamp(float(event["at"]), tz=dt.UTC)
        kind = event["kind"] if event.get("kind") in ClickKind.values else ClickKind.BOT
        return Click(
            event_id=uuid.UUID(str(event["id"])),
            link_id=int(event["link"]),
            at=at,
            day=dt.date.fromisoformat(event.get("day") or timezone.localdate(at).isoformat()),
            kind=kind,
            visitor_hash=str(event.get("visitor") or "")[:32],
            referrer_host=str(event.get("referrer") or "")[:253],
        )
    except (KeyError, TypeError, ValueError):
        logger.warning("click event skipped: malformed")
        return None


def clicks_store(events: list[dict]) -> int:
    """Write buffered click events; an event already stored (same id) is not stored again."""
    clicks = [click for click in map(_click_from_event, events) if click is not None]
    known = set(TrackedLink.objects.filter(pk__in={c.link_id for c in clicks}).values_list("pk", flat=True))
    clicks = [click for click in clicks if click.link_id in known]
    Click.objects.bulk_create(clicks, ignore_conflicts=True, batch_size=1000)
    return len(clicks)
