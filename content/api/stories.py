"""API of the field stories: the author's own stories (propose, read, edit), the
curators' list, and recording a consent withdrawal.

Fields are explicit; a story's kind, status, author, curator note and consent are never
writable. Photos and signed forms are uploaded through the pages (multipart), not this
API.
"""

from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.pagination import PageNumberPagination
from rest_framework.permissions import SAFE_METHODS
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.access import Role, rule_for
from advocacy.schema import ERROR_RESPONSES
from content import stories
from content.api import WITH_CONFLICT, refuse_unknown_fields
from content.models import Consent, Kit, Story

# A story is read by its author and the curators; only ambassadors write stories.
READ = rule_for(Role.AMBASSADOR, Role.CURATOR)
WRITE = rule_for(Role.AMBASSADOR)


class ConsentInput(serializers.Serializer):
    subject_name = serializers.CharField(max_length=200)
    subject_contact = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    given_at = serializers.DateField()
    uses = serializers.ListField(child=serializers.ChoiceField(choices=Consent.Use.choices), min_length=1, max_length=4)
    channel = serializers.ChoiceField(choices=Consent.Channel.choices)

    def validate_given_at(self, value):
        if value > timezone.localdate():
            raise serializers.ValidationError(_("La date du consentement ne peut pas être dans le futur."))
        return value


class ConsentOutput(serializers.ModelSerializer):
    is_withdrawn = serializers.BooleanField()

    class Meta:
        model = Consent
        fields = ["subject_name", "given_at", "uses", "channel", "text_version", "is_withdrawn", "withdrawn_at"]
        read_only_fields = fields


class StoryTextInput(serializers.Serializer):
    """What the author writes, and may edit later (content.stories.EDITABLE_FIELDS)."""

    title = serializers.CharField(max_length=200)
    body = serializers.CharField(max_length=5000)
    video_url = serializers.URLField(max_length=500, required=False, allow_blank=True, default="")
    is_anonymised = serializers.BooleanField(required=False, default=False)
    subject_label = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")


class StoryInput(StoryTextInput):
    kind = serializers.ChoiceField(choices=Story.Kind.choices)
    consent = ConsentInput(required=False, allow_null=True, default=None)


