"""Site-wide API plumbing: one structured error format for every endpoint.

Errors always look like {"error": {"code": ..., "message": ..., "fields": {...}}}, in
French by default, so that clients can show the message and act on the code.
"""

import json

from django.conf import settings
from django.core.exceptions import PermissionDenied, RequestDataTooBig
from django.http import Http404
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from advocacy.errors import DomainError
from advocacy.parsers import NonFiniteNumberError


def _flatten(detail):
    if isinstance(detail, list):
        return [str(item) for item in detail]
    if isinstance(detail, dict):
        return {key: _flatten(value) for key, value in detail.items()}
    return [str(detail)]


def _parse_error_message(exc):
    # DRF's parsers put Python's own English text in the detail ("JSON parse error -
    # Expecting value: line 1 column 2 (char 1)"); the parser's exception is kept as
    # the context, which still says where the body went wrong.
    cause = exc.__cause__ or exc.__context__
    if isinstance(cause, NonFiniteNumberError):
        return _(
            "Le corps de la requête contient %(value)s (ligne %(line)s, colonne %(column)s), "
            "qui n’est pas un nombre en JSON : envoyez un nombre fini ou null."
        ) % {"value": cause.constant, "line": cause.lineno, "column": cause.colno}
    if isinstance(cause, json.JSONDecodeError):
        return _(
            "Le corps de la requête n’est pas un JSON valide (ligne %(line)s, colonne %(column)s) : "
            "vérifiez les guillemets, les virgules et les accolades."
        ) % {"line": cause.lineno, "column": cause.colno}
    if isinstance(cause, UnicodeDecodeError):
        return _("Le corps de la requête n’est pas encodé en UTF-8.")
    return _("Le corps de la requête est illisible : vérifiez qu’il correspond à son en-tête Content-Type.")


def _request_error_message(exc, request):
    """A French message for the errors DRF raises about the request itself (its body,
    its headers, its method, its credentials), or None to keep the exception's own.

    DRF's are English for parse errors and, in French, written with straight apostrophes
    and no hint of what to send instead. Messages a view or an authentication class
    chose itself (an expired token, a domain rule) are kept."""
    if isinstance(exc, exceptions.ParseError):
        return _parse_error_message(exc)
    if isinstance(exc, exceptions.UnsupportedMediaType):
        content_type = request.content_type if request is not None else ""
        if not content_type:
            return _("Précisez le type du corps de la requête : en-tête Content-Type: application/json.")
        return _(
            "Type de contenu « %(type)s » non pris en charge : envoyez du JSON (Content-Type: application/json)."
        ) % {"type": content_type}
    if isinstance(exc, exceptions.NotAcceptable):
        return _("L’API ne répond qu’en JSON : demandez application/json dans l’en-tête Accept.")
    if isinstance(exc, exceptions.MethodNotAllowed):
        return _("La méthode %(method)s n’est pas acceptée à cette adresse.") % {
            "method": request.method if request is not None else ""
        }
    if str(exc.detail) != str(exc.default_detail):
        return None
    if isinstance(exc, exceptions.NotAuthenticated):
        return _("Authentification requise : connectez-vous ou envoyez un jeton (en-tête Authorization: Token …).")
    if isinstance(exc, exceptions.AuthenticationFailed):
        return _("Les informations d’authentification sont incorrectes.")
    if isinstance(exc, exceptions.PermissionDenied):
        # The words of accounts.access.DenyByDefault, which refuses most requests.
        return _("Vous n’avez pas accès à cette ressource.")
    return None


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
        message = (
            _request_error_message(exc, context.get("request")) if isinstance(exc, exceptions.APIException) else None
        )
        body = {
            "error": {
                "code": code if isinstance(code, str) else "error",
                "message": str(message or getattr(exc, "detail", exc)),
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
