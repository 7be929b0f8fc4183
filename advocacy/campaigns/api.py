"""API of the campaigns app: campaigns and their delivery figures, announcements, the
portal inbox, retraction and acknowledgement, the global pause. One class per
operation, explicit input and output serializers."""

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import generics, serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.access import SIGNED_IN, Role, rule_for
from accounts.models import JobFunction, OrgUnit
from advocacy.campaigns import crisis, selectors, services
from advocacy.campaigns.models import Campaign, Delivery, Notification, Pause, RetractionRequest
from advocacy.schema import ERROR_RESPONSES

WEB_SOCIAL = rule_for(Role.CURATOR, Role.MODERATOR, Role.ADMIN)
CURATORS = rule_for(Role.CURATOR, Role.ADMIN)
MODERATORS = rule_for(Role.MODERATOR, Role.ADMIN)
CONFLICT = {409: ERROR_RESPONSES[400]}


# --- Campaigns -----------------------------------------------------------------------------


class CampaignOutput(serializers.ModelSerializer):
    sender_name = serializers.SerializerMethodField()

    class Meta:
        model = Campaign
        fields = [
            "id", "kind", "subject", "status", "sender_name", "reply_to", "kit", "created_at", "queued_at",
            "finished_at", "recipient_count", "sent_count", "delivered_count", "failed_count", "skipped_count",
        ]  # fmt: skip
        read_only_fields = fields

    def get_sender_name(self, campaign) -> str:
        return campaign.sender.get_full_name() if campaign.sender else ""


class StatusCounts(serializers.Serializer):
    queued = serializers.IntegerField()
    sending = serializers.IntegerField()
    sent = serializers.IntegerField()
    delivered = serializers.IntegerField()
    bounced = serializers.IntegerField()
    failed = serializers.IntegerField()
    skipped = serializers.IntegerField()
    total = serializers.IntegerField()


class Figures(serializers.Serializer):
    email = StatusCounts()
    portal = StatusCounts()


class FailureReason(serializers.Serializer):
    status = serializers.ChoiceField(choices=Delivery.Status.choices)
    reason = serializers.CharField()
    n = serializers.IntegerField()


class CampaignDetailOutput(CampaignOutput):
    figures = serializers.SerializerMethodField()
    failure_reasons = serializers.SerializerMethodField()

    class Meta(CampaignOutput.Meta):
        fields = [*CampaignOutput.Meta.fields, "body", "figures", "failure_reasons"]
        read_only_fields = fields

    @extend_schema_field(Figures)
    def get_figures(self, campaign):
        return Figures(selectors.campaign_figures(campaign=campaign)).data

    @extend_schema_field(FailureReason(many=True))
    def get_failure_reasons(self, campaign):
        return FailureReason(selectors.failure_reasons(campaign=campaign), many=True).data


class CampaignListApi(generics.ListAPIView):
    access_rule = WEB_SOCIAL
    serializer_class = CampaignOutput
    queryset = Campaign.objects.none()  # for the schema; get_queryset() scopes to the person

    def get_queryset(self):
        return selectors.campaigns_for(user=self.request.user)

    @extend_schema(operation_id="campaigns_list", responses={200: CampaignOutput(many=True), **ERROR_RESPONSES})
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class CampaignDetailApi(APIView):
    access_rule = WEB_SOCIAL

    @extend_schema(operation_id="campaigns_retrieve", responses={200: CampaignDetailOutput, **ERROR_RESPONSES})
    def get(self, request, pk):
        campaign = get_object_or_404(selectors.campaigns_for(user=request.user), pk=pk)
        return Response(CampaignDetailOutput(campaign).data)


class AnnouncementInput(serializers.Serializer):
    subject = serializers.CharField(max_length=200)
    body = serializers.CharField(max_length=20_000)
    url = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")
    units = serializers.SlugRelatedField(
        slug_field="code", queryset=OrgUnit.objects.all(), many=True, required=False, default=list
    )
    job_functions = serializers.ListField(
        child=serializers.ChoiceField(choices=JobFunction.choices), required=False, default=list, max_length=20
    )


class AnnouncementApi(APIView):
    """Send an announcement, signed by the curator, to a targeted group of ambassadors."""

    access_rule = CURATORS

    @extend_schema(
        operation_id="announcements_create",
        request=AnnouncementInput,
        responses={201: CampaignOutput, **ERROR_RESPONSES},
    )
    def post(self, request):
        data = AnnouncementInput(data=request.data)
        data.is_valid(raise_exception=True)
        campaign = services.announcement_send(by=request.user, **data.validated_data)
        return Response(CampaignOutput(campaign).data, status=status.HTTP_201_CREATED)


# --- Portal inbox --------------------------------------------------------------------------


class NotificationOutput(serializers.ModelSerializer):
    class Meta:
        model = Notification
        fields = ["id", "kind", "title", "body", "url", "created_at", "read_at"]
        read_only_fields = fields


