"""API plumbing shared by every app: the error format, its schema, and idempotent creates.

Every error answer is ``{"code": "...", "detail": "...", "fields": {...}}`` with the texts in the
request's language; ``fields`` appears only for input errors.
"""

import hashlib
import json
import logging

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.db import IntegrityError, transaction
from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import OpenApiParameter
from rest_framework import exceptions, serializers
from rest_framework.pagination import CursorPagination
from rest_framework.response import Response

from .errors import ConditionsNotMet, DomainError
from .models import IdempotencyKey

logger = logging.getLogger(__name__)


class FindingSerializer(serializers.Serializer):
    """One finding of a check (e.g. the pre-check at submission)."""

    code = serializers.CharField(help_text="Stable machine-readable code, e.g. `name_mismatch`.")
    message = serializers.CharField(help_text="Human-readable message in the request's language.")
    severity = serializers.ChoiceField(
        choices=[("blocking", "blocking"), ("warning", "warning")],
        help_text="`blocking` stops the step; `warning` is for information.",
    )
    concerns = serializers.CharField(
        allow_blank=True, help_text="The field name or document kind concerned, or empty."
    )


class ErrorSerializer(serializers.Serializer):
    """The body of every error answer."""

    code = serializers.CharField(help_text="Stable machine-readable code, e.g. `not_allowed`.")
    detail = serializers.CharField(help_text="Human-readable message in the request's language.")
    fields = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()),
        required=False,
        help_text="For input errors: the messages for each field, by field name.",
    )
    findings = FindingSerializer(
        many=True,
        required=False,
        help_text=(
            "With `conditions_not_met` (409): every finding, blocking ones first, each with its code, "
            "message and severity; `fields.problems` keeps the messages alone."
        ),
    )


def _messages(value):
    """Flatten DRF's nested error structures to a list of strings."""
    if isinstance(value, dict):
        return [m for v in value.values() for m in _messages(v)]
    if isinstance(value, list | tuple):
        return [m for v in value for m in _messages(v)]
    return [str(value)]


def _field_errors(detail, prefix=""):
    """DRF's error detail as ``{"field": ["message", ...]}``; nested fields become dotted names."""
    fields = {}
    if isinstance(detail, dict):
        for name, value in detail.items():
            key = (
                f"{prefix}{name}"
                if name != "non_field_errors"
                else (prefix.rstrip(".") or "non_field_errors")
            )
            if isinstance(value, dict):
                fields.update(_field_errors(value, prefix=f"{key}."))
            elif isinstance(value, list) and value and isinstance(value[0], dict):
                for index, item in enumerate(value):
                    fields.update(_field_errors(item, prefix=f"{key}.{index}."))
            else:
                fields[key] = _messages(value)
    else:
        fields["non_field_errors"] = _messages(detail)
    return fields


def error_body(code, detail, fields=None):
    body = {"code": code, "detail": str(detail)}
    if fields:
        body["fields"] = fields
    return body


def exception_handler(exc, context):
    """Map domain and framework errors to the portal's JSON error format."""
    if isinstance(exc, DomainError):
        fields = {name: _messages(messages) for name, messages in exc.fields.items()}
        body = error_body(exc.code, exc.message, fields)
        if isinstance(exc, ConditionsNotMet):
            body["findings"] = [
                {**finding, "message": str(finding["message"]), "concerns": str(finding.get("concerns", ""))}
                for finding in exc.findings
            ]
        return Response(body, status=exc.status_code)
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()
    if not isinstance(exc, exceptions.APIException):
        return None

    headers = {}
    if getattr(exc, "auth_header", None):
        headers["WWW-Authenticate"] = exc.auth_header
    if getattr(exc, "wait", None):
        headers["Retry-After"] = str(int(exc.wait))

    if isinstance(exc, exceptions.ValidationError):
        body = error_body(
            "invalid", _("Some of the information given is not valid."), _field_errors(exc.detail)
        )
    elif isinstance(exc, exceptions.NotAuthenticated):
        body = error_body("not_authenticated", _("Sign in, or send a valid API token."))
    elif isinstance(exc, exceptions.AuthenticationFailed):
        body = error_body("authentication_failed", _("The API token is invalid, expired or revoked."))
    elif isinstance(exc, exceptions.PermissionDenied):
        if str(exc.detail) != str(exceptions.PermissionDenied.default_detail):
            # A permission class that says why (e.g. a read-only token).
            body = error_body(str(exc.get_codes()), str(exc.detail))
        else:
            body = error_body("permission_denied", _("You do not have permission to do this."))
    elif isinstance(exc, exceptions.NotFound):
        body = error_body("not_found", _("Not found."))
    elif isinstance(exc, exceptions.MethodNotAllowed):
        body = error_body("method_not_allowed", _("This method is not allowed here."))
    elif isinstance(exc, exceptions.Throttled):
        body = error_body("throttled", _("Too many requests. Please wait a while and try again."))
    elif isinstance(exc, exceptions.ParseError):
        body = error_body("parse_error", _("The request body could not be read."))
    elif isinstance(exc, exceptions.UnsupportedMediaType):
        body = error_body("unsupported_media_type", _("This content type is not supported."))
    elif isinstance(exc, exceptions.NotAcceptable):
        body = error_body("not_acceptable", _("This response format is not available."))
    else:
        body = error_body("error", _("The request could not be carried out."))
    return Response(body, status=exc.status_code, headers=headers)


