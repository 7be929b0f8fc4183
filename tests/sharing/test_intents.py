"""Each network's share link carries what that network allows, and always the tracked link."""

from urllib.parse import parse_qs, urlsplit

import pytest

from advocacy.sharing.intents import Channel, clean_instance, share_intent

LINK = "https://avecpoleemploi.example/s/AbCdEfGhIjKl"
TEXT = "Nos conseillers accompagnent 200 jeunes à Rennes ! #AvecPôleEmploi"
TAGS = ["AvecPôleEmploi", "Emploi"]


def _query(url):
    parts = urlsplit(url)
    return parts, {key: values[0] for key, values in parse_qs(parts.query).items()}


def test_x_intent_carries_text_link_and_missing_hashtags():
    intent = share_intent(Channel.X, text=TEXT, link=LINK, hashtags=TAGS)
    parts, query = _query(intent.url)
    assert (parts.scheme, parts.netloc, parts.path) == ("https", "x.com", "/intent/post")
    assert query == {"text": TEXT, "url": LINK, "hashtags": "Emploi"}
    assert intent.clipboard == ""


def test_x_intent_without_hashtags_has_no_empty_parameter():
    intent = share_intent(Channel.X, text="Bonjour", link=LINK, hashtags=[])
    assert "hashtags" not in intent.url


def test_linkedin_takes_the_link_only_and_the_text_goes_to_the_clipboard():
    intent = share_intent(Channel.LINKEDIN, text=TEXT, link=LINK, hashtags=TAGS)
    parts, query = _query(intent.url)
    assert (parts.netloc, parts.path) == ("www.linkedin.com", "/sharing/share-offsite/")
    assert query == {"url": LINK}
    assert intent.clipboard.startswith(TEXT) and "#Emploi" in intent.clipboard


def test_facebook_never_prefills_text():
    intent = share_intent(Channel.FACEBOOK, text=TEXT, link=LINK, hashtags=TAGS)
    parts, query = _query(intent.url)
    assert (parts.netloc, parts.path) == ("www.facebook.com", "/sharer/sharer.php")
    assert query == {"u": LINK}
    assert TEXT in intent.clipboard


def test_bluesky_compose_intent_holds_text_hashtags_and_link():
    intent = share_intent(Channel.BLUESKY, text=TEXT, link=LINK, hashtags=TAGS)
    parts, query = _query(intent.url)
    assert (parts.netloc, parts.path) == ("bsky.app", "/intent/compose")
    assert query["text"] == f"{TEXT}\n\n#Emploi\n\n{LINK}"


def test_mastodon_uses_the_ambassadors_own_instance():
    intent = share_intent(Channel.MASTODON, text=TEXT, link=LINK, hashtags=TAGS, mastodon_instance="Piaille.fr")
    parts, query = _query(intent.url)
    assert (parts.scheme, parts.netloc, parts.path) == ("https", "piaille.fr", "/share")
    assert query["text"].endswith(LINK)


@pytest.mark.parametrize("instance", ["", "evil.example/path?x=", "javascript:alert(1)", "a b.fr", "@x@y.fr"])
def test_mastodon_without_a_valid_instance_builds_no_link(instance):
    assert share_intent(Channel.MASTODON, text=TEXT, link=LINK, mastodon_instance=instance) is None


def test_instance_cleaning_accepts_a_pasted_address():
    assert clean_instance("https://mastodon.social/") == "mastodon.social"


def test_email_has_subject_and_body_with_the_link():
    intent = share_intent(Channel.EMAIL, text=TEXT, link=LINK, hashtags=TAGS, subject="À lire & partager")
    assert intent.url.startswith("mailto:?subject=")
    assert "+" not in intent.url  # spaces are %20: mail clients read "+" literally
    query = parse_qs(intent.url.split("?", 1)[1])
    assert query["subject"] == ["À lire & partager"]
    assert query["body"][0].endswith(LINK)


def test_plain_copy_puts_the_whole_post_on_the_clipboard():
    intent = share_intent(Channel.COPY, text=TEXT, link=LINK, hashtags=TAGS)
    assert intent.url == ""
    assert intent.clipboard == f"{TEXT}\n\n#Emploi\n\n{LINK}"


@pytest.mark.parametrize("channel", [c for c in Channel.values if c != Channel.COPY])
def test_every_share_link_carries_the_tracked_link(channel):
    intent = share_intent(channel, text=TEXT, link=LINK, hashtags=TAGS, mastodon_instance="mastodon.social")
    _parts, query = _query(intent.url) if not intent.url.startswith("mailto:") else (None, {})
    carried = " ".join(query.values()) if query else parse_qs(intent.url.split("?", 1)[1])["body"][0]
    assert LINK in carried
