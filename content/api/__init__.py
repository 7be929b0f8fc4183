"""API of the content library (DRF), one module per part: kits and their workflow
actions, the guideline check, field stories. Every write is one call into a service."""

from advocacy.schema import ERROR_RESPONSES

# The error responses of an endpoint whose action may not fit the object's state (409).
WITH_CONFLICT = {**ERROR_RESPONSES, 409: ERROR_RESPONSES[400]}
