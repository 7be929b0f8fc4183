"""API of the reach app: bulk ingestion of posts by a social-listening tool.

The tool authenticates with a DRF token (header `Authorization: Token <key>`) belonging
to a member of the web-social team (curator or admin). A dedicated "listening tool"
role would need a new role on accounts.User; until then, the team creates a service
account with the curator role and two-factor authentication, and its token is the
tool's. Posts go through reach.ingestion like every other source: sending the same
batch again changes nothing.
"""

from datetime import timedelta

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.access import Role, rule_for
from accounts.models import Network
from advocacy.reach import ingestion
from advocacy.reach.importing import EARLIEST
from advocacy.reach.models import SocialPost
from advocacy.schema import ERROR_RESPONSES, ErrorBody

MAX_POSTS = 1000
COUNT = {"min_value": 0, "max_value": 10**15, "required": False, "allow_null": True, "default": None}


class PostInput(serializers.Serializer):
    network = serializers.ChoiceField(choices=Network.choices)
    external_id = serializers.CharField(max_length=300, help_text=_("Identifiant de la publication sur le réseau."))
    posted_at = serializers.DateTimeField()
    text = serializers.CharField(max_length=20000, required=False, allow_blank=True, default="", trim_whitespace=False)
    url = serializers.URLField(max_length=500, required=False, allow_blank=True, default="")
    author_id = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
    author_handle = serializers.CharField(max_length=255, required=False, allow_blank=True, default="")
    author_instance = serializers.CharField(max_length=253, required=False, allow_blank=True, default="")
    author_name = serializers.CharField(max_length=255, required=False, allow_blank=True, default="")
    author_followers = serializers.IntegerField(**COUNT)
    reposts = serializers.IntegerField(**COUNT)
    replies = serializers.IntegerField(**COUNT)
    likes = serializers.IntegerField(**COUNT)
    quotes = serializers.IntegerField(**COUNT)
    impressions = serializers.IntegerField(**COUNT)
    hashtags = serializers.ListField(
        child=serializers.CharField(max_length=100), max_length=50, required=False, default=list,
        help_text=_("Hashtags donnés à part du texte, avec ou sans #."),
    )  # fmt: skip

    def validate_posted_at(self, value):
        if value > timezone.now() + timedelta(days=1):
            raise serializers.ValidationError(_("La date de publication est dans le futur."))
        if value < EARLIEST:
            raise serializers.ValidationError(_("La date de publication est trop ancienne."))
        return value


class BulkPostsInput(serializers.Serializer):
    posts = PostInput(many=True, help_text=_("De 1 à 1 000 publications."))


class RejectedPost(serializers.Serializer):
    index = serializers.IntegerField(help_text=_("Position de la publication dans la liste envoyée (à partir de 0)."))
    errors = serializers.DictField(child=serializers.ListField(child=serializers.CharField()))


class BulkPostsOutput(serializers.Serializer):
    created = serializers.IntegerField()
    updated = serializers.IntegerField()
    unchanged = serializers.IntegerField()
    rejected = RejectedPost(many=True)


class _Envelope(serializers.Serializer):
    posts = serializers.ListField(child=serializers.DictField(), min_length=1, max_length=MAX_POSTS)


def _field_errors(errors: dict, prefix: str = "") -> dict[str, list[str]]:
    """A post's errors as field -> messages; a list item's under "field.position"
    ("hashtags.2"), where RejectedPost would have kept only the positions."""
    flat = {}
    for name, value in errors.items():
        if isinstance(value, dict):
            flat.update(_field_errors(value, f"{prefix}{name}."))
        else:
            flat[f"{prefix}{name}"] = [str(message) for message in value]
    return flat


class PostIngestApi(APIView):
    """Send posts collected by a social-listening tool. Each post is validated on its
    own: valid posts are stored even when others are rejected, and the answer lists
    the rejected ones with their position and reasons. The body is limited in size as
    every request is (DATA_UPLOAD_MAX_MEMORY_SIZE, 2.5 MB by default): above it the
    answer is a 413 error, and the batch is to be sent in smaller ones."""

    access_rule = rule_for(Role.CURATOR, Role.ADMIN)

    @extend_schema(
        operation_id="reach_posts_ingest",
        request=BulkPostsInput,
        responses={
            200: BulkPostsOutput,
            **ERROR_RESPONSES,
            413: OpenApiResponse(ErrorBody, description="Corps de la requête trop volumineux."),
        },
    )
    def post(self, request):
        envelope = _Envelope(data=request.data)
        envelope.is_valid(raise_exception=True)
        posts, indexes, rejected = [], [], []
        for index, item in enumerate(envelope.validated_data["posts"]):
            data = PostInput(data=item)
            if not data.is_valid():
                rejected.append({"index": index, "errors": _field_errors(data.errors)})
                continue
            values = data.validated_data
            posts.append(
                ingestion.PostData(
                    network=values["network"],
                    external_id=values["external_id"],
                    posted_at=values["posted_at"],
                    text=values["text"],
                    url=values["url"],
                    author_external_id=values["author_id"],
                    author_handle=values["author_handle"],
                    author_instance=values["author_instance"],
                    author_name=values["author_name"],
                    author_followers=values["author_followers"],
                    **{name: values[name] for name in ingestion.METRICS},
                    extra_tags=[tag.lstrip("#＃") for tag in values["hashtags"]],
                    extra_urls=[values["url"]],
                )
            )
            indexes.append(index)
        result = ingestion.posts_upsert(posts=posts, source=SocialPost.Source.API) if posts else None
        if result is not None:
            for position, reason in result.skipped.items():
                rejected.append({"index": indexes[position], "errors": {"text": [reason]}})
        rejected.sort(key=lambda entry: entry["index"])
        return Response(
            BulkPostsOutput(
                {
                    "created": result.created if result else 0,
                    "updated": result.updated if result else 0,
                    "unchanged": result.unchanged if result else 0,
                    "rejected": rejected,
                }
            ).data
        )
