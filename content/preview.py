"""How each suggested text will look once posted on each network, for the kit editor.

The post is the one the guideline engine judges (content.guidelines.post_as_published:
the text, then the kit's hashtags it does not already carry, then the link); its length
is counted as the network counts it.
"""

from dataclasses import dataclass

from accounts.models import Network
from content import guidelines

# Instagram does not make links in a post clickable: ambassadors put them in their bio.
LINK_NOT_CLICKABLE = frozenset({Network.INSTAGRAM})


def network_length(text: str, network: str) -> int:
    return guidelines.weighted_length(text, network)


def network_limit(network: str) -> int:
    return guidelines.NETWORK_LIMITS.get(network, 0)


@dataclass(frozen=True)
class Card:
    network: str
    label: str
    post: str
    length: int
    limit: int
    link_clickable: bool

    @property
    def is_too_long(self) -> bool:
        return self.length > self.limit

    @property
    def remaining(self) -> int:
        return self.limit - self.length


@dataclass(frozen=True)
class TextPreview:
    number: int
    cards: list[Card]


def previews(*, texts: list[dict], hashtags: list[str], link: str) -> list[TextPreview]:
    """One card per network each text is meant for (all networks when it names none)."""
    result = []
    labels = dict(Network.choices)
    for number, text in enumerate(texts, start=1):
        body = (text.get("body") or "").strip()
        if not body:
            continue
        networks = text.get("networks") or Network.values
        cards = []
        for network in Network.values:
            if network not in networks:
                continue
            post = guidelines.post_as_published(body, link=link, hashtags=hashtags)
            cards.append(
                Card(
                    network=network,
                    label=str(labels[network]),
                    post=post,
                    length=network_length(post, network),
                    limit=network_limit(network),
                    link_clickable=network not in LINK_NOT_CLICKABLE,
                )
            )
        result.append(TextPreview(number=number, cards=cards))
    return result
