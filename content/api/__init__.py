"""API of the content library (DRF), one module per part: kits and their workflow
actions, the guideline check, field stories. Every write is one call into a service."""

from django.utils.translation import gettext as _
from rest_framework import serializers

from advocacy.schema import ERROR_RESPONSES

# The error responses of an endpoint whose action may not fit the object's state (409).
WITH_CONFLICT = {**ERROR_RESPONSES, 409: ERROR_RESPONSES[400]}


def refuse_unknown_fields(request, serializer_class) -> None:
    """Refuse a request naming a field the input does not take (a status, an author...)
    rather than ignore it, so that a client never believes it changed what it cannot."""
    data = request.data
    if not hasattr(data, "keys"):
        return
    unknown = set(data) - set(serializer_class().fields)
    if unknown:
        raise serializers.ValidationError({name: [_("Ce champ ne peut pas être modifié.")] for name in sorted(unknown)})
