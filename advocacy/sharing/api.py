"""API of the ambassador portal: the feed, recording a share, my figures.

Each operation has its own explicit input and output serializers. Creating a share
returns the network's share link and the tracked link, so a mobile client opens the
network itself: the platform never posts for anyone and holds no network token.
"""

from django.http import Http404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.access import Role, rule_for
from accounts.models import Network, SocialHandle
from advocacy.schema import ERROR_RESPONSES
from advocacy.sharing import selectors, services
from advocacy.sharing.clicks import ClickKind
from advocacy.sharing.intents import Channel, share_intent
from advocacy.sharing.models import Share

AMBASSADOR = rule_for(Role.AMBASSADOR)


class FeedTopicOutput(serializers.Serializer):
    slug = serializers.CharField()
    name = serializers.CharField()


class FeedKitOutput(serializers.Serializer):
    slug = serializers.CharField()
    title = serializers.CharField()
    brief = serializers.CharField()
    link = serializers.URLField()
    hashtags = serializers.ListField(child=serializers.CharField())
    is_important = serializers.BooleanField()
    published_at = serializers.DateTimeField(allow_null=True)
    expires_at = serializers.DateTimeField(allow_null=True)
    topics = FeedTopicOutput(many=True)
    shared_on = serializers.ListField(child=serializers.ChoiceField(choices=Channel.choices))


class FeedPage(serializers.Serializer):
    count = serializers.IntegerField()
    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)
    results = FeedKitOutput(many=True)


class FeedPagination(PageNumberPagination):
    page_size = 20


class FeedApi(APIView):
    """The kits meant for me, important first then newest, with the networks I already shared them on."""

    access_rule = AMBASSADOR

    @extend_schema(
        operation_id="sharing_feed",
        parameters=[
            OpenApiParameter("theme", str, description="Slug of a topic", required=False),
            OpenApiParameter("page", int, required=False),
        ],
        responses={200: FeedPage, **ERROR_RESPONSES},
    )
    def get(self, request):
        ids = selectors.feed_kit_ids(user=request.user, topic=request.query_params.get("theme") or None)
        paginator = FeedPagination()
        page = selectors.feed_kits(user=request.user, ids=paginator.paginate_queryset(ids, request, view=self))
        rows = [
            {
                "slug": kit.slug,
                "title": kit.title,
                "brief": kit.brief,
                "link": kit.link,
                "hashtags": kit.hashtags or [],
                "is_important": kit.is_important,
                "published_at": kit.published_at,
                "expires_at": kit.expires_at,
                "topics": list(kit.topics.all()),
                "shared_on": selectors.shared_channels(kit),
            }
            for kit in page
        ]
        return paginator.get_paginated_response(FeedKitOutput(rows, many=True).data)


class ShareInput(serializers.Serializer):
    network = serializers.ChoiceField(choices=Channel.choices)
    text = serializers.CharField(max_length=services.MAX_TEXT_LENGTH, trim_whitespace=True)


class ShareOutput(serializers.Serializer):
    id = serializers.IntegerField()
    kit = serializers.CharField(help_text="Slug of the kit")
    network = serializers.ChoiceField(choices=Channel.choices)
    text = serializers.CharField()
    tracked_link = serializers.URLField()
    share_url = serializers.CharField(
        allow_blank=True, help_text="The network's share page (or mailto:); empty for a plain copy"
    )
    clipboard = serializers.CharField(allow_blank=True, help_text="Text to paste where the network takes a link only")
    post_url = serializers.CharField(allow_blank=True)
    created_at = serializers.DateTimeField()


