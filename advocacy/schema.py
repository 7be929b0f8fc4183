"""OpenAPI pieces shared by every API module: the structured error format."""

from drf_spectacular.utils import OpenApiResponse, inline_serializer
from rest_framework import serializers

ErrorBody = inline_serializer(
    "Error",
    {
        "error": inline_serializer(
            "ErrorDetail",
            {
                "code": serializers.CharField(),
                "message": serializers.CharField(),
                "fields": serializers.DictField(child=serializers.ListField(child=serializers.CharField())),
            },
        )
    },
)

ERROR_RESPONSES = {
    400: OpenApiResponse(ErrorBody, description="Données invalides ou action refusée par une règle."),
    401: OpenApiResponse(ErrorBody, description="Authentification requise."),
    403: OpenApiResponse(ErrorBody, description="Accès refusé."),
    404: OpenApiResponse(ErrorBody, description="Ressource introuvable."),
}