class StoryOutput(serializers.ModelSerializer):
    author = serializers.SerializerMethodField()
    consent = serializers.SerializerMethodField()

    class Meta:
        model = Story
        fields = [
            "id",
            "kind",
            "title",
            "body",
            "video_url",
            "is_anonymised",
            "subject_label",
            "status",
            "curator_note",
            "author",
            "consent",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    def get_author(self, story) -> str:
        return story.author.get_full_name() if story.author else ""

    @extend_schema(responses=ConsentOutput(allow_null=True))
    def get_consent(self, story) -> dict | None:
        consent = getattr(story, "consent", None) if story.is_testimonial else None
        return ConsentOutput(consent).data if consent else None


class StoryPagination(PageNumberPagination):
    page_size = 50


class StoryListApi(APIView):
    """The ambassador's own stories; posting proposes a new one (photos go through the page)."""

    access_rule = rule_for(Role.AMBASSADOR)

    @extend_schema(
        operation_id="stories_mine",
        parameters=[OpenApiParameter("page", int, required=False)],
        responses={200: StoryOutput(many=True), **ERROR_RESPONSES},
    )
    def get(self, request):
        paginator = StoryPagination()
        page = paginator.paginate_queryset(stories.stories_of(user=request.user), request, view=self)
        return paginator.get_paginated_response(StoryOutput(page, many=True).data)

    @extend_schema(operation_id="stories_propose", request=StoryInput, responses={201: StoryOutput, **ERROR_RESPONSES})
    def post(self, request):
        data = StoryInput(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        consent = values.pop("consent")
        if consent is not None:
            consent["text_version"] = stories.CONSENT_TEXT_VERSION
        story = stories.story_propose(author=request.user, consent=consent, **values)
        story = stories.stories_of(user=request.user).get(pk=story.pk)
        return Response(StoryOutput(story).data, status=status.HTTP_201_CREATED)


def _visible_story(request, pk) -> Story:
    story = stories.stories_visible_to(user=request.user).filter(pk=pk).first()
    if story is None:
        raise Http404
    return story


class StoryDetailApi(APIView):
    """One story, for its author or a curator. Its author edits it here: a story already
    made into a kit goes back to the editorial team (status `proposed`), and the kits
    made from it keep the text that was reviewed."""

    @property
    def access_rule(self):
        # Reading is for the author and the curators; only an author (an ambassador) edits.
        request = getattr(self, "request", None)
        return READ if request is None or request.method in SAFE_METHODS else WRITE

    @extend_schema(operation_id="stories_retrieve", responses={200: StoryOutput, **ERROR_RESPONSES})
    def get(self, request, pk):
        return Response(StoryOutput(_visible_story(request, pk)).data)

    @extend_schema(
        operation_id="stories_update",
        request=StoryTextInput(partial=True),
        responses={200: StoryOutput, **WITH_CONFLICT},
    )
    def patch(self, request, pk):
        # Only the author's own stories: anyone else's is not found, whatever their role.
        story = stories.stories_of(user=request.user).filter(pk=pk).first()
        if story is None:
            raise Http404
        refuse_unknown_fields(request, StoryTextInput)
        data = StoryTextInput(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        stories.story_update(story=story, by=request.user, **data.validated_data)
        return Response(StoryOutput(_visible_story(request, pk)).data)


class ConsentWithdrawInput(serializers.Serializer):
    note = serializers.CharField(
        max_length=2000,
        required=False,
        allow_blank=True,
        default="",
        help_text=_("Circonstances du retrait (date, canal)"),
    )


class TakenDownKitOutput(serializers.ModelSerializer):
    class Meta:
        model = Kit
        fields = ["id", "slug", "title", "status"]
        read_only_fields = fields


class ConsentWithdrawOutput(serializers.Serializer):
    story = StoryOutput()
    kits = TakenDownKitOutput(many=True, help_text=_("Les kits retirés (publiés) ou archivés (pas encore sortis)."))


class ConsentWithdrawApi(APIView):
    """Record that the person a testimonial quotes withdrew their consent: the story is
    withdrawn and every kit made from it leaves circulation at once. For the author who
    collected the consent, or a curator."""

    access_rule = READ

    @extend_schema(
        operation_id="stories_consent_withdraw",
        request=ConsentWithdrawInput,
        responses={200: ConsentWithdrawOutput, **WITH_CONFLICT},
    )
    def post(self, request, pk):
        story = _visible_story(request, pk)
        data = ConsentWithdrawInput(data=request.data)
        data.is_valid(raise_exception=True)
        kits = stories.consent_withdraw(story=story, by=request.user, note=data.validated_data["note"])
        return Response(ConsentWithdrawOutput({"story": _visible_story(request, pk), "kits": kits}).data)


class CuratorStoryListApi(APIView):
    """Every story, for the editorial team, newest first; `status` filters."""

    access_rule = rule_for(Role.CURATOR)

    @extend_schema(
        operation_id="stories_all",
        parameters=[
            OpenApiParameter("status", str, enum=Story.Status.values, required=False),
            OpenApiParameter("page", int, required=False),
        ],
        responses={200: StoryOutput(many=True), **ERROR_RESPONSES},
    )
    def get(self, request):
        queryset = stories.stories_visible_to(user=request.user)
        wanted = request.query_params.get("status", "")
        if wanted in Story.Status.values:
            queryset = queryset.filter(status=wanted)
        paginator = StoryPagination()
        page = paginator.paginate_queryset(queryset, request, view=self)
        return paginator.get_paginated_response(StoryOutput(page, many=True).data)
