"""Site-wide API plumbing: one structured error format for every endpoint.

Errors always look like {"error": {"code": ..., "message": ..., "fields": {...}}}, in
French by default, so that clients can show the message and act on the code.
"""

from django.conf import settings
from django.core.exceptions import PermissionDenied, RequestDataTooBig
from django.http import Http404
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from advocacy.errors import DomainError


def _flatten(detail):
    if isinstance(detail, list):
        return [str(item) for item in detail]
    if isinstance(detail, dict):
        return {key: _flatten(value) for key, value in detail.items()}
    return [str(detail)]


def exception_handler(exc, context):
    if isinstance(exc, DomainError):
        fields = {exc.field: [str(exc.message)]} if exc.field else {}
        body = {"error": {"code": exc.code, "message": str(exc.message), "fields": fields}}
        return Response(body, status=exc.status_code)
    if isinstance(exc, RequestDataTooBig):
        # Django refuses the body before the view reads it; left to Django, the client got
        # its HTML "Bad Request" page instead of an error it can act on.
        message = _("La requête dépasse la taille acceptée (%(size)s) : envoyez moins de données par appel.") % {
            "size": filesizeformat(settings.DATA_UPLOAD_MAX_MEMORY_SIZE)
        }
        body = {"error": {"code": "too_large", "message": message, "fields": {}}}
        return Response(body, status=status.HTTP_413_REQUEST_ENTITY_TOO_LARGE)
    if isinstance(exc, Http404):
        exc = exceptions.NotFound(_("Ressource introuvable."))
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        detail = exc.detail if isinstance(exc.detail, dict) else {"non_field_errors": exc.detail}
        fields = _flatten(detail)
        body = {
            "error": {
                "code": "invalid",
                "message": _("Certaines données sont invalides."),
                "fields": fields,
            }
        }
    else:
        code = exc.get_codes() if hasattr(exc, "get_codes") else "error"
        body = {
            "error": {
                "code": code if isinstance(code, str) else "error",
                "message": str(getattr(exc, "detail", exc)),
                "fields": {},
            }
        }
    response.data = body
    return response


def bad_request(message, *, code="invalid", field=None):
    fields = {field: [str(message)]} if field else {}
    return Response(
        {"error": {"code": code, "message": str(message), "fields": fields}},
        status=status.HTTP_400_BAD_REQUEST,
    )
