"""API of a person's own account: profile, handles, programme membership, export.

Fields are listed explicitly. Roles and the managed unit are read-only here: only an
admin changes them, through the admin pages.
"""

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts import services
from accounts.access import SIGNED_IN, roles_of
from accounts.models import (
    CharterVersion,
    JobFunction,
    Network,
    NotificationPreference,
    OrgUnit,
    SocialHandle,
)
from accounts.selectors import charter_current
from advocacy.errors import DomainError
from advocacy.schema import ERROR_RESPONSES


class UnitSerializer(serializers.ModelSerializer):
    class Meta:
        model = OrgUnit
        fields = ["id", "code", "name", "kind"]
        read_only_fields = fields


class HandleOutput(serializers.ModelSerializer):
    class Meta:
        model = SocialHandle
        fields = ["network", "handle", "instance", "follower_count", "followers_declared_at", "profile_url"]
        read_only_fields = fields


class MeOutput(serializers.Serializer):
    id = serializers.IntegerField()
    email = serializers.EmailField()
    first_name = serializers.CharField()
    last_name = serializers.CharField()
    unit = UnitSerializer(allow_null=True)
    job_function = serializers.ChoiceField(choices=JobFunction.choices, allow_blank=True)
    notification_preference = serializers.ChoiceField(choices=NotificationPreference.choices)
    appears_in_rankings = serializers.BooleanField()
    roles = serializers.ListField(child=serializers.CharField())
    managed_unit = UnitSerializer(allow_null=True)
    has_opted_in = serializers.BooleanField()
    opted_in_at = serializers.DateTimeField(allow_null=True)
    can_share = serializers.BooleanField()
    handles = HandleOutput(many=True)


def _me(user):
    return MeOutput(
        {
            "id": user.pk,
            "email": user.email,
            "first_name": user.first_name,
            "last_name": user.last_name,
            "unit": user.unit,
            "job_function": user.job_function,
            "notification_preference": user.notification_preference,
            "appears_in_rankings": user.appears_in_rankings,
            "roles": sorted(roles_of(user)),
            "managed_unit": user.managed_unit,
            "has_opted_in": user.has_opted_in,
            "opted_in_at": user.opted_in_at,
            "can_share": services.can_share(user),
            "handles": list(user.handles.all()),
        }
    ).data


class MeUpdateInput(serializers.Serializer):
    first_name = serializers.CharField(max_length=150, required=False)
    last_name = serializers.CharField(max_length=150, required=False)
    job_function = serializers.ChoiceField(choices=JobFunction.choices, required=False)
    notification_preference = serializers.ChoiceField(choices=NotificationPreference.choices, required=False)
    appears_in_rankings = serializers.BooleanField(required=False)


class MeApi(APIView):
    """The signed-in person's profile. Roles and unit are read-only: admins and the
    organisation's directory set them."""

    access_rule = SIGNED_IN

    @extend_schema(operation_id="me_retrieve", responses={200: MeOutput, **ERROR_RESPONSES})
    def get(self, request):
        return Response(_me(request.user))

    @extend_schema(operation_id="me_update", request=MeUpdateInput, responses={200: MeOutput, **ERROR_RESPONSES})
    def patch(self, request):
        # Unknown fields (roles, unit scope, e-mail...) are refused rather than ignored,
        # so that a client never believes it changed something it cannot.
        unknown = set(request.data) - set(MeUpdateInput().fields) if hasattr(request.data, "keys") else set()
        if unknown:
            raise serializers.ValidationError({name: [_("Ce champ ne peut pas être modifié.")] for name in unknown})
        data = MeUpdateInput(data=request.data)
        data.is_valid(raise_exception=True)
        services.profile_update(user=request.user, **data.validated_data)
        return Response(_me(request.user))


class HandleInput(serializers.Serializer):
    network = serializers.ChoiceField(choices=Network.choices)
    handle = serializers.CharField(max_length=300)
    instance = serializers.CharField(max_length=253, required=False, allow_blank=True, default="")
    follower_count = serializers.IntegerField(min_value=0, max_value=100_000_000, required=False, allow_null=True)