def _share_output(recorded: Share, user) -> dict:
    handle = SocialHandle.objects.filter(user=user, network=Network.MASTODON).first()
    intent = share_intent(
        recorded.channel,
        text=recorded.text,
        link=recorded.link.public_url,
        hashtags=recorded.kit.hashtags or [],
        subject=recorded.kit.title,
        mastodon_instance=handle.instance if handle else "",
    )
    return ShareOutput(
        {
            "id": recorded.pk,
            "kit": recorded.kit.slug,
            "network": recorded.channel,
            "text": recorded.text,
            "tracked_link": recorded.link.public_url,
            "share_url": intent.url if intent else "",
            "clipboard": intent.clipboard if intent else "",
            "post_url": recorded.post_url,
            "created_at": recorded.created_at,
        }
    ).data


class ShareCreateApi(APIView):
    """Record a share of a kit; returns the network's share link to open and the tracked link."""

    access_rule = AMBASSADOR

    @extend_schema(
        operation_id="sharing_share_create",
        request=ShareInput,
        responses={201: ShareOutput, 409: ERROR_RESPONSES[400], **ERROR_RESPONSES},
    )
    def post(self, request, slug):
        kit = selectors.kit_for_sharing(user=request.user, slug=slug)
        if kit is None:
            raise Http404
        data = ShareInput(data=request.data)
        data.is_valid(raise_exception=True)
        recorded = services.share_record(ambassador=request.user, kit=kit, **data.validated_data)
        return Response(_share_output(recorded, request.user), status=status.HTTP_201_CREATED)


class PostUrlInput(serializers.Serializer):
    post_url = serializers.URLField(max_length=500)


class SharePostApi(APIView):
    """Tie the address of my published post to one of my shares."""

    access_rule = AMBASSADOR

    @extend_schema(
        operation_id="sharing_share_post", request=PostUrlInput, responses={200: ShareOutput, **ERROR_RESPONSES}
    )
    def post(self, request, pk):
        recorded = selectors.share_of(user=request.user, pk=pk)
        data = PostUrlInput(data=request.data)
        data.is_valid(raise_exception=True)
        services.share_attach_post(share=recorded, by=request.user, **data.validated_data)
        return Response(_share_output(recorded, request.user))


class ChannelFigures(serializers.Serializer):
    network = serializers.ChoiceField(choices=Channel.choices)
    shares = serializers.IntegerField()
    human_clicks = serializers.IntegerField()


class DayFigures(serializers.Serializer):
    day = serializers.DateField()
    human_clicks = serializers.IntegerField()


class OtherRequests(serializers.Serializer):
    bot = serializers.IntegerField()
    preview = serializers.IntegerField()
    head = serializers.IntegerField()
    prefetch = serializers.IntegerField()


class MyFiguresOutput(serializers.Serializer):
    shares = serializers.IntegerField()
    human_clicks = serializers.IntegerField()
    unique_visitors = serializers.IntegerField(help_text="Per link and day")
    other_requests = OtherRequests(help_text="Requests counted apart: robots, link previews, HEAD, prefetches")
    by_network = ChannelFigures(many=True)
    last_30_days = DayFigures(many=True)


class MyFiguresApi(APIView):
    """My own figures: shares, clicks by people per network and per day, other requests apart."""

    access_rule = AMBASSADOR

    @extend_schema(operation_id="sharing_my_figures", responses={200: MyFiguresOutput, **ERROR_RESPONSES})
    def get(self, request):
        figures = selectors.impact_of(user=request.user)
        labels = dict(ClickKind.choices)
        other = {kind: figures.other_requests.get(labels[kind], 0) for kind in ("bot", "preview", "head", "prefetch")}
        return Response(
            MyFiguresOutput(
                {
                    "shares": figures.shares,
                    "human_clicks": figures.human_clicks,
                    "unique_visitors": figures.unique_visitors,
                    "other_requests": other,
                    "by_network": [
                        {"network": row["channel"], "shares": row["shares"], "human_clicks": row["clicks"]}
                        for row in figures.by_channel
                    ],
                    "last_30_days": [
                        {"day": day, "human_clicks": n}
                        for day, n in zip(figures.days, figures.clicks_per_day, strict=True)
                    ],
                }
            ).data
        )
