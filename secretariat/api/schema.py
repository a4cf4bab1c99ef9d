"""drf-spectacular hooks: what the generated OpenAPI document must say about every operation.

Each operation can answer with a problem (RFC 9457, ``application/problem+json``; see
``problems.py``): bad input, not signed in, refused, not found, a business rule, too large, too
many requests. The views cannot each declare that, so it is added here once, as a shared
``ProblemDetails`` component (``Problem`` is the ITIL problem's), to every operation that does
not document the status itself.
"""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension

from secretariat.core.api_base import PROBLEM_CONTENT_TYPE

PROBLEM_SCHEMA = {
    "type": "object",
    "description": "RFC 9457 problem details.",
    "properties": {
        "type": {"type": "string", "description": "urn:secretariat:problem:<code>"},
        "title": {"type": "string"},
        "status": {"type": "integer"},
        "detail": {"type": "string"},
        "errors": {
            "type": "array",
            "description": "One entry per invalid field: an RFC 6901 pointer into the request body "
                           "(or the header name) and a message in the user's language.",
            "items": {
                "type": "object",
                "properties": {
                    "pointer": {"type": "string"},
                    "header": {"type": "string"},
                    "detail": {"type": "string"},
                    "code": {"type": "string"},
                },
                "required": ["detail", "code"],
            },
        },
    },
    "required": ["type", "title", "status", "detail"],
}

# Statuses any operation may answer with, and those only a request with a body may.
EVERY_OPERATION = {
    "400": _("Invalid input (a query parameter or the body)."),
    "401": _("Not signed in."),
    "403": _("Refused: the user's roles do not allow this here."),
    "404": _("No such object, or not visible to the user."),
    "405": _("Method not allowed."),
    "406": _("None of the accepted media types can be produced."),
    "429": _("Too many requests; retry after the time given in Retry-After."),
}
WITH_A_BODY = {
    "409": _("Refused by a business rule (state, funds, authority)."),
    "411": _("The body was sent without a Content-Length."),
    "413": _("The body is larger than this server accepts."),
    "415": _("Unsupported media type of the body."),
    "422": _("The Idempotency-Key was already used with a different request."),
}
WRITE_METHODS = {"post", "put", "patch", "delete"}
# DRF writes a time of day as "09:00:00" (ISO 8601, no offset). OpenAPI's ``format: time`` is
# RFC 3339's full-time, which requires an offset, so validators reject what the API sends.
TIME_OF_DAY = {"type": "string", "pattern": r"^\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?$", "example": "09:00:00"}


def describe_times_of_day(result, generator, request, public):
    """Postprocessing hook: ``format: time`` becomes the pattern DRF's TimeField really writes."""

    def rewrite(node):
        if isinstance(node, dict):
            if node.get("type") == "string" and node.get("format") == "time":
                del node["format"]
                node.update(TIME_OF_DAY)
            for value in node.values():
                rewrite(value)
        elif isinstance(node, list):
            for value in node:
                rewrite(value)

    rewrite(result)
    return result


def document_problems(result, generator, request, public):
    """Postprocessing hook: the ``ProblemDetails`` component and its statuses on every operation."""
    result.setdefault("components", {}).setdefault("schemas", {})["ProblemDetails"] = PROBLEM_SCHEMA
    reference = {PROBLEM_CONTENT_TYPE: {"schema": {"$ref": "#/components/schemas/ProblemDetails"}}}
    for path_item in result.get("paths", {}).values():
        for method, operation in path_item.items():
            statuses = dict(EVERY_OPERATION)
            if method in WRITE_METHODS:
                statuses |= WITH_A_BODY
            responses = operation.setdefault("responses", {})
            for code, description in statuses.items():
                responses.setdefault(code, {"description": str(description), "content": reference})
    return result


class ApiTokenScheme(OpenApiAuthenticationExtension):
    """``Authorization: Token <key>``: the knox token, as the schema's security scheme."""

    target_class = "secretariat.api.authentication.ApiTokenAuthentication"
    name = "apiToken"

    def get_security_definition(self, auto_schema):
        return {"type": "apiKey", "in": "header", "name": "Authorization",
                "description": "Token-based authentication: `Token <key>` (keys expire; see /api/v1/tokens/)."}


class VerifiedSessionScheme(OpenApiAuthenticationExtension):
    """The browser's session cookie, confirmed by the second factor where the user needs one."""

    target_class = "secretariat.api.authentication.VerifiedSessionAuthentication"
    name = "cookieAuth"

    def get_security_definition(self, auto_schema):
        return {"type": "apiKey", "in": "cookie", "name": "sessionid"}
