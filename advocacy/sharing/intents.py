"""Each network's own share link ("intent"), built from a text, hashtags and a tracked link.

Sharing uses no network API and stores no access token: the portal opens the network's
public share page pre-filled with what that network allows, so nothing breaks when a
network closes or prices its API.
"""

import re
from dataclasses import dataclass
from urllib.parse import quote

from django.db import models
from django.utils.translation import gettext_lazy as _


class Channel(models.TextChoices):
    """Where an ambassador shares: the networks with a web share page, e-mail, or a plain copy.

    The values of the networks are those of accounts.Network, so figures join on them.
    Instagram has no web share page, so it is not offered.
    """

    X = "x", "X"
    LINKEDIN = "linkedin", "LinkedIn"
    FACEBOOK = "facebook", "Facebook"
    BLUESKY = "bluesky", "Bluesky"
    MASTODON = "mastodon", "Mastodon"
    EMAIL = "email", _("E-mail")
    COPY = "copy", _("Copie du texte")


# LinkedIn and Facebook take a link only: LinkedIn dropped pre-filled text from its share
# page, and Facebook's platform rules forbid pre-filling what a person posts. The text goes
# to the clipboard so the ambassador can paste it themselves.
CLIPBOARD_CHANNELS = frozenset({Channel.LINKEDIN, Channel.FACEBOOK, Channel.COPY})

# A host name as Mastodon instances have: letters, digits, hyphens, dots, an optional port.
_INSTANCE_RE = re.compile(r"^(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}(?::\d{1,5})?$")


@dataclass(frozen=True)
class ShareIntent:
    channel: str
    # The address to open in a new tab, or "" when the channel is a plain copy.
    url: str
    # What the portal puts on the clipboard before opening `url` ("" when nothing).
    clipboard: str


def _q(value: str) -> str:
    # Spaces as %20, not "+": mailto: and several share pages read "+" literally.
    return quote(value, safe="")


def _missing_hashtags(text: str, hashtags) -> list[str]:
    present = {tag.lower() for tag in re.findall(r"#(\w+)", text)}
    return [tag.lstrip("#") for tag in hashtags if tag and tag.lstrip("#").lower() not in present]


def with_hashtags(text: str, hashtags) -> str:
    """The text followed by the kit's hashtags it does not already carry."""
    missing = _missing_hashtags(text, hashtags)
    text = text.strip()
    if not missing:
        return text
    return f"{text}\n\n{' '.join('#' + tag for tag in missing)}".strip()


def full_post(text: str, link: str, hashtags=()) -> str:
    """The whole post as the ambassador would publish it: text, hashtags, tracked link."""
    return f"{with_hashtags(text, hashtags)}\n\n{link}".strip()


def clean_instance(instance: str) -> str:
    """A Mastodon instance host name, or "" when the value is not one (so no URL is built on it)."""
    host = (instance or "").strip().lower()
    host = re.sub(r"^https?://", "", host).rstrip("/")
    return host if _INSTANCE_RE.match(host) else ""


def share_intent(
    channel: str, *, text: str, link: str, hashtags=(), subject: str = "", mastodon_instance: str = ""
) -> ShareIntent | None:
    """The share link of `channel` carrying `text`, `hashtags` and the tracked `link`.

    Returns None for Mastodon when the ambassador has declared no instance: the share
    page lives on their own server and there is no global one to fall back to.
    """
    if channel == Channel.X:
        # X takes the hashtags apart (comma separated, without "#") and appends the link itself.
        tags = ",".join(_missing_hashtags(text, hashtags))
        url = f"https://x.com/intent/post?text={_q(text.strip())}&url={_q(link)}"
        if tags:
            url += f"&hashtags={_q(tags)}"
        return ShareIntent(channel, url, "")
    if channel == Channel.LINKEDIN:
        return ShareIntent(
            channel, f"https://www.linkedin.com/sharing/share-offsite/?url={_q(link)}", with_hashtags(text, hashtags)
        )
    if channel == Channel.FACEBOOK:
        return ShareIntent(
            channel, f"https://www.facebook.com/sharer/sharer.php?u={_q(link)}", with_hashtags(text, hashtags)
        )
    if channel == Channel.BLUESKY:
        return ShareIntent(channel, f"https://bsky.app/intent/compose?text={_q(full_post(text, link, hashtags))}", "")
    if channel == Channel.MASTODON:
        host = clean_instance(mastodon_instance)
        if not host:
            return None
        return ShareIntent(channel, f"https://{host}/share?text={_q(full_post(text, link, hashtags))}", "")
    if channel == Channel.EMAIL:
        body = full_post(text, link, hashtags)
        return ShareIntent(channel, f"mailto:?subject={_q(subject)}&body={_q(body)}", "")
    if channel == Channel.COPY:
        return ShareIntent(channel, "", full_post(text, link, hashtags))
    raise ValueError(f"unknown channel {channel!r}")
