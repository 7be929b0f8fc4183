"""API of the curators' and moderators' workspace: kits (list, detail, create, update
with nested suggested texts) and the workflow actions, one endpoint each.

Fields are listed explicitly. Status, author, approver and every date the workflow sets
are read-only: a request naming them is refused rather than silently ignored, so that a
client never believes it changed what only the workflow may change.
"""

from django.http import Http404
from django.utils.translation import gettext_lazy as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.generics import GenericAPIView
from rest_framework.permissions import SAFE_METHODS
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.access import Role, rule_for
from accounts.api import UnitSerializer
from accounts.models import JobFunction, Network, OrgUnit, User
from advocacy.schema import ERROR_RESPONSES
from content import workflow
from content.api import WITH_CONFLICT, refuse_unknown_fields
from content.forms.kits import KitFilter
from content.models import Kit, KitTransition, KitVisual, SuggestedText, Topic
from content.selectors import STAFF_ROLES, kit_for_page, kits_for_staff, library_list

READ = rule_for(*STAFF_ROLES)
WRITE = rule_for(Role.CURATOR)


class KitPersonOutput(serializers.ModelSerializer):
    class Meta:
        model = User
        fields = ["id", "first_name", "last_name"]
        read_only_fields = fields


class KitTopicOutput(serializers.ModelSerializer):
    class Meta:
        model = Topic
        fields = ["id", "slug", "name"]
        read_only_fields = fields


class KitTextSerializer(serializers.ModelSerializer):
    body = serializers.CharField(max_length=5000)
    networks = serializers.ListField(
        child=serializers.ChoiceField(choices=Network.choices),
        required=False,
        max_length=len(Network.values),
        help_text=_("Réseaux visés ; vide : tous les réseaux."),
    )

    class Meta:
        model = SuggestedText
        fields = ["body", "networks"]


class KitVisualOutput(serializers.ModelSerializer):
    image = serializers.SerializerMethodField()

    class Meta:
        model = KitVisual
        fields = ["id", "kind", "image", "alt_text", "video_url", "has_captions"]
        read_only_fields = fields

    def get_image(self, visual) -> str:
        return visual.image.url if visual.image else ""


class KitTransitionOutput(serializers.ModelSerializer):
    by = KitPersonOutput(allow_null=True)

    class Meta:
        model = KitTransition
        fields = ["from_status", "to_status", "by", "at", "comment"]
        read_only_fields = fields


class KitListOutput(serializers.ModelSerializer):
    topics = KitTopicOutput(many=True)
    author = KitPersonOutput(allow_null=True)
    approved_by = KitPersonOutput(allow_null=True)
    networks = serializers.SerializerMethodField()

    class Meta:
        model = Kit
        fields = [
            "id", "slug", "title", "status", "language", "link", "hashtags", "topics", "networks",
            "publish_at", "expires_at", "is_important", "author", "approved_by", "version",
            "created_at", "updated_at",
        ]  # fmt: skip
        read_only_fields = fields

    def get_networks(self, kit) -> list[str]:
        """The networks at least one suggested text is meant for."""
        texts = list(kit.texts.all())
        if any(not t.networks for t in texts):
            return list(Network.values)
        return [n for n in Network.values if any(n in t.networks for t in texts)]


class KitDetailOutput(KitListOutput):
    target_units = UnitSerializer(many=True)
    texts = KitTextSerializer(many=True)
    visuals = KitVisualOutput(many=True)
    transitions = KitTransitionOutput(many=True)
    last_editor = KitPersonOutput(allow_null=True)
    retracted_by = KitPersonOutput(allow_null=True)
    findings = serializers.ListField(child=serializers.DictField(), help_text=_("Constats stockés à la soumission."))
    can_approve = serializers.SerializerMethodField()

    class Meta(KitListOutput.Meta):
        fields = [
            *KitListOutput.Meta.fields,
            "brief", "target_units", "target_job_functions", "texts", "visuals", "transitions",
            "last_editor", "approved_at", "published_at", "retracted_at", "retracted_by",
            "retraction_reason", "findings", "can_approve",
        ]  # fmt: skip
        read_only_fields = fields

    def get_can_approve(self, kit) -> bool:
        """Whether the requesting person may approve the kit now (four-eyes rule)."""
        request = self.context.get("request")
        return bool(request) and workflow.can_approve(kit, request.user)


class KitInput(serializers.Serializer):
    title = serializers.CharField(max_length=200)
    brief = serializers.CharField(required=False, allow_blank=True, max_length=20000)
    link = serializers.URLField(max_length=500)
    language = serializers.ChoiceField(choices=Kit.Language.choices, required=False)
    hashtags = serializers.ListField(
        child=serializers.CharField(max_length=100), required=False, max_length=30, help_text=_("Sans le #.")
    )
    topics = serializers.PrimaryKeyRelatedField(queryset=Topic.objects.all(), many=True, required=False)
    target_units = serializers.PrimaryKeyRelatedField(queryset=OrgUnit.objects.all(), many=True, required=False)
    target_job_functions = serializers.ListField(
        child=serializers.ChoiceField(choices=JobFunction.choices), required=False, max_length=20
    )
    publish_at = serializers.DateTimeField(required=False, allow_null=True)
    expires_at = serializers.DateTimeField(required=False, allow_null=True)
    is_important = serializers.BooleanField(required=False)
    texts = KitTextSerializer(many=True, required=False, max_length=20)


def _kit(request, pk) -> Kit:
    try:
        return kit_for_page(user=request.user, pk=pk)
    except Kit.DoesNotExist as exc:
        raise Http404 from exc