class HandleListApi(APIView):
    """The person's declared social accounts; posting declares or replaces one."""

    access_rule = SIGNED_IN

    @extend_schema(operation_id="me_handles_list", responses={200: HandleOutput(many=True), **ERROR_RESPONSES})
    def get(self, request):
        return Response(HandleOutput(request.user.handles.all(), many=True).data)

    @extend_schema(
        operation_id="me_handles_save",
        request=HandleInput,
        responses={201: HandleOutput, 409: ERROR_RESPONSES[400], **ERROR_RESPONSES},
    )
    def post(self, request):
        data = HandleInput(data=request.data)
        data.is_valid(raise_exception=True)
        handle = services.handle_save(user=request.user, **data.validated_data)
        return Response(HandleOutput(handle).data, status=status.HTTP_201_CREATED)


class HandleDetailApi(APIView):
    access_rule = SIGNED_IN

    @extend_schema(operation_id="me_handles_delete", responses={204: None, **ERROR_RESPONSES})
    def delete(self, request, network):
        handle = get_object_or_404(SocialHandle, user=request.user, network=network)
        services.handle_delete(user=request.user, handle=handle)
        return Response(status=status.HTTP_204_NO_CONTENT)


class CharterOutput(serializers.ModelSerializer):
    class Meta:
        model = CharterVersion
        fields = ["number", "title", "body", "summary_of_changes", "is_material_change", "published_at"]
        read_only_fields = fields


class CharterCurrentApi(APIView):
    access_rule = SIGNED_IN

    @extend_schema(operation_id="charter_current", responses={200: CharterOutput, **ERROR_RESPONSES})
    def get(self, request):
        current = charter_current()
        if current is None:
            raise DomainError(_("Aucune charte n’est publiée."), code="no_charter")
        return Response(CharterOutput(current).data)


class JoinInput(serializers.Serializer):
    charter_version = serializers.IntegerField(
        help_text=_("Numéro de la version de la charte acceptée : celui de la version en vigueur.")
    )
    accept = serializers.BooleanField(help_text=_("Doit valoir true : la charte est acceptée."))

    def validate_accept(self, value):
        if value is not True:
            raise serializers.ValidationError(_("La charte doit être acceptée."))
        return value


class ProgrammeJoinApi(APIView):
    """Join the programme (or accept a new charter version) by accepting the current charter."""

    access_rule = SIGNED_IN

    @extend_schema(
        operation_id="programme_join",
        request=JoinInput,
        responses={200: MeOutput, 409: ERROR_RESPONSES[400], **ERROR_RESPONSES},
    )
    def post(self, request):
        data = JoinInput(data=request.data)
        data.is_valid(raise_exception=True)
        version = CharterVersion.objects.filter(
            number=data.validated_data["charter_version"], published_at__isnull=False
        ).first()
        if version is None:
            raise DomainError(_("Cette version de la charte n’existe pas."), field="charter_version")
        user = services.programme_join(user=request.user, version=version)
        return Response(_me(user))


class ProgrammeLeaveApi(APIView):
    """Leave the programme, with immediate effect."""

    access_rule = SIGNED_IN

    @extend_schema(
        operation_id="programme_leave",
        request=None,
        responses={200: MeOutput, 409: ERROR_RESPONSES[400], **ERROR_RESPONSES},
    )
    def post(self, request):
        user = services.programme_leave(user=request.user)
        return Response(_me(user))


class ExportApi(APIView):
    """Everything the platform holds about the signed-in person."""

    access_rule = SIGNED_IN

    @extend_schema(
        operation_id="me_export",
        responses={
            200: OpenApiResponse(
                response=inline_serializer("PersonalDataExport", {"data": serializers.DictField()}),
                description=_("Données personnelles, par catégorie."),
            ),
            **ERROR_RESPONSES,
        },
    )
    def get(self, request):
        return Response({"data": services.user_data_exported(user=request.user)})
