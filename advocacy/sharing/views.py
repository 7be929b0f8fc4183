"""Pages of the ambassador portal: the feed, the share page of a kit, my impact."""

import functools
import hashlib
import inspect

from django.contrib import messages
from django.core.cache import cache
from django.core.paginator import Paginator
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.template.loader import get_template, render_to_string
from django.utils.timezone import localtime
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.access import Role, public, require_roles
from accounts.models import Network, SocialHandle
from accounts.services import can_share
from advocacy import dates
from advocacy.errors import DomainError
from advocacy.sharing import selectors, services
from advocacy.sharing.forms import PostUrlForm, ShareForm
from advocacy.sharing.intents import CLIPBOARD_CHANNELS, Channel, clean_instance, share_intent
from advocacy.sharing.models import Share
from advocacy.sharing.redirect import click_redirect  # noqa: F401 - routed from urls.py
from advocacy.templatetags import app_tags
from content.selectors import topics_all

FEED_PAGE_SIZE = 12


SHARE_PAGE_ORIGINS = (
    "https://x.com",
    "https://www.linkedin.com",
    "https://www.facebook.com",
    "https://bsky.app",
    "mailto:",
)


class ShareRedirect(HttpResponseRedirect):
    """303 to a network's share page (or mailto:), never to an address from the request."""

    status_code = 303
    allowed_schemes = ["https", "mailto"]


@require_roles(Role.AMBASSADOR)
def feed(request):
    """The kits meant for this ambassador, important first, then the newest."""
    topic = request.GET.get("theme") or None
    ids = selectors.feed_kit_ids(user=request.user, topic=topic)
    page = Paginator(ids, FEED_PAGE_SIZE).get_page(request.GET.get("page"))
    kits = selectors.feed_page_kits(user=request.user, ids=list(page.object_list))
    cards = _feed_cards(kits)
    page.object_list = []
    for kit in kits:
        if kit.pk in cards:
            kit.card, kit.card_published = cards[kit.pk]
            kit.shared_channels = [Channel(c).label for c in kit.my_channels]
            page.object_list.append(kit)
    return render(
        request,
        "sharing/feed.html",
        {"page": page, "topics": topics_all(), "topic": topic, "can_share": can_share(request.user)},
    )


FEED_CARD_SECONDS = 600
FEED_CARD_TEMPLATE = "sharing/_feed_card.html"


@functools.cache
def feed_card_rendering() -> str:
    """A fingerprint of what turns a kit into its feed card: the card's template, as the
    template loaders find it, and the code that writes what the card shows (dates, the
    site's filters, `_feed_cards`). It is part of every card's cache key, so that after a
    deployment that changes any of them (« 1er décembre » for « 1 décembre ») the new
    processes render the cards again instead of serving the old text for up to
    FEED_CARD_SECONDS. Computed once per process: a deployment starts new ones."""
    sources = [get_template(FEED_CARD_TEMPLATE).template.source]
    sources += [inspect.getsource(code) for code in (dates, app_tags, _feed_cards)]
    return hashlib.blake2b("\0".join(sources).encode(), digest_size=6).hexdigest()


def _feed_cards(kits) -> dict:
    """{kit id: (card, "Publié le …")}: what every ambassador sees of a kit, rendered once per
    kit version and language and read from the cache in one round trip. Only what the
    person already shared is rendered on each page view (by the page itself).

    The cards missing from the cache are rendered from two queries, whatever their number.
    """
    language, rendering = get_language(), feed_card_rendering()
    keys = {
        kit.pk: f"sharing:card:{rendering}:{kit.pk}:{kit.version}:{kit.updated_at.timestamp()}:{language}"
        for kit in kits
    }
    cards = cache.get_many(keys.values())
    missing = [pk for pk, key in keys.items() if key not in cards]
    if missing:
        fresh = {}
        for kit in selectors.feed_card_kits(ids=missing):
            published = ""
            if kit.published_at:
                published = _("Publié le %(date)s") % {"date": dates.date_format(localtime(kit.published_at), "j F Y")}
            fresh[keys[kit.pk]] = (render_to_string(FEED_CARD_TEMPLATE, {"kit": kit}), published)
        cache.set_many(fresh, FEED_CARD_SECONDS)
        cards.update(fresh)
    return {pk: cards[key] for pk, key in keys.items() if key in cards}