class PortalAutoSchema(AutoSchema):
    """Documents the error answers of every operation, in the portal's error format."""

    error_statuses = {
        "400": "Invalid input (the `fields` object names each problem).",
        "401": "Not signed in, or the API token is invalid or expired.",
        "403": "Signed in, but not allowed to do this.",
        "404": "Not found, or not visible to the caller.",
        "409": "Not allowed in the object's current state, or changed by someone else.",
        "429": "Too many requests.",
    }

    def _has_query_parameters(self) -> bool:
        """Whether the operation reads query parameters (which it validates: a 400 is possible)."""
        return any(
            isinstance(parameter, OpenApiParameter) and parameter.location == OpenApiParameter.QUERY
            for parameter in self.get_override_parameters()
        )

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        if direction != "response":
            return responses
        for status, description in self.error_statuses.items():
            if status in responses:
                continue
            if status == "401" and not self.view.get_authenticators():
                continue
            if status == "409" and self.method == "GET":
                continue
            if (
                status == "400"
                and self.method in ("GET", "DELETE")
                and not self._is_list_view()
                and not self._has_query_parameters()
            ):
                continue
            response = self._get_response_for_code(ErrorSerializer, status)
            response["description"] = description
            responses[status] = response
        return responses


def _fingerprint(request):
    try:
        payload = json.dumps(request.data, sort_keys=True, default=str)
    except (TypeError, ValueError, exceptions.ParseError):
        payload = ""
    return hashlib.sha256(payload.encode()).hexdigest()


def idempotent_create(request, scope, create):
    """Run ``create()`` (which returns a Response) at most once per ``Idempotency-Key``.

    Without the header the call is made as is. With it, a repeated request from the same user to
    the same scope returns the stored first answer; the same key with a different body is a
    409 conflict, as reusing a key for another request is a client error.
    """
    key = request.headers.get("Idempotency-Key", "").strip()
    if not key:
        return create()
    if len(key) > 128:
        raise exceptions.ValidationError({"Idempotency-Key": [_("At most 128 characters.")]})
    user = request.user if request.user.is_authenticated else None
    fingerprint = _fingerprint(request)
    with transaction.atomic():
        try:
            with transaction.atomic():
                record = IdempotencyKey.objects.create(
                    user=user, key=key, scope=scope, request_fingerprint=fingerprint
                )
        except IntegrityError:
            record = IdempotencyKey.objects.select_for_update().get(user=user, key=key, scope=scope)
            if record.request_fingerprint != fingerprint:
                return Response(
                    error_body(
                        "idempotency_key_reused",
                        _("This Idempotency-Key was already used for a different request."),
                    ),
                    status=409,
                )
            if record.response_status is not None:
                response = Response(record.response_body, status=record.response_status)
                response["Idempotent-Replayed"] = "true"
                return response
        response = create()
        if response.status_code < 500:
            record.response_status = response.status_code
            record.response_body = response.data
            record.save(update_fields=["response_status", "response_body"])
        else:
            record.delete()
        return response


class KeysetPagination(CursorPagination):
    """Keyset (cursor) pagination on a stable order: a fixed number of queries per page."""

    page_size = 25
    page_size_query_param = "page_size"
    max_page_size = 100
    ordering = ("-created_at", "-id")
