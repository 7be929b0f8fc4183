"""API of the guideline check: a text checked as the editors check it while typing."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.access import SIGNED_IN
from accounts.models import Network
from advocacy.schema import ERROR_RESPONSES
from content import guidelines


class GuidelineCheckInput(serializers.Serializer):
    text = serializers.CharField(max_length=70000, allow_blank=True, trim_whitespace=False)
    network = serializers.ChoiceField(
        choices=Network.choices,
        required=False,
        allow_blank=True,
        default="",
        help_text=_("Réseau visé ; vide, la longueur n’est pas vérifiée."),
    )
    link = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")


class FindingOutput(serializers.Serializer):
    rule_id = serializers.IntegerField(allow_null=True)
    kind = serializers.CharField()
    severity = serializers.ChoiceField(choices=[guidelines.BLOCKING, guidelines.WARNING])
    message = serializers.CharField()
    explanation = serializers.CharField(allow_blank=True)
    suggestion = serializers.CharField(allow_blank=True)
    start = serializers.IntegerField(allow_null=True, help_text=_("Position dans le texte (en caractères)."))
    end = serializers.IntegerField(allow_null=True)


class GuidelineCheckOutput(serializers.Serializer):
    network = serializers.CharField(allow_blank=True)
    length = serializers.IntegerField(help_text=_("Longueur comptée comme le réseau la compte."))
    limit = serializers.IntegerField(allow_null=True)
    has_blocking = serializers.BooleanField()
    findings = FindingOutput(many=True)


class GuidelineCheckApi(APIView):
    """Check a text against the guidelines, as the editors do while typing."""

    access_rule = SIGNED_IN

    @extend_schema(
        operation_id="guidelines_check",
        request=GuidelineCheckInput,
        responses={200: GuidelineCheckOutput, **ERROR_RESPONSES},
    )
    def post(self, request):
        data = GuidelineCheckInput(data=request.data)
        data.is_valid(raise_exception=True)
        text, network = data.validated_data["text"], data.validated_data["network"]
        findings = guidelines.check_text(text=text, network=network, link=data.validated_data["link"] or None)
        return Response(
            GuidelineCheckOutput(
                {
                    "network": network,
                    "length": guidelines.weighted_length(text, network) if network else len(text),
                    "limit": guidelines.NETWORK_LIMITS.get(network),
                    "has_blocking": guidelines.has_blocking(findings),
                    "findings": [f.as_dict() for f in findings],
                }
            ).data
        )