def _mastodon_instance(user) -> str:
    handle = SocialHandle.objects.filter(user=user, network=Network.MASTODON).first()
    return handle.instance if handle else ""


def _share_context(request, kit, form):
    user = request.user
    sharing_allowed = can_share(user)
    links = services.tracked_links_ensure(ambassador=user, kit=kit) if sharing_allowed else {}
    instance = _mastodon_instance(user)
    buttons = []
    for value, label in Channel.choices:
        link = links.get(value)
        buttons.append(
            {
                "channel": value,
                "label": label,
                "tracked_url": link.public_url if link else "",
                "clipboard": value in CLIPBOARD_CHANNELS,
                "new_tab": value not in (Channel.EMAIL, Channel.COPY),
                "unavailable": value == Channel.MASTODON and not instance,
            }
        )
    texts = list(kit.texts.all())
    return {
        "kit": kit,
        "form": form,
        "texts": texts,
        "buttons": buttons,
        "mastodon_unavailable": not instance,
        "can_share": sharing_allowed,
        "hashtags": kit.hashtags or [],
        "my_shares": Share.objects.filter(ambassador=user, kit=kit).select_related("link").order_by("-created_at"),
        "post_form": PostUrlForm(),
    }


@require_roles(Role.AMBASSADOR)
def kit_by_id(request, pk):
    """The share page of a kit named by its id, when it is still meant for this ambassador."""
    kit = selectors.kits_for_feed(user=request.user).filter(pk=pk).only("slug").first()
    if kit is None:
        messages.info(request, _("Ce contenu n’est plus proposé au partage."))
        return redirect("sharing:feed")
    return redirect("sharing:share", slug=kit.slug)


@require_roles(Role.AMBASSADOR)
def share(request, slug):
    """Pick or write a text, check it, and share it on a network through a tracked link."""
    kit = selectors.kit_for_sharing(user=request.user, slug=slug)
    if kit is None:
        raise Http404
    form = _share_form(kit, request.POST or None)
    if request.method == "POST" and form.is_valid():
        channel = form.cleaned_data["network"]
        try:
            recorded = services.share_record(
                ambassador=request.user, kit=kit, network=channel, text=form.cleaned_data["text"]
            )
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            intent = share_intent(
                channel,
                text=recorded.text,
                link=recorded.link.public_url,
                hashtags=kit.hashtags or [],
                subject=kit.title,
                mastodon_instance=_mastodon_instance(request.user),
            )
            if intent is None or not intent.url:
                messages.success(request, _("Partage enregistré. Collez le texte copié où vous le souhaitez."))
                return redirect("sharing:share", slug=kit.slug)
            return ShareRedirect(intent.url)
    return _render_share_page(request, kit, form, status=400 if form.errors else 200)


def _share_form(kit, data=None) -> ShareForm:
    first_text = next(iter(kit.texts.all()), None)
    return ShareForm(data, initial={"text": first_text.body if first_text else ""})


def _render_share_page(request, kit, form, *, status=200, refused_post=None):
    """The share page; `refused_post` is the (share, PostUrlForm) whose address was refused."""
    context = _share_context(request, kit, form)
    if refused_post:
        context["refused_share"], context["post_form"] = refused_post
    response = render(request, "sharing/share.html", context, status=status)
    # The share form's answer redirects to the network's share page, and browsers check
    # form-action against redirect targets too: this page alone also allows those pages.
    instance = clean_instance(_mastodon_instance(request.user))
    response._csp_update = {"form-action": [*SHARE_PAGE_ORIGINS, *([f"https://{instance}"] if instance else [])]}
    return response