def _detail(request, pk) -> dict:
    return KitDetailOutput(_kit(request, pk), context={"request": request}).data


class KitListApi(GenericAPIView):
    """The library: every kit, searchable and filterable. Curators create kits here."""

    filter_backends = [DjangoFilterBackend]
    filterset_class = KitFilter
    serializer_class = KitListOutput

    @property
    def access_rule(self):
        # Reading is for the whole web-social team and admins; writing for curators.
        request = getattr(self, "request", None)
        return READ if request is None or request.method in SAFE_METHODS else WRITE

    def get_queryset(self):
        return library_list(kits_for_staff(user=self.request.user))

    @extend_schema(operation_id="kits_list", responses={200: KitListOutput(many=True), **ERROR_RESPONSES})
    def get(self, request):
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        return self.get_paginated_response(KitListOutput(page, many=True).data)

    @extend_schema(operation_id="kits_create", request=KitInput, responses={201: KitDetailOutput, **WITH_CONFLICT})
    def post(self, request):
        refuse_unknown_fields(request, KitInput)
        data = KitInput(data=request.data)
        data.is_valid(raise_exception=True)
        kit = workflow.kit_create(by=request.user, **data.validated_data)
        return Response(_detail(request, kit.pk), status=status.HTTP_201_CREATED)


class KitDetailApi(APIView):
    """One kit with its texts, visuals, history and stored findings. Curators edit it
    here; an edit after approval sends it back to review."""

    @property
    def access_rule(self):
        request = getattr(self, "request", None)
        return READ if request is None or request.method in SAFE_METHODS else WRITE

    @extend_schema(operation_id="kits_retrieve", responses={200: KitDetailOutput, **ERROR_RESPONSES})
    def get(self, request, pk):
        return Response(_detail(request, pk))

    @extend_schema(
        operation_id="kits_update",
        request=KitInput(partial=True),
        responses={200: KitDetailOutput, **WITH_CONFLICT},
    )
    def patch(self, request, pk):
        kit = _kit(request, pk)
        refuse_unknown_fields(request, KitInput)
        data = KitInput(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        workflow.kit_update(kit=kit, by=request.user, **data.validated_data)
        return Response(_detail(request, pk))


class KitCommentInput(serializers.Serializer):
    comment = serializers.CharField(required=False, allow_blank=True, max_length=2000, default="")


class KitRequestChangesInput(serializers.Serializer):
    comment = serializers.CharField(max_length=2000, help_text=_("Ce qu’il faut modifier."))


class KitRetractInput(serializers.Serializer):
    reason = serializers.CharField(max_length=2000, help_text=_("Motif du retrait, lu par les ambassadeur·rices."))


class _ActionApi(APIView):
    """A workflow action on one kit: input validated, one call into content.workflow."""

    input_class = KitCommentInput

    def act(self, kit, user, data):  # pragma: no cover - each action overrides it
        raise NotImplementedError

    def post(self, request, pk):
        kit = _kit(request, pk)
        data = self.input_class(data=request.data)
        data.is_valid(raise_exception=True)
        self.act(kit, request.user, data.validated_data)
        return Response(_detail(request, pk))


def _action_schema(operation_id, input_class, description):
    return extend_schema(
        operation_id=operation_id,
        description=description,
        request=input_class,
        responses={200: KitDetailOutput, **WITH_CONFLICT},
    )


class KitSubmitApi(_ActionApi):
    access_rule = rule_for(Role.CURATOR)

    def act(self, kit, user, data):
        workflow.kit_submit(kit=kit, by=user, comment=data["comment"])

    @_action_schema(
        "kits_submit", KitCommentInput, "Soumettre à relecture (refusé si une règle bloquante n’est pas respectée)."
    )
    def post(self, request, pk):
        return super().post(request, pk)


class KitRequestChangesApi(_ActionApi):
    access_rule = rule_for(Role.MODERATOR)
    input_class = KitRequestChangesInput

    def act(self, kit, user, data):
        workflow.kit_request_changes(kit=kit, by=user, comment=data["comment"])

    @_action_schema("kits_request_changes", KitRequestChangesInput, "Demander des modifications à l’auteur·rice.")
    def post(self, request, pk):
        return super().post(request, pk)


class KitApproveApi(_ActionApi):
    access_rule = rule_for(Role.MODERATOR)

    def act(self, kit, user, data):
        workflow.kit_approve(kit=kit, by=user, comment=data["comment"])

    @_action_schema(
        "kits_approve",
        KitCommentInput,
        "Approuver (jamais par l’auteur·rice ni la dernière personne à l’avoir modifié). "
        "Sans date de publication, le kit est publié aussitôt.",
    )
    def post(self, request, pk):
        return super().post(request, pk)


class KitRetractApi(_ActionApi):
    access_rule = rule_for(Role.MODERATOR)
    input_class = KitRetractInput

    def act(self, kit, user, data):
        workflow.kit_retract(kit=kit, by=user, reason=data["reason"])

    @_action_schema("kits_retract", KitRetractInput, "Retirer un kit publié de tous les fils, avec un motif.")
    def post(self, request, pk):
        return super().post(request, pk)


class KitArchiveApi(_ActionApi):
    access_rule = rule_for(Role.CURATOR, Role.MODERATOR)

    def act(self, kit, user, data):
        workflow.kit_archive(kit=kit, by=user, comment=data["comment"])

    @_action_schema("kits_archive", KitCommentInput, "Archiver un kit.")
    def post(self, request, pk):
        return super().post(request, pk)