class NotificationListApi(generics.ListAPIView):
    access_rule = SIGNED_IN
    serializer_class = NotificationOutput
    queryset = Notification.objects.none()  # for the schema; get_queryset() scopes to the person

    def get_queryset(self):
        return selectors.notifications_of(user=self.request.user)

    @extend_schema(
        operation_id="me_notifications_list", responses={200: NotificationOutput(many=True), **ERROR_RESPONSES}
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class NotificationReadApi(APIView):
    access_rule = SIGNED_IN

    @extend_schema(
        operation_id="me_notifications_read", request=None, responses={200: NotificationOutput, **ERROR_RESPONSES}
    )
    def post(self, request, pk):
        notification = get_object_or_404(selectors.notifications_of(user=request.user), pk=pk)
        return Response(
            NotificationOutput(services.notification_read(user=request.user, notification=notification)).data
        )


# --- Retraction ------------------------------------------------------------------------------


class RetractInput(serializers.Serializer):
    reason = serializers.CharField(max_length=2000)


class RetractionProgressOutput(serializers.Serializer):
    kit = serializers.IntegerField()
    title = serializers.CharField()
    status = serializers.CharField()
    retraction_reason = serializers.CharField()
    retracted_at = serializers.DateTimeField(allow_null=True)
    requests = serializers.IntegerField()
    acknowledged = serializers.IntegerField()


def _progress(kit):
    counts = selectors.retraction_progress(kit_ids=[kit.pk]).get(kit.pk, {"total": 0, "acknowledged": 0})
    return RetractionProgressOutput(
        {
            "kit": kit.pk,
            "title": kit.title,
            "status": kit.status,
            "retraction_reason": kit.retraction_reason,
            "retracted_at": kit.retracted_at,
            "requests": counts["total"],
            "acknowledged": counts["acknowledged"],
        }
    ).data


class KitRetractApi(APIView):
    """Retract a published kit: it leaves every feed and its sharers are asked to delete their posts."""

    access_rule = MODERATORS

    @extend_schema(
        operation_id="crisis_kit_retract",
        request=RetractInput,
        responses={200: RetractionProgressOutput, **CONFLICT, **ERROR_RESPONSES},
    )
    def post(self, request, kit_pk):
        published, _retracted = selectors.kits_for_crisis(user=request.user)
        kit = get_object_or_404(published, pk=kit_pk)
        data = RetractInput(data=request.data)
        data.is_valid(raise_exception=True)
        kit = crisis.kit_retract(kit=kit, by=request.user, reason=data.validated_data["reason"])
        return Response(_progress(kit))


class KitRetractionApi(APIView):
    """How many of the people asked to delete their post have confirmed."""

    access_rule = MODERATORS

    @extend_schema(operation_id="crisis_kit_retraction", responses={200: RetractionProgressOutput, **ERROR_RESPONSES})
    def get(self, request, kit_pk):
        _published, retracted = selectors.kits_for_crisis(user=request.user)
        return Response(_progress(get_object_or_404(retracted, pk=kit_pk)))


class RetractionRequestOutput(serializers.ModelSerializer):
    kit_title = serializers.CharField(source="kit.title")
    retraction_reason = serializers.CharField(source="kit.retraction_reason")

    class Meta:
        model = RetractionRequest
        fields = ["id", "kit", "kit_title", "retraction_reason", "created_at", "reminded_at", "acknowledged_at"]
        read_only_fields = fields


class MyRetractionRequestsApi(generics.ListAPIView):
    access_rule = SIGNED_IN
    serializer_class = RetractionRequestOutput
    queryset = RetractionRequest.objects.none()  # for the schema; get_queryset() scopes to the person

    def get_queryset(self):
        return selectors.retraction_requests_of(user=self.request.user)

    @extend_schema(
        operation_id="me_retraction_requests_list",
        responses={200: RetractionRequestOutput(many=True), **ERROR_RESPONSES},
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class RetractionAcknowledgeApi(APIView):
    """ "C'est fait": the ambassador deleted their post."""

    access_rule = SIGNED_IN

    @extend_schema(
        operation_id="me_retraction_requests_acknowledge",
        request=None,
        responses={200: RetractionRequestOutput, **ERROR_RESPONSES},
    )
    def post(self, request, pk):
        retraction = get_object_or_404(selectors.retraction_requests_of(user=request.user), pk=pk)
        return Response(RetractionRequestOutput(crisis.retraction_acknowledge(request=retraction)).data)


# --- Pause -----------------------------------------------------------------------------------


class PauseOutput(serializers.ModelSerializer):
    class Meta:
        model = Pause
        fields = ["id", "reason", "starts_at", "ends_at", "lifted_at"]
        read_only_fields = fields


class PauseStateOutput(serializers.Serializer):
    active = serializers.BooleanField()
    pause = PauseOutput(allow_null=True)


class PauseInput(serializers.Serializer):
    reason = serializers.CharField(max_length=2000)
    ends_at = serializers.DateTimeField()


class LiftInput(serializers.Serializer):
    reason = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")


def _pause_state():
    pause = selectors.pause_current()
    return PauseStateOutput({"active": pause is not None, "pause": pause}).data


class PauseApi(APIView):
    """The global pause: everyone may read it (clients stop offering to share);
    moderators set it with a reason and an end date."""

    access_rule = MODERATORS

    def get_permissions(self):
        # Reading the pause is open to every signed-in person; setting it is not.
        self.access_rule = SIGNED_IN if self.request.method == "GET" else MODERATORS
        return super().get_permissions()

    @extend_schema(operation_id="pause_retrieve", responses={200: PauseStateOutput, **ERROR_RESPONSES})
    def get(self, request):
        return Response(_pause_state())

    @extend_schema(
        operation_id="pause_set", request=PauseInput, responses={201: PauseStateOutput, **CONFLICT, **ERROR_RESPONSES}
    )
    def post(self, request):
        data = PauseInput(data=request.data)
        data.is_valid(raise_exception=True)
        crisis.pause_set(by=request.user, **data.validated_data)
        return Response(_pause_state(), status=status.HTTP_201_CREATED)


class PauseLiftApi(APIView):
    access_rule = MODERATORS

    @extend_schema(
        operation_id="pause_lift", request=LiftInput, responses={200: PauseStateOutput, **CONFLICT, **ERROR_RESPONSES}
    )
    def post(self, request):
        data = LiftInput(data=request.data)
        data.is_valid(raise_exception=True)
        crisis.pause_lift(by=request.user, reason=data.validated_data["reason"])
        return Response(_pause_state())