@require_roles(Role.AMBASSADOR)
@require_POST
def share_check(request, slug):
    """Live guideline checks and the "same words as N colleagues" notice (htmx fragment)."""
    kit = selectors.kit_for_sharing(user=request.user, slug=slug)
    if kit is None:
        raise Http404
    text = (request.POST.get("text") or "").strip()[: services.MAX_TEXT_LENGTH]
    # Every channel is checked as the share itself will be (e-mail and plain copy by the
    # general rules only), so a text too long for X still leaves LinkedIn open.
    findings_by_key = {}
    if text:
        for channel in Channel:
            for finding in services.guideline_findings(kit=kit, channel=channel.value, text=text):
                key = (getattr(finding, "rule_id", None), str(getattr(finding, "message", "")))
                entry = findings_by_key.setdefault(key, {"finding": finding, "channels": []})
                entry["channels"].append(channel)
    findings = list(findings_by_key.values())
    blocked = [
        channel
        for channel in Channel
        if any(
            channel in entry["channels"] and getattr(entry["finding"], "severity", "") == "blocking"
            for entry in findings
        )
    ]
    for entry in findings:
        # A finding on every channel needs no list of networks.
        entry["channels"] = [] if len(entry["channels"]) == len(Channel) else [c.label for c in entry["channels"]]
    same = services.colleagues_with_same_text(kit=kit, text=text, ambassador=request.user) if text else 0
    return render(
        request,
        "sharing/_checks.html",
        {
            "findings": findings,
            "same_text_count": same,
            "blocked": blocked,
            "blocks_every_channel": len(blocked) == len(Channel),
            "blocked_labels": ", ".join(str(channel.label) for channel in blocked),
            "text": text,
        },
    )


@require_roles(Role.AMBASSADOR)
@require_POST
def share_attach_post(request, pk):
    shared = selectors.share_of(user=request.user, pk=pk)
    form = PostUrlForm(request.POST)
    if form.is_valid():
        try:
            services.share_attach_post(share=shared, by=request.user, post_url=form.cleaned_data["post_url"])
        except DomainError as exc:
            form.add_error("post_url", exc.message)
        else:
            messages.success(request, _("Merci : l’adresse de votre publication est enregistrée."))
            return redirect("sharing:share", slug=shared.kit.slug)
    # The refusal is told on the address field of this share, with what was typed.
    kit = selectors.kit_for_sharing(user=request.user, slug=shared.kit.slug)
    if kit is None:
        # The kit has left this person's feed since: there is no field left to tell it on.
        messages.error(request, form.errors["post_url"][0])
        return redirect("sharing:share", slug=shared.kit.slug)
    return _render_share_page(request, kit, _share_form(kit), status=400, refused_post=(shared, form))


@require_roles(Role.AMBASSADOR)
def my_shares(request, slug):
    """The person's shares of one kit (htmx fragment refreshed after a share)."""
    kit = selectors.kit_for_sharing(user=request.user, slug=slug)
    if kit is None:
        raise Http404
    shares = Share.objects.filter(ambassador=request.user, kit=kit).select_related("link").order_by("-created_at")
    return render(request, "sharing/_my_shares.html", {"kit": kit, "my_shares": shares, "post_form": PostUrlForm()})


IMPACT_LINKS_PAGE_SIZE = 50


@require_roles(Role.AMBASSADOR)
def impact(request):
    """My impact: my shares, the people who clicked, per network and over time.

    The figures count every share and click; only the list of shared links is paginated.
    """
    figures = selectors.impact_of(user=request.user)
    links = Paginator(selectors.shared_links_of(user=request.user), IMPACT_LINKS_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    chart = {
        "labels": [day.strftime("%d/%m") for day in figures.days],
        "values": figures.clicks_per_day,
        "label": _("Clics de personnes"),
    }
    # The chart's figures as a table too, for who cannot see the chart.
    daily = list(zip(figures.days, figures.clicks_per_day, strict=True))
    return render(request, "sharing/impact.html", {"figures": figures, "links": links, "chart": chart, "daily": daily})


@public
def withdrawn(request):
    """Where the links of a retracted kit lead (unless admins chose another page)."""
    return render(request, "sharing/withdrawn.html")
